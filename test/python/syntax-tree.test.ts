import { parse, parseSyntaxTree, pythonParser, treeCopyMode, wasmModule } from '../../src/python/parser.js';
import { MODEL_NODE_TYPES } from '../../src/python/scopes.js';
import { copyTree, sameTree, SyntaxTree } from '../../src/python/syntax-tree.js';
import { visibleNodeCount, type WasmHeap } from '../../src/python/tree-memory.js';

const SOURCES = [
  'import os\nos.system(f"ls {x!r}")\n',
  'def f(:\n    pass\nclass A(\n',
  'café = "ü" + """\nmulti\n"""\nπ = [i for i in range(3) if (y := i)]\n',
  'x = ' + '('.repeat(200) + '1' + ')'.repeat(200) + '\n',
  '',
  'match p:\n    case {"a": [1, *rest]}:\n        pass\n',
  // aliases (keyword_identifier, as_pattern_target), fields through hidden nodes, extras between tokens
  'print >> f, "x"; exec "y"\nwith a as (b, c), d: pass\nx = [  # c\n  1, \\\n  2]\n',
  'def g[T](a, /, *, b: int = 1) -> T:\n    return (yield a)\ntype X[U] = list[U]\n',
  '𝔘 = "𝔘"; z = f"{𝔘!r:>{w}} {{}}"\r\nif x:\r\n  pass\r\n',
  `x = ${'['.repeat(50)}${']'.repeat(50)}\n`,
  `y = ${Array.from({ length: 40 }, (_, i) => `"s${i}"`).join(' + ')}\nz = ${Array.from({ length: 40 }, (_, i) => `a${i}`).join(' and ')}\n`,
];

function columns(t: SyntaxTree) {
  const n = t.nodeCount;
  return {
    n,
    typeId: [...t.typeId.slice(0, n)],
    fieldId: [...t.fieldId.slice(0, n)],
    start: [...t.start.slice(0, n)],
    end: [...t.end.slice(0, n)],
    parent: [...t.parent.slice(0, n)],
    missing: [...t.missingFlag.slice(0, n)],
    ordered: t.orderedIds,
    cut: t.cutIds,
    maxDepth: t.maxDepth,
  };
}

