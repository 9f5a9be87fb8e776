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

/**
 * Deeper parts of the tree are cut (see `cutMessage`): every recursion of the rules, the resolver and the data
 * flow stays within the JS stack at this depth. CPython refuses nested brackets far earlier, but compiles
 * long flat chains (`a and b and ...`, `"x" + "y" + ...`) whose trees are as deep as the chain is long.
 */
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
export function parseFile(
  parser: Parser,
  input: AnalyzeInput,
  config: Pick<Config, 'max_file_size'>,
  active: { collect: ReadonlySet<string> },
  /** Called every few milliseconds while tree-sitter parses; throws to stop (see analyze-file.ts's `Checkpoint`). */
  checkpoint?: () => void,
): { tree: SyntaxTree } | { result: FileResult } {
  const { path } = input;
  const size = typeof input.content === 'string' ? Buffer.byteLength(input.content) : input.content.length;
  if (size > config.max_file_size) {
    return { result: skipped(path, `not analysed: ${(size / 1048576).toFixed(1)} MiB is over the ${(config.max_file_size / 1048576).toFixed(1)} MiB limit (max_file_size); generated or data files are usually the cause: exclude them with paths.ignore, or raise max_file_size (--max-file-size on the command line)`) };
  }
  let text: string;
  if (typeof input.content === 'string') text = input.content.replace(/^\uFEFF/, '');
  else {
    const decoded = decodePythonSource(input.content);
    if (!decoded.ok) return { result: skipped(path, `not analysed: ${decoded.reason}`) };
    text = decoded.text;
  }
  // CPython ends lines at \r\n, \n and a lone \r (old Mac files); tree-sitter and the line index count \n
  // only. Same length, so offsets and columns are unchanged and only the rows become right.
  if (text.includes('\r')) text = text.replace(/\r(?!\n)/g, '\n');
  return { tree: parseSyntaxTree(parser, text, MAX_TREE_DEPTH, active.collect, checkpoint) };
}

/**
 * What a tree cut at the depth limit left out, as an error of the file (undefined when nothing was cut). The
 * rest of the file is analysed, but the cut part is not: it can hold calls and names (`eval(x) and a and b
 * and ...` puts the call deepest), so the review is incomplete, as for any code pyward did not read.
 */
export function cutError(path: string, tree: SyntaxTree): AnalysisError | undefined {
  if (!tree.cutIds.length) return undefined;
  let first = Infinity;
  let last = -1;
  for (const id of tree.cutIds) {
    const node = tree.node(id)!;
    first = Math.min(first, node.startPosition.row);
    last = Math.max(last, node.endPosition.row);
  }
  const lines = first === last ? `line ${first + 1}` : `lines ${first + 1}-${last + 1}`;
  return {
    path,
    kind: 'skipped',
    line: first + 1,
    message: `partly analysed: code on ${lines} is nested more than ${MAX_TREE_DEPTH} levels deep (a long chain of operators or deep brackets); the innermost part was not analysed, the rest of the file was`,
  };
}

