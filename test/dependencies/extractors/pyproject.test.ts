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
