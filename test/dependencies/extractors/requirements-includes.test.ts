import { normalizePath, resolveIncludePath, resolveIncludes } from '../../../src/dependencies/extractors/requirements/includes.js';

describe('resolveIncludes', () => {
  it('resolves -r/-c relative to the including file, through nested folders, once per file', () => {
    const files = new Map([
      ['services/web/requirements/prod.txt', '--requirement _base.txt\n-c ../../../requirements/constraints.txt\nweb==1.0\n'],
      ['services/web/requirements/_base.txt', 'aiohttp==3.9.0\n-r ../../../packages/lib/requirements/_base.in\n'],
      ['packages/lib/requirements/_base.in', '-c ../../../requirements/constraints.txt\npydantic\n'],
      ['requirements/constraints.txt', 'aiohttp>=3.7.4, !=3.11.13\n'],
    ]);
    const resolved = resolveIncludes(files, 'services/web/requirements/prod.txt');
    expect(resolved.skipped).toEqual([]);
    expect(resolved.files.map((f) => [f.path, f.kind, f.via, f.result.dependencies.map((d) => d.name)])).toEqual([
      ['services/web/requirements/prod.txt', 'entry', undefined, ['web']],
      ['services/web/requirements/_base.txt', 'requirement', { path: 'services/web/requirements/prod.txt', line: 1 }, ['aiohttp']],
      ['packages/lib/requirements/_base.in', 'requirement', { path: 'services/web/requirements/_base.txt', line: 2 }, ['pydantic']],
      ['requirements/constraints.txt', 'constraint', { path: 'packages/lib/requirements/_base.in', line: 1 }, ['aiohttp']],
    ]);
  });

  it('reports cycles, missing files, remote and escaping paths as skipped includes', () => {
    const files = new Map([
      ['a.txt', '-r b.txt\n-r missing.txt\n-r https://example.invalid/r.txt\n-c ../../outside.txt\n-r /etc/passwd\n'],
      ['b.txt', '-r a.txt\nx==1\n'],
    ]);
    const resolved = resolveIncludes(files, 'a.txt');
    expect(resolved.files.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(resolved.skipped).toEqual([
      { path: 'b.txt', line: 1, text: '-r a.txt', reason: 'include cycle: a.txt -> b.txt -> a.txt' },
      { path: 'a.txt', line: 2, text: '-r missing.txt', reason: 'included file not found: missing.txt' },
      { path: 'a.txt', line: 3, text: '-r https://example.invalid/r.txt', reason: 'remote include (URL) is not fetched' },
      { path: 'a.txt', line: 4, text: '-c ../../outside.txt', reason: 'include path climbs above the repository root: ../../outside.txt' },
      { path: 'a.txt', line: 5, text: '-r /etc/passwd', reason: 'absolute include path is outside the repository' },
    ]);
  });

  it('follows a file included twice (diamond) once, and a self-include is a cycle', () => {
    const files = new Map([
      ['r/top.txt', '-r a.txt\n-r b.txt\n-r top.txt\n'],
      ['r/a.txt', '-r common.txt\n'],
      ['r/b.txt', '-r ./common.txt\n'],
      ['r/common.txt', 'six==1.16.0\n'],
    ]);
    const resolved = resolveIncludes(files, 'r/top.txt');
    expect(resolved.files.map((f) => f.path)).toEqual(['r/top.txt', 'r/a.txt', 'r/common.txt', 'r/b.txt']);
    expect(resolved.skipped).toEqual([{ path: 'r/top.txt', line: 3, text: '-r top.txt', reason: 'include cycle: r/top.txt -> r/top.txt' }]);
  });

  it('reports a missing entry file', () => {
    expect(resolveIncludes(new Map(), 'requirements.txt')).toEqual({
      files: [],
      skipped: [{ path: 'requirements.txt', line: 0, text: 'requirements.txt', reason: 'file not found: requirements.txt' }],
    });
  });

  it.each([
    ['a/b/../c/./d', 'a/c/d'],
    ['./x.txt', 'x.txt'],
    ['../x.txt', undefined],
  ])('normalizePath(%s) = %s', (input, out) => {
    expect(normalizePath(input)).toBe(out);
  });

  it('resolves against the including file folder', () => {
    expect(resolveIncludePath('requirements.txt', 'base.txt')).toBe('base.txt');
    expect(resolveIncludePath('req/handwritten/base-edge.txt', 'nested/more-edge.txt')).toBe('req/handwritten/nested/more-edge.txt');
  });
});
