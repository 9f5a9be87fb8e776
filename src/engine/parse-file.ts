/**
 * Reading a Python file into a syntax tree: size limit, decoding, parsing and the depth limit. Kept apart
 * from the rules so a worker thread that only parses loads nothing else.
 */
import type { Parser } from 'web-tree-sitter';
import type { Config } from '../config/schema.js';
import { decodePythonSource } from '../python/decode.js';
import { parseSyntaxTree } from '../python/parser.js';
import type { SyntaxTree } from '../python/syntax-tree.js';
import type { AnalysisError, FileResult } from './types.js';

/** CPython refuses nesting this deep ("too many nested parentheses" comes far earlier), so nothing real is lost. */
export const MAX_TREE_DEPTH = 1000;

export interface AnalyzeInput {
  path: string;
  content: Uint8Array | string;
}

export function skipped(path: string, message: string, kind: AnalysisError['kind'] = 'skipped'): FileResult {
  return { path, analysed: false, lines: 0, findings: [], suppressed: [], errors: [{ path, kind, message }] };
}

/**
 * The first half of `analyzeFile`: size limit, decoding, parsing and the depth limit. Either the tree to
 * analyse or the result for a file that cannot be (worker threads run this half for the main thread).
 */
export function parseFile(parser: Parser, input: AnalyzeInput, config: Pick<Config, 'max_file_size'>, active: { collect: ReadonlySet<string> }): { tree: SyntaxTree } | { result: FileResult } {
  const { path } = input;
  const size = typeof input.content === 'string' ? Buffer.byteLength(input.content) : input.content.length;
  if (size > config.max_file_size) {
    return { result: skipped(path, `not analysed: ${(size / 1048576).toFixed(1)} MiB is over the ${(config.max_file_size / 1048576).toFixed(1)} MiB limit (max_file_size); generated or data files are usually the cause`) };
  }
  let text: string;
  if (typeof input.content === 'string') text = input.content.replace(/^\uFEFF/, '');
  else {
    const decoded = decodePythonSource(input.content);
    if (!decoded.ok) return { result: skipped(path, `not analysed: ${decoded.reason}`) };
    text = decoded.text;
  }
  const tree = parseSyntaxTree(parser, text, MAX_TREE_DEPTH, active.collect);
  if (tree.maxDepth > MAX_TREE_DEPTH) {
    return { result: skipped(path, `not analysed: the syntax tree is more than ${MAX_TREE_DEPTH} levels deep; CPython itself refuses such nesting`) };
  }
  return { tree };
}

