import type { SyntaxNode as Node } from '../../src/python/syntax-tree.js';
import { parseSyntaxTree, pythonParser } from '../../src/python/parser.js';
import { Resolver } from '../../src/python/resolve.js';
import { buildFileModel, type Scope } from '../../src/python/scopes.js';

/** Resolve every call in `source` whose line ends with `# <-`; returns qualified names in order. */
async function qnamesOfMarked(source: string): Promise<(string | undefined)[]> {
  const parser = await pythonParser();
  const tree = parseSyntaxTree(parser, source);
  {
    const model = buildFileModel(tree);
    const resolver = new Resolver(model);
    const lines = source.split('\n');
    const out: (string | undefined)[] = [];
    const seenRows = new Set<number>();
    const visit = (node: Node, scope: Scope) => {
      const inner = model.scopes.get(node.id) ?? scope;
      if (node.type === 'call' && lines[node.startPosition.row].trimEnd().endsWith('# <-') && !seenRows.has(node.startPosition.row)) {
        seenRows.add(node.startPosition.row); // the outermost call on the line
        out.push(resolver.call(node, scope).qname);
      }
      for (const child of node.children) if (child) visit(child, inner);
    };
    visit(tree.root, model.module);
    return out;
  }
}

describe('qualified names', () => {
  it.each([
    ['import subprocess\nsubprocess.Popen(cmd)  # <-', 'subprocess.Popen'],
    ['import subprocess as sp\nsp.Popen(cmd)  # <-', 'subprocess.Popen'],
    ['from subprocess import Popen as P\nP(cmd)  # <-', 'subprocess.Popen'],
    ['from subprocess import *\ncheck_output(cmd)  # <-', 'subprocess.check_output'],
    ['from os import *\nsystem(cmd)  # <-', 'os.system'],
    ['import os.path\nos.path.join(a)  # <-', 'os.path.join'],
    ['import xml.etree.ElementTree as ET\nET.parse(f)  # <-', 'xml.etree.ElementTree.parse'],
    ['import importlib\nimportlib.import_module("pickle").loads(b)  # <-', 'pickle.loads'],
    ['m = __import__("pickle")\nm.loads(b)  # <-', 'pickle.loads'],
    ['x = __import__("os.path")\nx.system(c)  # <-', 'os.system'],
    ['import subprocess\nrunner = subprocess.run\nrunner(c)  # <-', 'subprocess.run'],
    ['import subprocess\ndef f():\n    import pickle as p\n    p.loads(b)  # <-', 'pickle.loads'],
    ['try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\npickle.loads(b)  # <-', 'pickle.loads'],
    ['import requests\ns = requests.Session()\ns.get(u)  # <-', 'requests.Session().get'],
    ['eval(x)  # <-', 'eval'],
    ['def eval(x):\n    return x\neval(y)  # <-', undefined],
    ['def f(eval):\n    eval(y)  # <-', undefined],
    ['import os\nclass A:\n    os = None\n    def m(self):\n        os.system(c)  # <-', 'os.system'],
    ['import pickle\nx = pickle\nx = x.loads\nx(b)  # <-', 'pickle.loads'],
    ['import yaml\n(yaml.load)(s)  # <-', 'yaml.load'],
    ['if (y := __import__("yaml")):\n    y.load(s)  # <-', 'yaml.load'],
    ['from . import utils\nutils.run(c)  # <-', '.utils.run'],
    ['import requests\nclass C:\n    def __init__(self):\n        self.s = requests.Session()\n    def get(self, u):\n        return self.s.get(u)  # <-', 'requests.Session().get'],
    ['import requests\nclass C:\n    @staticmethod\n    def get(self, u):\n        self.s = requests\n        return self.s.get(u)  # <-', undefined],
    ['import subprocess\nwith subprocess.Popen(c) as p:\n    p.communicate()  # <-', 'subprocess.Popen().communicate'],
    ['import subprocess\ngetattr(subprocess, "Popen")(c)  # <-', 'subprocess.Popen'],
    ['import subprocess\nNAME = "run"\ngetattr(subprocess, NAME)(c)  # <-', 'subprocess.run'],
    ['import subprocess\ngetattr(subprocess, name)(c)  # <-', 'getattr()'],
    ['import yaml\nclass R:\n    loader = yaml.load\n    def read(self, s):\n        return self.loader(s)  # <-', 'yaml.load'],
  ])('%s', async (source, expected) => {
    expect(await qnamesOfMarked(source)).toEqual([expected]);
  });
});

async function constantOf(source: string): Promise<unknown> {
  const parser = await pythonParser();
  const tree = parseSyntaxTree(parser, source);
  {
    const model = buildFileModel(tree);
    const resolver = new Resolver(model);
    const calls = tree.root.descendantsOfType('call');
    const call = calls[calls.length - 1]!;
    const info = resolver.call(call, model.module);
    const arg = info.keywords.get('v') ?? info.positional[0];
    return arg ? resolver.constant(arg.node, arg.scope) : 'no argument';
  }
}

describe('constants', () => {
  it.each([
    ['f(v=True)', true],
    ['USE_SHELL = True\nf(v=USE_SHELL)', true],
    ['f(**{"v": 0o777})', 0o777],
    ['opts = {"v": "x"}\nf(**opts)', 'x'],
    ['f(**dict(v=1))', 1],
    ['import stat\nf(stat.S_IRWXU | stat.S_IWOTH)', 0o702],
    ['f("a" "b")', 'ab'],
    ['f(r"\\n")', '\\n'],
    ['f("\\x41\\u00e9")', 'Aé'],
    ['f(f"{x}")', undefined],
    ['f(0x1_0)', 16],
    ['f(-1)', -1],
    ['f(("a", 1))', ['a', 1]],
    ['x = 1\nx = 2\nf(x)', 2],
    ['f(v=None)', null],
    ['f(v=unknown)', undefined],
  ])('%s', async (source, expected) => {
    expect(await constantOf(source)).toEqual(expected);
  });
});

describe('dictionary constants', () => {
  it.each([
    ['f({})', {}],
    ['f({"a": 1, "b": [True]})', { a: 1, b: [true] }],
    ['f({x: 1})', undefined],
    ['f({**d})', undefined],
  ])('%s', async (source, expected) => {
    expect(await constantOf(source)).toEqual(expected);
  });
});
