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

export function parse(parser: Parser, text: string): Tree {
  const tree = parser.parse(textInput(text));
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

/** Parse and copy into a plain-JS SyntaxTree; the WASM tree is freed before returning. */
export function parseSyntaxTree(
  parser: Parser,
  text: string,
  maxDepth = Number.MAX_SAFE_INTEGER,
  collect: ReadonlySet<string> = MODEL_NODE_TYPES,
): SyntaxTree {
  const tree = parse(parser, text);
  try {
    return copyTree(tree, text, maxDepth, collect, wasmModule, copyMode);
  } finally {
    tree.delete();
  }
}
