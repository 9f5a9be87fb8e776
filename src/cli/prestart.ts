/**
 * Worker threads started as the process starts, before the CLI's own modules load: a worker needs about
 * 0.2 s to boot and load the grammar, which then overlaps the main thread's start-up instead of following
 * it. `bin/pyward.js` starts them for `pyward scan`; `runFiles` adopts them (sending the job) and ends the
 * ones it does not need. Kept free of imports beyond node's, so loading it costs nothing.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Below this many files, starting workers (each loads the grammar) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 24;

/** `workerData` of a started worker that waits for its job in a message. */
export const WAITING = 'pyward-waiting-worker';

const waiting: { worker: Worker; exited: boolean }[] = [];

/** The scan worker's module (the compiled JavaScript, also when this runs from the TypeScript source under Jest). */
export function workerUrl(): URL {
  // Under ts-jest this module is the .ts source; the worker must be the compiled JavaScript.
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/cli/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
}

/**
 * Workers a `pyward scan` with these arguments will want: --jobs (or the CPU count) minus the main thread;
 * none for a diff or a few named files (a pre-commit hook's scan must not pay for a worker it never uses).
 */
export function workersFor(argv: readonly string[], cwd = process.cwd()): number {
  if (argv[0] !== 'scan' || argv.includes('--diff') || argv.some((a) => a.startsWith('--diff='))) return 0;
  const operands = argv.slice(1).filter((a) => !a.startsWith('-'));
  let files = 0;
  let tree = operands.length === 0; // no path: the current directory
  for (const operand of operands) {
    try {
      const stat = statSync(resolve(cwd, operand));
      if (stat.isDirectory()) tree = true;
      else if (stat.isFile()) files++;
    } catch {
      // an option's value, or a missing path the scan reports
    }
  }
  if (!tree && files < MIN_FILES_FOR_WORKERS) return 0;
  let jobs = availableParallelism();
  argv.forEach((arg, i) => {
    const value = arg === '--jobs' || arg === '-j' ? argv[i + 1] : arg.startsWith('--jobs=') ? arg.slice(7) : undefined;
    if (value !== undefined && /^\d+$/.test(value)) jobs = Number(value);
  });
  return Math.max(0, jobs - 1);
}

export function prestartWorkers(count: number): void {
  for (let i = 0; i < count; i++) {
    const entry = { worker: new Worker(workerUrl(), { workerData: WAITING }), exited: false };
    entry.worker.unref(); // never what keeps the process alive until a scan adopts it
    entry.worker.on('error', () => {}); // a worker that cannot start is simply not adopted
    entry.worker.on('exit', () => (entry.exited = true));
    waiting.push(entry);
  }
}

/** Up to `count` started workers that are still alive, now owned by the caller (referenced again). */
export function adoptWorkers(count: number): Worker[] {
  const adopted: Worker[] = [];
  while (adopted.length < count && waiting.length) {
    const entry = waiting.shift()!;
    if (entry.exited) continue;
    entry.worker.ref();
    adopted.push(entry.worker);
  }
  return adopted;
}

/**
 * Lets the started workers nobody adopted end: told to stop once they have loaded, and never waited for
 * (`terminate()` would hold the process's exit until a worker that is still loading can be stopped, which
 * cost a small scan 40 ms).
 */
export function releaseWorkers(): void {
  for (const entry of waiting.splice(0)) {
    entry.worker.postMessage(null);
    entry.worker.unref();
  }
}
