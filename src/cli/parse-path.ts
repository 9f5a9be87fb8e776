/**
 * One file of a scan, read and parsed: shared by the main thread and the worker threads (which load only
 * this and the parser unless asked to analyse whole files).
 */
import { readFileSync } from 'node:fs';
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { parseFile } from '../engine/parse-file.js';
import type { FileResult } from '../engine/types.js';
import type { SyntaxTree, TransferredTree } from '../python/syntax-tree.js';

export interface WorkRequest {
  path: string;
  display: string;
}

/** Worker -> main thread, one per file it took: the parsed tree, or the file's result. */
export type WorkerReply = { index: number; tree: TransferredTree } | { index: number; result: FileResult };

export function failed(req: WorkRequest, kind: 'skipped' | 'internal', message: string): FileResult {
  return { path: req.display, analysed: false, lines: 0, findings: [], suppressed: [], errors: [{ path: req.display, kind, message }] };
}

/** Read and parse one file: its tree, or the result of a file that cannot be analysed. */
export function parsePath(parser: Parser, req: WorkRequest, config: Pick<Config, 'max_file_size'>, collect: ReadonlySet<string>): { tree: SyntaxTree } | { result: FileResult } {
  let content: Uint8Array;
  try {
    content = readFileSync(req.path);
  } catch (err) {
    return { result: failed(req, 'skipped', `not analysed: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`) };
  }
  try {
    return parseFile(parser, { path: req.display, content }, config, { collect });
  } catch (err) {
    return { result: failed(req, 'internal', `internal error: ${(err as Error).stack ?? err}`) };
  }
}
