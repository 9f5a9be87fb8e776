/** Worker thread: analyses the files the main thread hands it, one message per file. */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { analyzeFile, prepareRules } from '../engine/analyze-file.js';
import type { FileResult } from '../engine/types.js';
import { pythonParser } from '../python/parser.js';
import { ALL_RULES, selectRules } from '../rules/registry.js';

export interface WorkRequest {
  path: string;
  display: string;
}

export function analyzePath(parser: Awaited<ReturnType<typeof pythonParser>>, req: WorkRequest, config: Config, active: ReturnType<typeof prepareRules>): FileResult {
  let content: Uint8Array;
  try {
    content = readFileSync(req.path);
  } catch (err) {
    return { path: req.display, analysed: false, lines: 0, findings: [], suppressed: [], errors: [{ path: req.display, kind: 'skipped', message: `not analysed: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` }] };
  }
  try {
    return analyzeFile(parser, { path: req.display, content }, config, active);
  } catch (err) {
    return { path: req.display, analysed: false, lines: 0, findings: [], suppressed: [], errors: [{ path: req.display, kind: 'internal', message: `internal error: ${(err as Error).stack ?? err}` }] };
  }
}

if (parentPort && workerData?.pywardWorker) {
  const config = workerData.config as Config;
  const port = parentPort;
  const parser = await pythonParser();
  const active = prepareRules(selectRules(config), ALL_RULES, config);
  port.on('message', (req: WorkRequest | null) => {
    if (req === null) {
      port.close();
      return;
    }
    port.postMessage(analyzePath(parser, req, config, active));
  });
  port.postMessage('ready');
}
