/**
 * Analyse many files: in-process for a few, with worker threads for a tree.
 *
 * The main thread is one of the `jobs` threads. Every thread takes the next file from a shared counter.
 * Workers read and parse (tree-sitter in WASM, most of the work) and move the flat syntax tree to the main
 * thread, which runs the scope model and the rules on it; when no parsed tree is waiting, the main thread
 * parses a file itself. So only the main thread's V8 compiles the rules: on the CPython stdlib with 2 cores,
 * workers that analysed whole files spent more CPU compiling and warming up the same JavaScript than they
 * saved (bench/RESULTS.md). When parsed trees pile up (many cores), workers analyse whole files too.
 * Results come back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { analyzeTree, prepareRules, type ActiveRules } from '../engine/analyze-file.js';
import type { FileResult } from '../engine/types.js';
import { pythonParser } from '../python/parser.js';
import { SyntaxTree, type TransferredTree } from '../python/syntax-tree.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';
import { NO_PROJECT_FACTS, type ProjectFacts } from '../rules/settings/project.js';
import { failed, parsePath, type WorkerReply, type WorkRequest } from './parse-path.js';
import { adoptWorkers, MIN_FILES_FOR_WORKERS, releaseWorkers, workerUrl } from './prestart.js';
import { BACKLOG, MAX_BACKLOG, NEXT, type WorkerData } from './worker.js';

export type { WorkRequest } from './parse-path.js';
export { MIN_FILES_FOR_WORKERS } from './prestart.js';

/** Analyse a parsed file; an exception becomes the file's internal error. */
function analyzeParsed(req: WorkRequest, tree: SyntaxTree, config: Config, active: ActiveRules, project: ProjectFacts): FileResult {
  try {
    return analyzeTree(req.display, tree, config, active, project);
  } catch (err) {
    return failed(req, 'internal', `internal error: ${(err as Error).stack ?? err}`);
  }
}

function analyzePath(parser: Parser, req: WorkRequest, config: Config, active: ActiveRules, project: ProjectFacts): FileResult {
  const parsed = parsePath(parser, req, config, active.collect);
  return 'result' in parsed ? parsed.result : analyzeParsed(req, parsed.tree, config, active, project);
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

export interface RunOptions {
  /** Parsed trees waiting for the main thread beyond which workers analyse whole files (default 256). */
  maxBacklog?: number;
  /** The worker module (tests substitute one that fails). */
  workerUrl?: URL;
  /** Filled in with how the work was shared (for tests and the benchmark). */
  counts?: RunCounts;
  /** Called with the number of files finished so far (the CLI's progress bar). */
  onProgress?: (done: number) => void;
  /** What the scanned tree says about the project (scan-facts.ts). */
  project?: ProjectFacts;
}

/** Files by the thread that did their work. */
export interface RunCounts {
  /** Trees parsed by a worker and analysed by the main thread. */
  workerTrees: number;
  /** Files analysed whole by a worker. */
  workerFiles: number;
}

export async function runFiles(requests: WorkRequest[], config: Config, jobs: number, options: RunOptions = {}): Promise<FileResult[]> {
  const threads = Math.min(jobs, Math.ceil(requests.length / 8));
  const parserReady = pythonParser();
  const active = prepareRules(selectRules(config), ALL_RULES, config);
  const project = options.project ?? NO_PROJECT_FACTS;
  if (threads <= 1 || requests.length < MIN_FILES_FOR_WORKERS) {
    releaseWorkers();
    const parser = await parserReady;
    return requests.map((r, i) => {
      const result = analyzePath(parser, r, config, active, project);
      options.onProgress?.(i + 1);
      return result;
    });
  }
  let finished = 0;
  const progressed = () => options.onProgress?.(++finished);
  const results: FileResult[] = new Array(requests.length);
  // Every thread takes the next file from one shared counter: no thread waits for another to hand it work.
  const shared = new SharedArrayBuffer(8);
  const counters = new Int32Array(shared);
  const take = (): number => {
    const index = Atomics.add(counters, NEXT, 1);
    return index < requests.length ? index : -1;
  };
  /** Trees parsed by workers, waiting for the main thread. */
  const parsed: { index: number; tree: TransferredTree }[] = [];
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let running = threads - 1;
  const data: WorkerData = { pywardWorker: true, config, project, collect: [...active.collect], requests, counters: shared, maxBacklog: options.maxBacklog ?? MAX_BACKLOG };
  const started = options.workerUrl ? [] : adoptWorkers(threads - 1);
  releaseWorkers();
  for (let w = 0; w < threads - 1; w++) {
    const worker = started[w] ?? new Worker(options.workerUrl ?? workerUrl(), { workerData: data });
    if (started[w]) worker.postMessage(data);
    worker.on('message', (msg: WorkerReply) => {
      if ('tree' in msg) {
        parsed.push(msg);
        if (options.counts) options.counts.workerTrees++;
      } else {
        results[msg.index] = msg.result;
        progressed();
        if (options.counts && msg.result.analysed) options.counts.workerFiles++;
      }
      notify();
    });
    // A worker that dies (it should not: parsing errors are results) costs time, not results: the main
    // thread takes the rest of the files, and those the worker had taken are analysed again below.
    worker.on('error', () => {});
    worker.on('exit', () => {
      running--;
      notify();
    });
  }

  const parser = await parserReady;
  for (;;) {
    const ready = parsed.shift();
    if (ready) {
      Atomics.sub(counters, BACKLOG, 1);
      results[ready.index] = analyzeParsed(requests[ready.index], SyntaxTree.fromTransfer(ready.tree), config, active, project);
      progressed();
    } else {
      const index = take();
      if (index >= 0) {
        results[index] = analyzePath(parser, requests[index], config, active, project);
        progressed();
      } else if (running === 0) break;
      else {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
    }
    await new Promise((resolve) => setImmediate(resolve)); // let the workers' messages in
  }
  for (let index = 0; index < requests.length; index++) {
    if (results[index]) continue;
    results[index] = analyzePath(parser, requests[index], config, active, project);
    progressed();
  }
  return results;
}
