#!/usr/bin/env node
// Launcher of the GitHub Action (action.yml: `runs.main`). The runner starts it with its own Node 20 and no
// `npm install`, so the ref a workflow names must hold the built code and the production dependencies: the
// release tree `npm run action:release` assembles (see README, "GitHub Action"). A plain source ref has
// neither, and says so instead of failing on a missing module.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const entry = new URL('dist/action/main.js', root);
const missing = [entry, new URL('node_modules/probot/package.json', root)].filter((u) => !existsSync(fileURLToPath(u)));
if (missing.length) {
  process.stdout.write(
    '::error title=pyward::this ref of pyward has no built code (dist/) or dependencies (node_modules/). ' +
      'Use a release ref (uses: <owner>/pyward@v1, built by `npm run action:release`), or run `npm ci` in the action directory first.\n',
  );
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main();
