/**
 * Entry point of the GitHub Action. scripts/action-bundle.mjs bundles it, with everything it imports, into
 * action-dist/index.mjs, which action.yml runs with the runner's Node and no node_modules.
 */
import { runAction } from './run-action.js';

process.exitCode = await runAction(process.env, { log: (line) => process.stdout.write(`${line}\n`) });
