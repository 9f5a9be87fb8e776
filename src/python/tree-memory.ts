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

/** The columns a copy fills (SyntaxTree's), with room reserved for every node beforehand. */
export interface TreeColumns {
  nodeCount: number;
  typeId: Uint16Array;
  fieldId: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  missingFlag: Uint8Array;
  orderedIds: number[];
  missingIds: number[];
  /** Nodes at the depth limit whose descendants were not copied (they became childless ERROR nodes). */
  cutIds: number[];
}

/** `kinds[typeId]` bits: the type has been classified, its nodes are listed in `orderedIds`, its tokens are not copied. */
export const KNOWN = 1;
export const COLLECTED = 2;
export const SKIPPED = 4;

/** tree-sitter's `ts_builtin_sym_error`: the type id of ERROR nodes, also given to nodes cut at the depth limit. */
export const ERROR_SYMBOL = 0xffff;

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
 * Copies the tree at `treePtr` (a `TSTree *`) into `out`: every node a tree cursor would visit, in document
 * (pre-)order, except tokens whose type `kinds` marks SKIPPED (unless MISSING). `classify(typeId, named)`
 * gives a type's bits the first time it is met. Positions are UTF-16 code units (web-tree-sitter parses
 * UTF-16, where tree-sitter counts bytes). Below `maxDepth` nothing is copied: a node at that depth with
 * children becomes a childless ERROR node listed in `cutIds` (not in `orderedIds`). Returns the depth reached
 * (maxDepth + 1 when cut). One loop with no call per node: it runs for every node of every file.
 */
