/**
 * Reads a tree-sitter tree straight out of WASM linear memory, without a call into WASM per node.
 *
 * A cursor walk costs 6-7 JS->WASM calls a node (type, field, start, end, first child, next sibling) and each
 * call rebuilds the cursor's node: a quarter of pyward's CPU time on the CPython stdlib. The tree's layout is
 * fixed by the tree-sitter runtime that web-tree-sitter ships (lib/subtree.h, lib/tree_cursor.c, lib/parser.h
 * in its package, pinned by our lockfile); this module follows the same rules as `ts_tree_cursor_*` for which
 * nodes are visible (own flag or an alias), their public type id, field names (inherited through hidden
 * nodes) and positions. `memoryLayoutWorks` checks it against the cursor on a sample before it is trusted,
 * so a runtime with another layout falls back to the cursor instead of producing a wrong tree.
 */

/** The emscripten heap views (web-tree-sitter's Module fills them in and renews them when memory grows). */
export interface WasmHeap {
  HEAPU8: Uint8Array;
  HEAPU16: Uint16Array;
  HEAPU32: Uint32Array;
}

/** Called for every visible node in document (pre-)order; returns the id given to it (or -1 if not kept). */
export type NodeSink = (typeId: number, named: boolean, fieldId: number, start: number, end: number, missing: boolean, parent: number) => number;

const ERROR_SYMBOL = 0xffff;

// TSLanguage (lib/parser.h), wasm32 offsets.
const LANG_PRODUCTION_ID_COUNT = 28;
const LANG_FIELD_COUNT = 32;
const LANG_MAX_ALIAS_SEQUENCE_LENGTH = 36;
const LANG_FIELD_MAP_SLICES = 64;
const LANG_FIELD_MAP_ENTRIES = 68;
const LANG_SYMBOL_METADATA = 72;
const LANG_PUBLIC_SYMBOL_MAP = 76;
const LANG_ALIAS_SEQUENCES = 84;

// SubtreeHeapData (lib/subtree.h), wasm32 offsets.
const HEAP_PADDING_BYTES = 4;
const HEAP_SIZE_BYTES = 16;
const HEAP_CHILD_COUNT = 36;
const HEAP_SYMBOL = 40;
const HEAP_FLAGS = 44; // visible, named, extra, ... (byte 44); depends_on_column, is_missing, is_keyword (byte 45)
const HEAP_VISIBLE_CHILD_COUNT = 48;
const HEAP_VISIBLE_DESCENDANT_COUNT = 56;
const HEAP_PRODUCTION_ID = 66;
const SUBTREE_SIZE = 8;

/** Field ids by production and structural child index (a field map lookup per child is a scan otherwise). */
const fieldTables = new Map<number, Uint16Array>();

function fieldTable(language: number, u8: Uint8Array, u16: Uint16Array, u32: Uint32Array): Uint16Array {
  let table = fieldTables.get(language);
  if (table) return table;
  const productions = u32[(language + LANG_PRODUCTION_ID_COUNT) >> 2];
  table = new Uint16Array(Math.max(1, productions) * 256);
  if (u32[(language + LANG_FIELD_COUNT) >> 2] > 0) {
    const slices = u32[(language + LANG_FIELD_MAP_SLICES) >> 2];
    const entries = u32[(language + LANG_FIELD_MAP_ENTRIES) >> 2];
    for (let production = 0; production < productions; production++) {
      const slice = slices + production * 4;
      const start = u16[slice >> 1];
      const length = u16[(slice + 2) >> 1];
      // The first entry that is not inherited wins, as in ts_tree_cursor_current_field_id.
      for (let e = entries + (start + length - 1) * 4; e >= entries + start * 4; e -= 4) {
        if (u8[e + 3] === 0) table[production * 256 + u8[e + 2]] = u16[e >> 1];
      }
    }
  }
  fieldTables.set(language, table);
  return table;
}

/**
 * Walks the tree at `treePtr` (a `TSTree *`), calling `sink` for each node a tree cursor would visit.
 * Positions are UTF-16 code units (web-tree-sitter parses UTF-16, where tree-sitter counts bytes).
 * Below `maxDepth` nothing is visited; returns the depth reached (maxDepth + 1 when cut).
 */
