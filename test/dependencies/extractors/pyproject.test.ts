import { extract } from '../../../src/dependencies/extractors/pyproject/extract.js';

const PYPROJECT = `[project]
name = "My_App"
version = "1.0"
dependencies = [
    "poetry-core @ git+https://github.com/python-poetry/poetry-core.git",
    "build (>=1.2.1,<2.0.0)",
    # a comment inside the array, with "quotes" and a [bracket]
    "cachecontrol[filecache] (>=0.14.0,<0.15.0)",  # trailing comment
    "tomli (>=2.0.1,<3.0.0) ; python_version < '3.11'", "mysqlclient==2.2.7",
    '''pyyaml>=5.4''',
    "not a valid requirement!!",
]

[project.optional-dependencies]
redis = ["redis>=4.2.0"]
all = [
  "my-app[redis]",
  "websockets>=12.0",
]

[dependency-groups]
test = ["pytest>=8"]
dev = [
    {include-group = "test"},
    "ruff==0.6.9",
    {include-group = "lint"},
]

[tool.poetry.group.docs.dependencies]
mkdocs = "^1.5"

[build-system]
requires = ["setuptools>=61"]
`;

describe('pyproject.toml', () => {
  it('reads PEP 621, optional dependencies, PEP 735 groups and Poetry tables with string lines', () => {
    const result = extract(PYPROJECT, 'pyproject.toml');
    expect(result.format).toBe('pyproject.toml');
    expect(result.dependencies).toEqual([
      { name: 'poetry-core', normalizedName: 'poetry-core', source: 'vcs', url: 'git+https://github.com/python-poetry/poetry-core.git', line: 5, direct: true },
      { name: 'build', normalizedName: 'build', specifier: '>=1.2.1,<2.0.0', source: 'index', line: 6, direct: true },
      { name: 'cachecontrol', normalizedName: 'cachecontrol', specifier: '>=0.14.0,<0.15.0', extras: ['filecache'], source: 'index', line: 8, direct: true },
      { name: 'tomli', normalizedName: 'tomli', specifier: '>=2.0.1,<3.0.0', markers: "python_version < '3.11'", source: 'index', line: 9, direct: true },
      { name: 'mysqlclient', normalizedName: 'mysqlclient', version: '2.2.7', specifier: '==2.2.7', source: 'index', line: 9, direct: true },
      { name: 'pyyaml', normalizedName: 'pyyaml', specifier: '>=5.4', source: 'index', line: 10, direct: true },
      { name: 'redis', normalizedName: 'redis', specifier: '>=4.2.0', source: 'index', line: 15, direct: true, groups: ['redis'] },
      { name: 'websockets', normalizedName: 'websockets', specifier: '>=12.0', source: 'index', line: 18, direct: true, groups: ['all'] },
      { name: 'pytest', normalizedName: 'pytest', specifier: '>=8', source: 'index', line: 22, direct: true, groups: ['test'] },
      { name: 'ruff', normalizedName: 'ruff', version: '0.6.9', specifier: '==0.6.9', source: 'index', line: 25, direct: true, groups: ['dev'] },
      { name: 'mkdocs', normalizedName: 'mkdocs', line: 30, groups: ['docs'], direct: true, specifier: '^1.5', source: 'index' },
    ]);
    expect(result.skipped).toEqual([
      { line: 11, text: 'not a valid requirement!!', reason: 'invalid version specifier "a valid requirement!!"' },
      { line: 17, text: 'my-app[redis]', reason: 'refers to the project itself (its own extras)' },
      { line: 24, text: '{include-group = "test"}', reason: 'include-group "test": its requirements are listed under that group' },
      { line: 26, text: '{include-group = "lint"}', reason: 'include-group "lint": its requirements are listed under that group' },
    ]);
  });

  it('finds lines for dotted keys and keys quoted in the header', () => {
    const text = 'project.name = "x"\nproject.dependencies = [\n  "a==1",\n]\n\n["dependency-groups"]\n"dev" = [\n  "b",\n]\n';
    expect(extract(text, 'pyproject.toml').dependencies.map((d) => [d.name, d.line, d.groups])).toEqual([
      ['a', 3, undefined],
      ['b', 8, ['dev']],
    ]);
  });

  it('skips a non-array dependencies value and returns an error for broken TOML', () => {
    expect(extract('[project]\ndependencies = "requests"\n', 'pyproject.toml').skipped).toEqual([
      { line: 2, text: 'project.dependencies', reason: 'expected an array of requirement strings' },
    ]);
    expect(extract('[project]\ndependencies = [\n  "a",\n', 'pyproject.toml')).toMatchObject({ dependencies: [], error: { message: expect.any(String) } });
  });

  it('reads nothing from a pyproject without dependencies', () => {
    expect(extract('[tool.black]\nline-length = 100\n', 'pyproject.toml')).toEqual({ format: 'pyproject.toml', dependencies: [], skipped: [] });
  });
});

describe('index settings (uv, Poetry, PDM)', () => {
  it('lists each index with the line of its url, as a requirements file lists its index options', () => {
    const text = [
      '[project]', // 1
      'name = "x"', // 2
      '[[tool.uv.index]]', // 3
      'name = "a"', // 4
      'url = "http://a.example/simple"', // 5
      '[[tool.uv.index]]', // 6
      'format = "flat"', // 7
      'url = "https://b.example/"', // 8
      '[tool.uv]', // 9
      'index-url = "https://c.example/simple"', // 10
      'extra-index-url = [', // 11
      '  "http://d.example/simple",', // 12
      ']', // 13
      'allow-insecure-host = ["e.example"]', // 14
      'index-strategy = "unsafe-best-match"', // 15
      '[[tool.poetry.source]]', // 16
      'name = "f"', // 17
      'url = "http://f.example/simple"', // 18
      '[[tool.pdm.source]]', // 19
      'url = "https://g.example/simple"', // 20
      'verify_ssl = false', // 21
      '',
    ].join('\n');
    expect(extract(text, 'pyproject.toml').options).toEqual([
      { name: 'index', value: 'http://a.example/simple', line: 5 },
      { name: 'find-links', value: 'https://b.example/', line: 8 },
      { name: 'index-url', value: 'https://c.example/simple', line: 10 },
      { name: 'index', value: 'http://d.example/simple', line: 12 },
      { name: 'trusted-host', value: 'e.example', line: 14 },
      { name: 'index-strategy', value: 'unsafe-best-match', line: 15 },
      { name: 'index', value: 'http://f.example/simple', line: 18 },
      { name: 'index', value: 'https://g.example/simple', line: 20 },
      { name: 'trusted-host', value: 'https://g.example/simple', line: 21 },
    ]);
  });

  it('has no options when no index is configured, and ignores malformed entries', () => {
    expect(extract('[project]\nname = "x"\n', 'pyproject.toml').options).toBeUndefined();
    expect(extract('[tool.uv]\nindex = "not-a-table"\nextra-index-url = [1, 2]\n[[tool.poetry.source]]\nname = "no-url"\n', 'pyproject.toml').options).toBeUndefined();
  });
});
