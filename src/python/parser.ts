/**
 * tree-sitter Python parser (WASM). The runtime and grammar load once per process (or worker thread);
 * every caller shares the same Parser. Trees hold WASM memory: callers must `tree.delete()` them.
 */
import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';
import { MODEL_NODE_TYPES } from './scopes.js';
import { copyTree, type SyntaxTree, type WasmModule } from './syntax-tree.js';

let loading: Promise<Parser> | undefined;
/** The emscripten Module object web-tree-sitter fills in at init; lets the tree copy call the cursor exports directly. */
const wasmModule = {} as WasmModule;

export function pythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    await Parser.init(wasmModule);
    const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

export function parse(parser: Parser, text: string): Tree {
  const tree = parser.parse(text);
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
    return copyTree(tree, text, maxDepth, collect, wasmModule);
  } finally {
    tree.delete();
  }
}