export function walkTreeMemory(heap: WasmHeap, treePtr: number, maxDepth: number, sink: NodeSink): number {
  const u8 = heap.HEAPU8;
  const u16 = heap.HEAPU16;
  const u32 = heap.HEAPU32;
  const language = u32[(treePtr + 8) >> 2];
  const maxAliasLength = u16[(language + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >> 1];
  const symbolMetadata = u32[(language + LANG_SYMBOL_METADATA) >> 2];
  const publicSymbolMap = u32[(language + LANG_PUBLIC_SYMBOL_MAP) >> 2];
  const aliasSequences = u32[(language + LANG_ALIAS_SEQUENCES) >> 2];
  let deepest = 0;

  const publicSymbol = (symbol: number) => (symbol === ERROR_SYMBOL ? symbol : u16[(publicSymbolMap >> 1) + symbol]);
  const fields = fieldTable(language, u8, u16, u32);
  /** The field a parent's production gives its structural child `index` (0: none). */
  const fieldAt = (productionId: number, index: number): number => (index < 256 ? fields[productionId * 256 + index] : 0);

  // An explicit stack (Python nests deep enough to overflow the JS stack through hidden nodes): one frame per
  // heap subtree whose children are being visited. `parent` is the nearest visible ancestor's id, `inherited`
  // the field a hidden subtree passes down (0 when the subtree is visible), `position` where the next child's
  // padding starts (the first child's padding is the subtree's own, already counted).
  const framePtr: number[] = [];
  const frameIndex: number[] = [];
  const frameStructural: number[] = [];
  const framePosition: number[] = [];
  const frameParent: number[] = [];
  const frameDepth: number[] = [];
  const frameInherited: number[] = [];
  let top = -1;
  const push = (ptr: number, position: number, parentId: number, depth: number, inherited: number) => {
    top++;
    framePtr[top] = ptr;
    frameIndex[top] = 0;
    frameStructural[top] = 0;
    framePosition[top] = position;
    frameParent[top] = parentId;
    frameDepth[top] = depth;
    frameInherited[top] = inherited;
  };

  const walk = (): void => {
    while (top >= 0) {
      const ptr = framePtr[top];
      const count = u32[(ptr + HEAP_CHILD_COUNT) >> 2];
      const i = frameIndex[top];
      if (i >= count) {
        top--;
        continue;
      }
      frameIndex[top] = i + 1;
      const childAddress = ptr - (count - i) * SUBTREE_SIZE;
      const inline = (u8[childAddress] & 1) === 1;
      const child = inline ? 0 : u32[childAddress >> 2];
      let symbol: number;
      let visible: boolean;
      let named: boolean;
      let extra: boolean;
      let missing: boolean;
      let padding: number;
      let size: number;
      if (inline) {
        const bits = u8[childAddress];
        visible = (bits & 2) !== 0;
        named = (bits & 4) !== 0;
        extra = (bits & 8) !== 0;
        missing = (bits & 32) !== 0;
        symbol = u8[childAddress + 1];
        padding = u8[childAddress + 6];
        size = u8[childAddress + 7];
      } else {
        const bits = u8[child + HEAP_FLAGS];
        visible = (bits & 1) !== 0;
        named = (bits & 2) !== 0;
        extra = (bits & 4) !== 0;
        missing = (u8[child + HEAP_FLAGS + 1] & 2) !== 0;
        symbol = u16[(child + HEAP_SYMBOL) >> 1];
        padding = u32[(child + HEAP_PADDING_BYTES) >> 2];
        size = u32[(child + HEAP_SIZE_BYTES) >> 2];
      }
      const position = i > 0 ? framePosition[top] + padding : framePosition[top];
      framePosition[top] = position + size;
      let field = 0;
      if (!extra) {
        const productionId = u16[(ptr + HEAP_PRODUCTION_ID) >> 1];
        const structural = frameStructural[top];
        if (productionId) {
          const alias = u16[(aliasSequences >> 1) + productionId * maxAliasLength + structural];
          if (alias !== 0) {
            visible = true;
            symbol = alias;
            named = u8[symbolMetadata + alias * 3 + 1] !== 0;
          }
        }
        field = fieldAt(productionId, structural);
        frameStructural[top] = structural + 1;
      }
      const childCount = inline ? 0 : u32[(child + HEAP_CHILD_COUNT) >> 2];
      const depth = frameDepth[top];
      const parentId = frameParent[top];
      const inherited = frameInherited[top];
      if (visible) {
        // A hidden parent's field reaches its visible children when they have none of their own.
        const id = sink(publicSymbol(symbol), named, field || inherited, position >> 1, (position + size) >> 1, missing, parentId);
        // As the cursor copy counts: the depth of the deepest node, or past the limit once a node reaches it.
        if (depth > deepest) deepest = depth;
        if (depth >= maxDepth) deepest = maxDepth + 1;
        else if (childCount > 0) push(child, position, id === -1 ? parentId : id, depth + 1, 0);
      } else if (childCount > 0 && u32[(child + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0) {
        push(child, position, parentId, depth, extra ? 0 : field || inherited);
      }
    }
  };

  // The root: a heap subtree (a module always has children; an empty file is a childless module).
  const rootInline = (u8[treePtr] & 1) === 1;
  if (rootInline) throw new Error('unexpected inline root');
  const root = u32[treePtr >> 2];
  const rootPosition = u32[(root + HEAP_PADDING_BYTES) >> 2];
  const rootFlags = u8[root + HEAP_FLAGS];
  const rootId = sink(
    publicSymbol(u16[(root + HEAP_SYMBOL) >> 1]),
    (rootFlags & 2) !== 0,
    0,
    rootPosition >> 1,
    (rootPosition + u32[(root + HEAP_SIZE_BYTES) >> 2]) >> 1,
    (u8[root + HEAP_FLAGS + 1] & 2) !== 0,
    -1,
  );
  if (maxDepth <= 0) return maxDepth + 1;
  if (u32[(root + HEAP_CHILD_COUNT) >> 2] > 0) {
    push(root, rootPosition, rootId, 1, 0);
    walk();
  }
  return deepest;
}

/** Nodes a cursor would visit in the tree at `treePtr` (`Node.descendantCount` of the root, without a WASM call). */
export function visibleNodeCount(heap: WasmHeap, treePtr: number): number {
  const root = heap.HEAPU32[treePtr >> 2];
  if ((heap.HEAPU8[treePtr] & 1) === 1 || heap.HEAPU32[(root + HEAP_CHILD_COUNT) >> 2] === 0) return 1;
  return heap.HEAPU32[(root + HEAP_VISIBLE_DESCENDANT_COUNT) >> 2] + 1;
}