export function copyTreeMemory(heap: WasmHeap, treePtr: number, maxDepth: number, out: TreeColumns, kinds: Uint8Array, classify: (typeId: number, named: boolean) => number): number {
  const u8 = heap.HEAPU8;
  const u16 = heap.HEAPU16;
  const u32 = heap.HEAPU32;
  const language = u32[(treePtr + 8) >> 2];
  const maxAliasLength = u16[(language + LANG_MAX_ALIAS_SEQUENCE_LENGTH) >> 1];
  const symbolMetadata = u32[(language + LANG_SYMBOL_METADATA) >> 2];
  const publicSymbols = u32[(language + LANG_PUBLIC_SYMBOL_MAP) >> 2] >> 1;
  const aliasSequences = u32[(language + LANG_ALIAS_SEQUENCES) >> 2] >> 1;
  const fields = fieldTable(language, u8, u16, u32);
  const { typeId: typeIds, fieldId: fieldIds, start: starts, end: ends, parent: parents, firstChild, lastChild, nextSibling, missingFlag, orderedIds, missingIds, cutIds } = out;
  let count = out.nodeCount;
  let deepest = 0;

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

  // The root first (a heap subtree; an empty file is a childless module), then its descendants.
  if ((u8[treePtr] & 1) === 1) throw new Error('unexpected inline root');
  let ptr = u32[treePtr >> 2];
  let position = u32[(ptr + HEAP_PADDING_BYTES) >> 2];
  let symbol = u16[(ptr + HEAP_SYMBOL) >> 1];
  let named = (u8[ptr + HEAP_FLAGS] & 2) !== 0;
  let missing = (u8[ptr + HEAP_FLAGS + 1] & 2) !== 0;
  let size = u32[(ptr + HEAP_SIZE_BYTES) >> 2];
  let field = 0;
  let parentId = -1;
  let depth = 0;
  let child = ptr;
  let childCount = u32[(ptr + HEAP_CHILD_COUNT) >> 2];
  for (;;) {
    // Copy the visible node in (symbol, named, field, position, size, missing) under parentId.
    const typeId = symbol === ERROR_SYMBOL ? symbol : u16[publicSymbols + symbol];
    let kind = kinds[typeId];
    if (kind === 0) kind = kinds[typeId] = classify(typeId, named) | KNOWN;
    let id = -1;
    if ((kind & SKIPPED) === 0 || parentId === -1 || missing) {
      id = count++;
      typeIds[id] = typeId;
      fieldIds[id] = field;
      starts[id] = position >> 1;
      ends[id] = (position + size) >> 1;
      parents[id] = parentId;
      firstChild[id] = -1;
      lastChild[id] = -1;
      nextSibling[id] = -1;
      missingFlag[id] = missing ? 1 : 0;
      if (parentId !== -1) {
        const last = lastChild[parentId];
        if (last === -1) firstChild[parentId] = id;
        else nextSibling[last] = id;
        lastChild[parentId] = id;
      }
      if ((kind & COLLECTED) !== 0) orderedIds.push(id);
      if (missing) missingIds.push(id);
    }
    // As the cursor copy counts: the depth of the deepest node, or past the limit once a node reaches it.
    if (depth > deepest) deepest = depth;
    if (depth >= maxDepth) {
      deepest = maxDepth + 1;
      if (childCount > 0 && id !== -1 && u32[(child + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0) {
        // What lies below is not copied: the node stands for it as an ERROR leaf that no rule mistakes for code.
        if (kinds[ERROR_SYMBOL] === 0) kinds[ERROR_SYMBOL] = classify(ERROR_SYMBOL, true) | KNOWN;
        typeIds[id] = ERROR_SYMBOL;
        if (orderedIds[orderedIds.length - 1] === id) orderedIds.pop();
        cutIds.push(id);
      }
    } else if (childCount > 0) {
      top++;
      framePtr[top] = child;
      frameIndex[top] = 0;
      frameStructural[top] = 0;
      framePosition[top] = position;
      frameParent[top] = id === -1 ? parentId : id;
      frameDepth[top] = depth + 1;
      frameInherited[top] = 0;
    }

    // Find the next visible node: the next child of the innermost frame, through hidden subtrees.
    let found = false;
    while (top >= 0 && !found) {
      ptr = framePtr[top];
      const frameChildren = u32[(ptr + HEAP_CHILD_COUNT) >> 2];
      const i = frameIndex[top];
      if (i >= frameChildren) {
        top--;
        continue;
      }
      frameIndex[top] = i + 1;
      const address = ptr - (frameChildren - i) * SUBTREE_SIZE;
      const inline = (u8[address] & 1) === 1;
      child = inline ? 0 : u32[address >> 2];
      let visible: boolean;
      let extra: boolean;
      let padding: number;
      if (inline) {
        const bits = u8[address];
        visible = (bits & 2) !== 0;
        named = (bits & 4) !== 0;
        extra = (bits & 8) !== 0;
        missing = (bits & 32) !== 0;
        symbol = u8[address + 1];
        padding = u8[address + 6];
        size = u8[address + 7];
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
      position = i > 0 ? framePosition[top] + padding : framePosition[top];
      framePosition[top] = position + size;
      field = 0;
      if (!extra) {
        const productionId = u16[(ptr + HEAP_PRODUCTION_ID) >> 1];
        const structural = frameStructural[top];
        if (productionId !== 0) {
          const alias = u16[aliasSequences + productionId * maxAliasLength + structural];
          if (alias !== 0) {
            visible = true;
            symbol = alias;
            named = u8[symbolMetadata + alias * 3 + 1] !== 0;
          }
        }
        if (structural < 256) field = fields[productionId * 256 + structural];
        frameStructural[top] = structural + 1;
      }
      childCount = inline ? 0 : u32[(child + HEAP_CHILD_COUNT) >> 2];
      depth = frameDepth[top];
      parentId = frameParent[top];
      if (visible) {
        // A hidden parent's field reaches its visible children when they have none of their own.
        field ||= frameInherited[top];
        found = true;
      } else if (childCount > 0 && u32[(child + HEAP_VISIBLE_CHILD_COUNT) >> 2] > 0) {
        const inherited = extra ? 0 : field || frameInherited[top];
        top++;
        framePtr[top] = child;
        frameIndex[top] = 0;
        frameStructural[top] = 0;
        framePosition[top] = position;
        frameParent[top] = parentId;
        frameDepth[top] = depth;
        frameInherited[top] = inherited;
      }
    }
    if (!found) break;
  }
  out.nodeCount = count;
  return deepest;
}

/** Nodes a cursor would visit in the tree at `treePtr` (`Node.descendantCount` of the root, without a WASM call). */
export function visibleNodeCount(heap: WasmHeap, treePtr: number): number {
  const root = heap.HEAPU32[treePtr >> 2];
  if ((heap.HEAPU8[treePtr] & 1) === 1 || heap.HEAPU32[(root + HEAP_CHILD_COUNT) >> 2] === 0) return 1;
  return heap.HEAPU32[(root + HEAP_VISIBLE_DESCENDANT_COUNT) >> 2] + 1;
}
