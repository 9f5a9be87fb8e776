/** Entry point of the GitHub Action (action.yml runs bin/pyward-action.js, which imports this). */
import { runAction } from './run-action.js';

export async function main(): Promise<number> {
  return runAction(process.env, { log: (line) => process.stdout.write(`${line}\n`) });
}
