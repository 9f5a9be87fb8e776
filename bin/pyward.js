#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run by `npm ci` through `prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// A scan is short: V8's optimising compiler, which inlines aggressively, spent more CPU compiling pyward's
// hot functions than running them (1.1 s of background compilation on the CPython stdlib, competing with the
// workers for the cores). Without inlining the compiled code is as fast here and compiles several times
// faster. And a function is handed to that compiler only after about 75 times more work in the baseline
// tiers than V8's default (`--interrupt-budget`, bytes of bytecode executed): with the default, the data-flow
// analysis's functions were compiled and, after deoptimisations, recompiled many times over (about 1.3 s
// more background compilation than a scan without data flow); with this budget a scan of the stdlib with
// data flow takes about 12% less wall time and one without it the same (bench/DATAFLOW-EVALUATION.md).
// Process-wide, so worker threads get it too. PYWARD_V8_DEFAULTS=1 keeps V8's defaults (for comparisons).
if (!process.env.PYWARD_V8_DEFAULTS) setFlagsFromString('--no-turbo-inlining --interrupt-budget=5000000');

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('pyward: dist/ is missing; run `npm run build` first (npm ci does it through `prepare`).\n');
  process.exit(2);
}
// `pyward rules | head`: a closed pipe ends the output, it is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// Scan workers boot while the CLI loads (dist/cli/prestart.js imports only node modules).
const prestart = await import(new URL('../dist/cli/prestart.js', import.meta.url).href);
prestart.prestartWorkers(prestart.workersFor(process.argv.slice(2)));
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
prestart.releaseWorkers();
