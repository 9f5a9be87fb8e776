/**
 * How source text reaches tree-sitter. web-tree-sitter asks JavaScript for the text in 5,119-character
 * chunks through an import of its WASM module and writes each character with a DataView call; on the CPython
 * stdlib that cost 120 ms of CPU per scan. pyward instantiates the runtime itself (emscripten's
 * `instantiateWasm` hook) with that one import replaced by a version that copies the chunk with a typed-array
 * loop, straight from the text when the parse input came from `textInput`. Anything else (another callback,
 * a big-endian host) takes the original path.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { runtimeWasmPath } from './wasm-files.js';

/** Characters per chunk: web-tree-sitter's 10 KiB input buffer, less the terminating NUL (lib/tree-sitter.c). */
const CHUNK = 5119;

/** The part of the WebAssembly API used here (the TypeScript libs in use do not declare it). */
interface Wasm {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => object;
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

interface EmscriptenModule {
  HEAPU16: Uint16Array;
  HEAP32: Int32Array;
  currentParseCallback?: ((index: number, position: { row: number; column: number }) => string | undefined) & { pywardText?: string };
  instantiateWasm?: (imports: { env: Record<string, unknown> }, done: (instance: object, module: object) => void) => unknown;
}

/** The parse input for `parser.parse(...)`: web-tree-sitter's own string callback, marked so the fast import can read the text directly. */
export function textInput(text: string): ((index: number) => string) & { pywardText: string } {
  return Object.assign((index: number) => text.slice(index), { pywardText: text });
}

/** Sets `module.instantiateWasm` so the runtime is instantiated with the faster input import. */
export function installFastInput(module: object): void {
  if (endianness() !== 'LE') return; // typed arrays are native-endian; WASM memory is little-endian
  const m = module as EmscriptenModule;
  const wasmPath = runtimeWasmPath();
  m.instantiateWasm = (imports, done) => {
    const original = imports.env.tree_sitter_parse_callback as ((...args: number[]) => void) | undefined;
    // Another runtime version without this import (or with another shape) keeps its own.
    if (typeof original === 'function' && original.length === 5) imports.env.tree_sitter_parse_callback = (buffer: number, index: number, row: number, column: number, lengthAddress: number) => {
      const callback = m.currentParseCallback;
      const text = callback?.pywardText;
      let chunk: string | undefined;
      let offset = 0;
      if (text !== undefined) {
        chunk = text;
        offset = index;
      } else {
        if (!callback) return original(buffer, index, row, column, lengthAddress);
        chunk = callback(index, { row, column });
      }
      const heap = m.HEAPU16;
      const base = buffer >> 1;
      const n = typeof chunk === 'string' ? Math.max(0, Math.min(chunk.length - offset, CHUNK)) : 0;
      for (let i = 0; i < n; i++) heap[base + i] = chunk!.charCodeAt(offset + i);
      heap[base + n] = 0;
      m.HEAP32[lengthAddress >> 2] = n;
    };
    // Synchronously: a failure then rejects web-tree-sitter's init instead of leaving it waiting.
    const compiled = new wasm.Module(readFileSync(wasmPath));
    done(new wasm.Instance(compiled, imports), compiled);
    return {};
  };
}
