/**
 * Where the two WASM files are: the tree-sitter runtime (web-tree-sitter's) and the Python grammar
 * (tree-sitter-python's). Installed, each is in its package. The Action's bundle has no node_modules: it
 * carries both files beside itself (scripts/action-bundle.mjs), and there `import.meta.url` is the bundle's,
 * so a file of that name beside this module comes first.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function beside(name: string): string | undefined {
  const path = fileURLToPath(new URL(name, import.meta.url));
  return existsSync(path) ? path : undefined;
}

/** web-tree-sitter's runtime, tree-sitter.wasm. */
export function runtimeWasmPath(): string {
  return beside('tree-sitter.wasm') ?? join(dirname(createRequire(import.meta.url).resolve('web-tree-sitter')), 'tree-sitter.wasm');
}

/** The Python grammar, tree-sitter-python.wasm. */
export function pythonWasmPath(): string {
  return beside('tree-sitter-python.wasm') ?? createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
}
