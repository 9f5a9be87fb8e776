import { parse, parseSyntaxTree, pythonParser } from '../../src/python/parser.js';
import { MODEL_NODE_TYPES } from '../../src/python/scopes.js';
import { copyTree, type SyntaxTree } from '../../src/python/syntax-tree.js';

const SOURCES = [
  'import os\nos.system(f"ls {x!r}")\n',
  'def f(:\n    pass\nclass A(\n',
  'café = "ü" + """\nmulti\n"""\nπ = [i for i in range(3) if (y := i)]\n',
  'x = ' + '('.repeat(200) + '1' + ')'.repeat(200) + '\n',
  '',
  'match p:\n    case {"a": [1, *rest]}:\n        pass\n',
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
