/**
 * Worker thread: takes files from the scan's shared counter, reads and parses them, and sends the flat
 * syntax tree back (moved, not copied) for the main thread to analyse. When more parsed trees wait for the
 * main thread than `maxBacklog` (many cores), it analyses whole files itself, and only then loads the rules
 * (see run-files.ts for why).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { ProjectFacts } from '../rules/settings/project.js';
import { pythonParser } from '../python/parser.js';
import type { SyntaxTree } from '../python/syntax-tree.js';
import { failed, parsePath, type WorkerReply, type WorkRequest } from './parse-path.js';
import { WAITING } from './prestart.js';

export interface WorkerData {
  pywardWorker: true;
  config: Config;
  /** The scanned tree's project facts, for the files a worker analyses whole. */
  project: ProjectFacts;
  /** Node types the rules and the scope model read (`ActiveRules.collect`). */
  collect: string[];
  requests: WorkRequest[];
  /** Int32 [next file index, parsed trees not yet taken by the main thread], shared with every thread. */
  counters: SharedArrayBuffer;
  /** Parsed trees waiting for the main thread beyond which this worker analyses files itself. */
  maxBacklog: number;
}

export const NEXT = 0;
export const BACKLOG = 1;
/** Default `maxBacklog`. */
export const MAX_BACKLOG = 256;

async function run(port: MessagePort, data: WorkerData): Promise<void> {
  const { config, project, collect: collectList, requests, counters: shared, maxBacklog } = data;
  const counters = new Int32Array(shared);
  const collect = new Set(collectList);
  const parser = await pythonParser();
  let analyse: ((index: number, tree: SyntaxTree) => WorkerReply) | undefined;
  const analyser = async () => {
    const [{ analyzeTree, prepareRules }, { ALL_RULES, selectRules }] = await Promise.all([import('../engine/analyze-file.js'), import('../rules/registry.js')]);
    const active = prepareRules(selectRules(config), ALL_RULES, config);
    return (index: number, tree: SyntaxTree): WorkerReply => {
      try {
        return { index, result: analyzeTree(requests[index].display, tree, config, active, project) };
      } catch (err) {
        return { index, result: failed(requests[index], 'internal', `internal error: ${(err as Error).stack ?? err}`) };
      }
    };
  };
  for (let index = Atomics.add(counters, NEXT, 1); index < requests.length; index = Atomics.add(counters, NEXT, 1)) {
    const parsed = parsePath(parser, requests[index], config, collect);
    if ('result' in parsed) {
      port.postMessage({ index, result: parsed.result } satisfies WorkerReply);
    } else if (Atomics.load(counters, BACKLOG) >= maxBacklog) {
      analyse ??= await analyser();
      port.postMessage(analyse(index, parsed.tree));
    } else {
      Atomics.add(counters, BACKLOG, 1);
      const { data, transfer } = parsed.tree.toTransfer();
      port.postMessage({ index, tree: data } satisfies WorkerReply, transfer);
    }
  }
}

if (parentPort && workerData === WAITING) {
  // Started early (prestart.ts): load the grammar now, then wait for the job.
  const port = parentPort;
  const ready = pythonParser();
  port.once('message', (data: WorkerData | null) => {
    if (data === null) port.close(); // not needed after all
    else void ready.then(() => run(port, data)).then(() => port.close());
  });
} else if (parentPort && (workerData as WorkerData | undefined)?.pywardWorker) {
  const port = parentPort;
  await run(port, workerData as WorkerData);
  port.close();
}
