import { analyzeSource, withConfig } from '../helpers/analyze.js';
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

  it('a syntax error is reported with its line, and the rest of the file is still checked', async () => {
    const result = await analyzeSource('exec(a)\ndef broken(:\n    pass\nexec(b)\n', 'a.py', only(['B102']));
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'syntax', line: 2 })]);
    expect(result.findings.map((f) => f.location.startLine)).toEqual([1, 4]);
  });

  it('refuses absurdly deep nesting with a reason instead of crashing', async () => {
    const deep = `x = ${'('.repeat(1500)}1${')'.repeat(1500)}\n`;
    const result = await analyzeSource(deep, 'deep.py', only(['B102']));
    expect(result.analysed).toBe(false);
    expect(result.errors[0].message).toMatch(/more than 1000 levels deep/);
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
