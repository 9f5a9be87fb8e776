import { analyzeProject, analyzeSource, withConfig } from '../helpers/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';

const only = (ids: string[]) => withConfig({ rules: { ...DEFAULT_CONFIG.rules, select: ids } });

describe('modern and unusual Python parses without syntax errors', () => {
  it.each([
    ['PEP 695 type parameters and aliases (3.12)', 'type Point[T] = tuple[T, T]\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\nclass Box[T]:\n    pass\n'],
    ['PEP 701 f-strings with nested quotes (3.12)', 'names = ["a"]\nprint(f"{", ".join(names)}")\nprint(f"{f"{1}"}")\n'],
    ['except* (3.11)', 'try:\n    pass\nexcept* ValueError as eg:\n    pass\n'],
    ['match statements (3.10)', 'match cmd:\n    case ["go", direction] if direction:\n        pass\n    case {"x": x, **rest}:\n        pass\n    case Point(x=0) | None:\n        pass\n    case _:\n        pass\n'],
    ['walrus, positional-only and keyword-only parameters', 'def f(a, /, b, *, c=1):\n    if (n := len(a)) > 1:\n        return n\n'],
    ['async comprehensions and generators', 'async def f(xs):\n    return [x async for x in xs if await x]\n'],
    ['non-ASCII identifiers', 'café = 1\nπ = 3.14159\ndef naïve(ñ):\n    return ñ\n'],
    ['decorators with arbitrary expressions (3.9)', '@buttons[0].clicked.connect\ndef on_click():\n    pass\n'],
  ])('%s', async (_name, source) => {
    const result = await analyzeSource(source, 'modern.py', only(['B102']));
    expect(result.errors).toEqual([]);
    expect(result.analysed).toBe(true);
  });

  it('non-ASCII identifiers keep UTF-16 columns right', async () => {
    const result = await analyzeSource('café = "x"; exec(café)\n', 'a.py', only(['B102']));
    expect(result.findings.map((f) => [f.location.startLine, f.location.startColumn, f.location.endColumn])).toEqual([[1, 13, 23]]);
  });

  it('CRLF line endings give the same lines as LF', async () => {
    const lf = await analyzeSource('x = 1\n\nexec(x)\n', 'a.py', only(['B102']));
    const crlf = await analyzeSource('x = 1\r\n\r\nexec(x)\r\n', 'a.py', only(['B102']));
    expect(crlf.findings.map((f) => f.location.startLine)).toEqual([3]);
    expect(crlf.findings.map((f) => f.fingerprint)).toEqual(lf.findings.map((f) => f.fingerprint));
  });

  it.each([
    ['CR only (old Mac)', 'x = 1\r\rexec(x)\rexec(y)\r'],
    ['mixed CRLF, CR and LF', 'x = 1\r\n\rexec(x)\nexec(y)\r\n'],
  ])('%s line endings give the lines CPython counts', async (_name, source) => {
    const result = await analyzeSource(source, 'a.py', only(['B102']));
    expect(result.findings.map((f) => [f.location.startLine, f.location.startColumn])).toEqual([[3, 1], [4, 1]]);
  });

  it('a syntax error is reported with its line, and the rest of the file is still checked', async () => {
    const result = await analyzeSource('exec(a)\ndef broken(:\n    pass\nexec(b)\n', 'a.py', only(['B102']));
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'syntax', line: 2 })]);
    expect(result.findings.map((f) => f.location.startLine)).toEqual([1, 4]);
  });

  it('refuses absurdly deep nesting with a reason instead of crashing', async () => {
    const deep = `x = ${'('.repeat(1500)}1${')'.repeat(1500)}\nexec(y)\n`;
    const result = await analyzeSource(deep, 'deep.py', only(['B102']));
    expect(result.analysed).toBe(true);
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'skipped', line: 1, message: expect.stringMatching(/^partly analysed: code on line 1 is nested more than 1000 levels deep/) })]);
    expect(result.findings.map((f) => [f.ruleId, f.location.startLine])).toEqual([['B102', 2]]);
  });
});

