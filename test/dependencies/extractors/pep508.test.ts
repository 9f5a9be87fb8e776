import { exactVersion, markerProblem, parsePep508, urlSource, type Pep508Requirement } from '../../../src/dependencies/extractors/pep508.js';

describe('parsePep508', () => {
  it.each<[string, Pep508Requirement]>([
    ['requests', { name: 'requests', extras: [] }],
    ['Django==3.2.1', { name: 'Django', extras: [], specifier: '==3.2.1' }],
    ['Flask_SQLAlchemy == 2.4.0', { name: 'Flask_SQLAlchemy', extras: [], specifier: '==2.4.0' }],
    ['flask>=2.0, <3', { name: 'flask', extras: [], specifier: '>=2.0,<3' }],
    ['aiohttp>=3.7.4, !=3.11.13', { name: 'aiohttp', extras: [], specifier: '>=3.7.4,!=3.11.13' }],
    ['build (>=1.2.1,<2.0.0)', { name: 'build', extras: [], specifier: '>=1.2.1,<2.0.0' }],
    ['cachecontrol[filecache] (>=0.14.0,<0.15.0)', { name: 'cachecontrol', extras: ['filecache'], specifier: '>=0.14.0,<0.15.0' }],
    ['uvicorn [standard] >=0.17', { name: 'uvicorn', extras: ['standard'], specifier: '>=0.17' }],
    ['celery[redis, sqs]==5.2.1', { name: 'celery', extras: ['redis', 'sqs'], specifier: '==5.2.1' }],
    ['PyYAML===5.4', { name: 'PyYAML', extras: [], specifier: '===5.4' }],
    ['Django==3.2.*', { name: 'Django', extras: [], specifier: '==3.2.*' }],
    ['torch==1.13.1+cu117', { name: 'torch', extras: [], specifier: '==1.13.1+cu117' }],
    ['setuptools==1!1.0', { name: 'setuptools', extras: [], specifier: '==1!1.0' }],
    ['django~=4', { name: 'django', extras: [], specifier: '~=4' }],
    ['tomli (>=2.0.1,<3.0.0) ; python_version < \'3.11\'', { name: 'tomli', extras: [], specifier: '>=2.0.1,<3.0.0', markers: "python_version < '3.11'" }],
    ["voluptuous===0.14.2;python_version=='3.8'", { name: 'voluptuous', extras: [], specifier: '===0.14.2', markers: "python_version=='3.8'" }],
    ['pywin32 ; sys_platform == "win32"', { name: 'pywin32', extras: [], markers: 'sys_platform == "win32"' }],
    [
      'numpy==1.21; python_version < "3.10" and (platform_machine == "x86_64" or extra == "gpu")',
      { name: 'numpy', extras: [], specifier: '==1.21', markers: 'python_version < "3.10" and (platform_machine == "x86_64" or extra == "gpu")' },
    ],
    ['poetry-core @ git+https://github.com/python-poetry/poetry-core.git', { name: 'poetry-core', extras: [], url: 'git+https://github.com/python-poetry/poetry-core.git' }],
    ['pkg[x] @ https://example.invalid/pkg.zip ; os_name == "nt"', { name: 'pkg', extras: ['x'], url: 'https://example.invalid/pkg.zip', markers: 'os_name == "nt"' }],
    ['local @ ../../packages/local', { name: 'local', extras: [], url: '../../packages/local' }],
  ])('%s', (input, expected) => {
    expect(parsePep508(input)).toEqual({ ok: true, requirement: expected });
  });

  it.each<[string, string]>([
    ['', 'empty requirement'],
    ['==1.0', 'not a requirement: no package name at "==1.0"'],
    ['foo[bar', 'unclosed "[" in extras'],
    ['foo[b@r]', 'invalid extra name "b@r"'],
    ['foo (>=1', 'unclosed "(" around the version specifier'],
    ['foo = 1.0', 'invalid version specifier "= 1.0"'],
    ['foo==1.0 bar', 'invalid version specifier "==1.0 bar"'],
    ['foo>=1,', 'invalid version specifier ""'],
    ['foo; python_versoin < "3"', 'unknown marker variable "python_versoin"'],
    ['foo; (os_name == "nt"', 'unbalanced parenthesis in environment marker'],
    ['foo;', 'empty environment marker'],
    ['foo @', '"@" without a URL'],
    ['foo @ https://x.invalid/a.zip extra', 'unexpected "extra" after the URL'],
  ])('rejects %j: %s', (input, reason) => {
    expect(parsePep508(input)).toEqual({ ok: false, reason });
  });
});

describe('exactVersion', () => {
  it.each<[string | undefined, string | undefined]>([
    ['==1.2.3', '1.2.3'],
    ['===1.0-custom', '1.0-custom'],
    ['==0!5.3.1', '0!5.3.1'],
    ['==1.*', undefined],
    ['>=1,<2', undefined],
    ['==1.0,!=1.0.1', undefined],
    ['~=2.0', undefined],
    [undefined, undefined],
  ])('%s -> %s', (spec, version) => {
    expect(exactVersion(spec)).toBe(version);
  });
});

describe('urlSource and markerProblem', () => {
  it.each([
    ['git+https://github.com/a/b.git@v1', 'vcs'],
    ['hg+https://hg.example.invalid/repo', 'vcs'],
    ['https://example.invalid/pkg.tar.gz', 'url'],
    ['file:///tmp/pkg', 'path'],
    ['../packages/x', 'path'],
  ])('%s is %s', (url, kind) => {
    expect(urlSource(url)).toBe(kind);
  });

  it('accepts `not in` and `in`', () => {
    expect(markerProblem("'linux' not in sys_platform and platform_system in 'Linux Darwin'")).toBeUndefined();
  });
});
