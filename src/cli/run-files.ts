/**
 * Analyse many files: in-process for a few, spread over worker threads for a tree. Results come back in
 * input order whatever order the workers finish in.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { prepareRules } from '../engine/analyze-file.js';
import type { FileResult } from '../engine/types.js';
import { pythonParser } from '../python/parser.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';
import { analyzePath, type WorkRequest } from './worker.js';

/** Below this many files, starting workers (each loads the grammar) costs more than it saves. */
export const MIN_FILES_FOR_WORKERS = 24;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

function workerUrl(): URL {
  // Under ts-jest this module is the .ts source; the worker must be the compiled JavaScript.
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/cli/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
}

export async function runFiles(requests: WorkRequest[], config: Config, jobs: number): Promise<FileResult[]> {
  const workers = Math.min(jobs, Math.ceil(requests.length / 8));
  if (workers <= 1 || requests.length < MIN_FILES_FOR_WORKERS) {
    const parser = await pythonParser();
    const active = prepareRules(selectRules(config), ALL_RULES, config);
    return requests.map((r) => analyzePath(parser, r, config, active));
  }
  const results: FileResult[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerUrl(), { workerData: { pywardWorker: true, config } });
        let current = -1;
        const feed = () => {
          if (next >= requests.length) {
            worker.postMessage(null);
            return;
          }
          current = next++;
          worker.postMessage(requests[current]);
        };
        worker.on('message', (msg: FileResult | 'ready') => {
          if (msg !== 'ready') results[current] = msg;
          feed();
        });
        worker.on('error', reject);
        worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with code ${code}`))));
      }),
    ),
  );
  return results;
}