describe('long flat chains CPython compiles (issue 9): the rest of the file is analysed, the cut part is said', () => {
  const chain = (n: number, term: (i: number) => string, op: string) => Array.from({ length: n }, (_, i) => term(i)).join(op);
  const SOURCE = (expr: string) => `import subprocess
from flask import request
x = request.args["q"]
y = (
    ${expr}
)
eval(x)
subprocess.run(y, shell=True)
`;
  it.each([
    ['a 1,100-term and chain', 1100, (n: number) => chain(n, (i) => `a${i}`, ' and ')],
    ['a 1,100-term string concatenation', 1100, (n: number) => chain(n, (i) => `"s${i}"`, ' + ')],
    ['a 5,000-term or chain', 5000, (n: number) => chain(n, (i) => `a${i}`, ' or ')],
    ['a 50,000-term string concatenation', 50_000, (n: number) => chain(n, (i) => `"s${i}"`, ' + ')],
    ['50,000 nested calls', 50_000, (n: number) => `${'f('.repeat(n)}1${')'.repeat(n)}`],
    ['a 50,000-deep subscript chain', 50_000, (n: number) => `a${'[0]'.repeat(n)}`],
    ['50,000 nots', 50_000, (n: number) => `${'not '.repeat(n)}a`],
  ])('%s', async (_name, n, make) => {
    const [result] = await analyzeProject([{ path: 'chain.py', text: SOURCE(make(n)) }]);
    expect(result.analysed).toBe(true);
    expect(result.errors).toEqual([
      { path: 'chain.py', kind: 'skipped', line: 5, message: expect.stringMatching(/^partly analysed: code on line 5 is nested more than 1000 levels deep .*the innermost part was not analysed, the rest of the file was$/) },
    ]);
    expect(result.findings.map((f) => `${f.ruleId}:${f.location.startLine}`)).toEqual(['B404:1', 'B307:7', 'PW103:7', 'B602:8']);
  });

  it('a chain under the limit is analysed whole, with no note', async () => {
    const [result] = await analyzeProject([{ path: 'chain.py', text: SOURCE(chain(900, (i) => `a${i}`, ' and ')) }]);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => `${f.ruleId}:${f.location.startLine}`)).toEqual(['B404:1', 'B307:7', 'PW103:7', 'B602:8']);
  });

  it('what sits in the cut part is not analysed, which is why the note makes the review incomplete', async () => {
    // A call put first in a long chain is the deepest node: it is cut, and the file says so.
    const result = await analyzeSource(`ok = eval(z) and ${chain(1100, (i) => `a${i}`, ' and ')}\nexec(w)\n`, 'hide.py', only(['B102', 'B307']));
    expect(result.findings.map((f) => `${f.ruleId}:${f.location.startLine}`)).toEqual(['B102:2']);
    expect(result.errors.map((e) => [e.kind, e.line])).toEqual([['skipped', 1]]);
  });
});

describe('fingerprints', () => {
  it('survive line shifts and differ between identical lines', async () => {
    const before = await analyzeSource('exec(a)\nexec(a)\n', 'a.py', only(['B102']));
    const after = await analyzeSource('import os\n\n\nexec(a)\n\nexec(a)\n', 'a.py', only(['B102']));
    expect(after.findings.map((f) => f.fingerprint)).toEqual(before.findings.map((f) => f.fingerprint));
    expect(new Set(before.findings.map((f) => f.fingerprint)).size).toBe(2);
  });
});

describe('call-name index', () => {
  it('follows rule options: a configured shell launcher is checked by B605', async () => {
    const source = 'import mylib\nmylib.run_shell(cmd)\nmylib.other(cmd)\n';
    const config = withConfig({ rules: { ...DEFAULT_CONFIG.rules, select: ['B605'], options: { B605: { shell: ['mylib.run_shell'] } } } });
    const result = await analyzeSource(source, 'a.py', config);
    expect(result.findings.map((f) => [f.ruleId, f.location.startLine])).toEqual([['B605', 2]]);
    expect((await analyzeSource(source, 'a.py', only(['B605']))).findings).toEqual([]);
  });
});
