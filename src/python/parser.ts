/**
 * tree-sitter Python parser (WASM). The runtime and grammar load once per process (or worker thread);
 * every caller shares the same Parser. Trees hold WASM memory: callers must `tree.delete()` them.
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { MODEL_NODE_TYPES } from './scopes.js';
import { copyTree, sameTree, type CopyMode, type SyntaxTree, type WasmModule } from './syntax-tree.js';
import { pythonWasmPath } from './wasm-files.js';
import { installFastInput, textInput } from './wasm-input.js';

let loading: Promise<Parser> | undefined;
/** The emscripten Module object web-tree-sitter fills in at init; lets the tree copy call the cursor exports directly. */
export const wasmModule = {} as WasmModule;
/** How trees are copied out of WASM: from memory once a sample has shown the layout is the one we read. */
let copyMode: CopyMode = 'cursor';

/**
 * Python that exercises what the memory walk must get right: aliases, fields on hidden nodes, extras
 * (comments, line continuations), syntax errors and MISSING nodes, f-strings, decorators, match, type
 * parameters, non-ASCII and astral characters (UTF-16 positions), CRLF.
 */
const LAYOUT_SAMPLE = [
  '# -*- coding: utf-8 -*-\r',
  'import os.path as p, sys  # c\r',
  'from . import (a as b, c)\r',
  '@dec(1, *x, k=v, **kw)\r',
  'async def f[T: int](a, /, b: int = 2, *args, c, **kw) -> "R":\r',
  '    """doc ✓ 𝔘"""\r',
  '    x = y = [i async for i in g() if i] ; z += 1\r',
  '    print(f"{x!r:>{w}} {{ 𝔘 {y=}", end="") \\\r',
  '        if x else exec("1")\r',
  '    match p:\r',
  '        case {"k": [1, *rest]} | Point(x=0) as q if q: pass\r',
  '    return lambda n, *, m=1: (yield n) if (w := n) else not n in m\r',
  'class C(B, metaclass=M):\r',
  '    type A[U] = list[U]\r',
  'try: del a[1:2, ...], b.c\r',
  'except* (E, F) as e: raise X from e\r',
  'print >> sys.stderr, "x"\r',
  'def broken(:\r',
  '    x = (1,\r',
  'while True: assert x, "m"; global g; nonlocal h\r',
  'with open("f") as fh, (ctx() as (u, v)): s = b"\\x00" rb"\\d" u"é" "a" "b"\r',
  'for k, *v in {**d, 1: 2}.items(): continue\r',
  'if a is not b and c not in d or -e ** 2 @ f // g: ...\r',
  'x = [*a, *b][::2]; y = {1, 2}; z = {k: v for k, v in w}; t = (i for i in j)\r',
  'exec "old"\r',
].join('\n');

/** Copies the sample from memory and through the cursor; the memory walk is used only when they agree. */
function memoryLayoutWorks(parser: Parser): boolean {
  if (!wasmModule.HEAPU8) return false;
  const tree = parser.parse(LAYOUT_SAMPLE);
  if (!tree) return false;
  try {
    const fromMemory = copyTree(tree, LAYOUT_SAMPLE, MAX_SAMPLE_DEPTH, MODEL_NODE_TYPES, wasmModule, 'memory');
    return sameTree(fromMemory, copyTree(tree, LAYOUT_SAMPLE, MAX_SAMPLE_DEPTH, MODEL_NODE_TYPES, wasmModule, 'cursor'));
  } catch {
    return false;
  } finally {
    tree.delete();
  }
}
const MAX_SAMPLE_DEPTH = 1000;

/** The copy mode in use (for tests and benchmarks). */
export function treeCopyMode(): CopyMode {
  return copyMode;
}

export function pythonParser(): Promise<Parser> {
  loading ??= (async () => {
    installFastInput(wasmModule);
    await Parser.init(wasmModule);
    const language = await Language.load(pythonWasmPath());
    const parser = new Parser();
    parser.setLanguage(language);
    copyMode = memoryLayoutWorks(parser) ? 'memory' : 'cursor';
    return parser;
  })();
  return loading;
}

/**
 * Progress callbacks of tree-sitter between two calls of a parse's `checkpoint`: tree-sitter calls back about
 * every 25 bytes (each call crosses from WASM to JS), so the checkpoint runs every few milliseconds.
 */
const PARSE_CALLBACKS_PER_CHECKPOINT = 256;

/**
 * Parses `text`. `checkpoint` (see engine/analyze-file.ts) is called while tree-sitter works and may throw
 * to stop the parse: tree-sitter's progress callback cancels it (an exception must not cross the WASM
 * frames), the parser is reset for the next file, and the exception is thrown here. Without a checkpoint no
 * callback is installed (it costs about 20% of the parse).
 */
export function parse(parser: Parser, text: string, checkpoint?: () => void): Tree {
  let stopped: { reason: unknown } | undefined;
  let calls = 0;
  const progressCallback = () => {
    if (++calls % PARSE_CALLBACKS_PER_CHECKPOINT !== 0) return false;
    try {
      checkpoint!();
      return false;
    } catch (reason) {
      stopped = { reason };
      return true; // cancels the parse
    }
  };
  const tree = checkpoint ? parser.parse(textInput(text), null, { progressCallback }) : parser.parse(textInput(text));
  if (stopped) {
    tree?.delete();
    parser.reset(); // a cancelled parse would otherwise resume in the next call
    throw stopped.reason;
  }
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Parse and copy into a plain-JS SyntaxTree; the WASM tree is freed before returning. */
export function parseSyntaxTree(
  parser: Parser,
  text: string,
  maxDepth = Number.MAX_SAFE_INTEGER,
  collect: ReadonlySet<string> = MODEL_NODE_TYPES,
  checkpoint?: () => void,
): SyntaxTree {
  const tree = parse(parser, text, checkpoint);
  try {
    return copyTree(tree, text, maxDepth, collect, wasmModule, copyMode);
  } finally {
    tree.delete();
  }
}