describe('copying the tree out of WASM', () => {
  it.each(SOURCES.map((s) => [s.slice(0, 30), s]))('direct cursor calls give the same tree as the public API: %j', async (_label, source) => {
    const parser = await pythonParser();
    const direct = parseSyntaxTree(parser, source, 1000, MODEL_NODE_TYPES);
    const wasmTree = parse(parser, source);
    try {
      const viaPublicApi = copyTree(wasmTree, source, 1000, MODEL_NODE_TYPES);
      expect(columns(direct)).toEqual(columns(viaPublicApi));
    } finally {
      wasmTree.delete();
    }
  });

  it.each(SOURCES.map((s) => [s.slice(0, 30), s]))('reading WASM memory gives the same tree as the cursor: %j', async (_label, source) => {
    const parser = await pythonParser();
    const wasmTree = parse(parser, source);
    try {
      for (const depth of [1000, 3, 1]) {
        const fromMemory = copyTree(wasmTree, source, depth, MODEL_NODE_TYPES, wasmModule, 'memory');
        const viaCursor = copyTree(wasmTree, source, depth, MODEL_NODE_TYPES, wasmModule, 'cursor');
        expect(columns(fromMemory)).toEqual(columns(viaCursor));
        expect(sameTree(fromMemory, viaCursor)).toBe(true);
      }
    } finally {
      wasmTree.delete();
    }
  });

  it.each(['memory', 'cursor'] as const)('%s copy: a node at the depth limit with children becomes a childless ERROR leaf spanning what was cut', async (mode) => {
    const parser = await pythonParser();
    const source = `x = 1\ny = ${Array.from({ length: 30 }, (_, i) => `a${i}`).join(' and ')}\nz = 2\n`;
    const wasmTree = parse(parser, source);
    try {
      const tree = copyTree(wasmTree, source, 10, new Set([...MODEL_NODE_TYPES, 'identifier']), wasmModule, mode);
      expect(tree.cutIds.length).toBeGreaterThan(0);
      for (const id of tree.cutIds) {
        const node = tree.node(id)!;
        expect(node.type).toBe('ERROR');
        expect(node.childCount).toBe(0);
        expect(tree.orderedIds).not.toContain(id);
      }
      // The innermost operator is cut: its text is the start of the chain, on line 2.
      const cut = tree.node(tree.cutIds[0])!;
      expect(cut.startPosition.row).toBe(1);
      expect(cut.text.startsWith('a0 and a1')).toBe(true);
      // Nothing below the cut was copied; the identifiers after the chain and on other lines were.
      const identifiers = tree.orderedIds.map((id) => tree.node(id)!).filter((n) => n.type === 'identifier').map((n) => n.text);
      expect(identifiers).toEqual(expect.arrayContaining(['x', 'y', 'a29', 'z']));
      expect(identifiers).not.toContain('a0');
    } finally {
      wasmTree.delete();
    }
  });

  it('uses the memory walk (its layout check passed on this runtime)', async () => {
    await pythonParser();
    expect(treeCopyMode()).toBe('memory');
  });

  it('a tree survives the move to another thread (its one buffer transferred)', async () => {
    const parser = await pythonParser();
    const source = 'import os\nos.system(cmd)  # nosec\ndef f(:\n';
    const tree = parseSyntaxTree(parser, source, 1000, MODEL_NODE_TYPES);
    const reference = parseSyntaxTree(parser, source, 1000, MODEL_NODE_TYPES);
    const { data, transfer } = tree.toTransfer();
    const moved = SyntaxTree.fromTransfer(structuredClone(data, { transfer }));
    expect(transfer[0].byteLength).toBe(0); // moved, not copied
    expect(sameTree(moved, reference)).toBe(true);
    expect(moved.root.descendantsOfType('call')[0].text).toBe('os.system(cmd)');
    expect(moved.missing.map((m) => m.type)).toEqual(reference.missing.map((m) => m.type));
  });

  it('nodes answer like tree-sitter nodes, without the punctuation tokens', async () => {
    const parser = await pythonParser();
    const tree = parseSyntaxTree(parser, 'x = f(a, b=1)\n');
    const call = tree.root.descendantsOfType('call')[0];
    expect(call.childForFieldName('function')?.text).toBe('f');
    expect(call.childForFieldName('arguments')?.children.map((c) => c.type)).toEqual(['(', 'identifier', 'keyword_argument', ')']);
    expect(call.parent?.type).toBe('assignment');
    expect(call.startPosition).toEqual({ row: 0, column: 4 });
    expect(call.equals(tree.root.descendantsOfType('call')[0])).toBe(true);
  });

  it('survives many trees in a row (the cursor stack is handed back before it is freed)', async () => {
    const parser = await pythonParser();
    const deep = `def f():\n${'    if x:\n'.split('\n')[0]}\n`;
    for (let i = 0; i < 300; i++) parseSyntaxTree(parser, `${deep}${'    ' + '['.repeat(60) + ']'.repeat(60)}\n`);
    expect(parseSyntaxTree(parser, 'y = 1\n').root.type).toBe('module');
  });
});

it('counts the nodes of a tree from WASM memory as tree-sitter does', async () => {
  const parser = await pythonParser();
  for (const source of SOURCES) {
    const tree = parse(parser, source);
    try {
      expect(visibleNodeCount(wasmModule as unknown as WasmHeap, (tree as unknown as number[])[0])).toBe(tree.rootNode.descendantCount);
    } finally {
      tree.delete();
    }
  }
});

it('feeds long text to tree-sitter in chunks the same way from the text and through a callback', async () => {
  const parser = await pythonParser();
  // chunk boundaries (5,119 characters) fall inside astral characters, CRLF pairs and string literals
  const line = 'x = "𝔘𝔘 é" + f"{y!r}"\r\n';
  const source = line.repeat(800) + 'eval(x)\n';
  const fast = parse(parser, source);
  const viaCallback = parser.parse((index: number) => source.slice(index));
  try {
    expect(viaCallback).not.toBeNull();
    expect(fast.rootNode.endIndex).toBe(source.length);
    const copy = (t: typeof fast) => copyTree(t, source, 1000, MODEL_NODE_TYPES, wasmModule, 'memory');
    expect(sameTree(copy(fast), copy(viaCallback!))).toBe(true);
    expect(fast.rootNode.hasError).toBe(false);
  } finally {
    fast.delete();
    viaCallback?.delete();
  }
});
