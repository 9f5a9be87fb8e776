import { extract } from '../../../src/dependencies/extractors/requirements/extract.js';

const lines = (...l: string[]): string => l.join('\n');

describe('requirements extract', () => {
  it('reads pins, specifiers, names, markers and extras with exact lines', () => {
    const text = lines(
      '# leading comment',
      'Jinja2==2.10.1',
      'Flask_SQLAlchemy == 2.4.0   # trailing comment',
      'ruamel.yaml===0.16.5',
      'Django==3.2.*',
      'requests~=2.19.0',
      'flask>=2.0,<3',
      'urllib3 != 1.25.0',
      "importlib-metadata==4.8.2 ; python_version<'3.8'",
      'celery[redis, sqs]==5.2.1',
      'uvicorn [standard] >=0.17',
      '\tcoverage\t',
    );
    const result = extract(text, 'requirements.txt');
    expect(result.skipped).toEqual([]);
    expect(result.dependencies).toEqual([
      { name: 'Jinja2', normalizedName: 'jinja2', version: '2.10.1', specifier: '==2.10.1', source: 'index', line: 2 },
      { name: 'Flask_SQLAlchemy', normalizedName: 'flask-sqlalchemy', version: '2.4.0', specifier: '==2.4.0', source: 'index', line: 3 },
      { name: 'ruamel.yaml', normalizedName: 'ruamel-yaml', version: '0.16.5', specifier: '===0.16.5', source: 'index', line: 4 },
      { name: 'Django', normalizedName: 'django', specifier: '==3.2.*', source: 'index', line: 5 },
      { name: 'requests', normalizedName: 'requests', specifier: '~=2.19.0', source: 'index', line: 6 },
      { name: 'flask', normalizedName: 'flask', specifier: '>=2.0,<3', source: 'index', line: 7 },
      { name: 'urllib3', normalizedName: 'urllib3', specifier: '!=1.25.0', source: 'index', line: 8 },
      { name: 'importlib-metadata', normalizedName: 'importlib-metadata', version: '4.8.2', specifier: '==4.8.2', markers: "python_version<'3.8'", source: 'index', line: 9 },
      { name: 'celery', normalizedName: 'celery', version: '5.2.1', specifier: '==5.2.1', extras: ['redis', 'sqs'], source: 'index', line: 10 },
      { name: 'uvicorn', normalizedName: 'uvicorn', specifier: '>=0.17', extras: ['standard'], source: 'index', line: 11 },
      { name: 'coverage', normalizedName: 'coverage', source: 'index', line: 12 },
    ]);
    expect(result.format).toBe('requirements');
    expect(result.includes).toBeUndefined();
  });

  it('joins continuations: hashes on following lines, a break inside the requirement, line = first line', () => {
    const text = lines(
      '--find-links .',
      '',
      'cryptography==3.3.1 \\',
      '    --hash=sha256:aaaa \\',
      '    --hash=sha256:bbbb',
      '    # via paramiko',
      'idna==3.4 --hash=sha256:cccc --hash sha256:dddd',
      'paramiko\\',
      '==2.4.1',
      'six==1.16.0 \\',
      '# a comment line ends the continuation',
      'end==1.0 \\',
    );
    const result = extract(text, 'requirements.txt');
    expect(result.dependencies.map((d) => [d.name, d.version, d.line, d.hashes])).toEqual([
      ['cryptography', '3.3.1', 3, ['sha256:aaaa', 'sha256:bbbb']],
      ['idna', '3.4', 7, ['sha256:cccc', 'sha256:dddd']],
      ['paramiko', '2.4.1', 8, undefined],
      ['six', '1.16.0', 10, undefined],
      ['end', '1.0', 12, undefined],
    ]);
    expect(result.options).toEqual([{ name: 'find-links', value: '.', line: 1 }]);
  });

  it('records includes and index options as written', () => {
    const text = lines(
      '-i https://pypi.org/simple',
      '--index-url=https://mirror.example.invalid/simple',
      '--extra-index-url https://download.pytorch.org/whl/cu118',
      '--trusted-host download.pytorch.org',
      '-f ./wheels',
      '--no-index',
      '-r base.txt',
      '--requirement ../../shared/_base.in',
      '-c constraints.txt',
      '--constraint=../constraints.txt',
      '-rdev.txt',
    );
    const result = extract(text, 'requirements/prod.txt');
    expect(result.dependencies).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.options).toEqual([
      { name: 'index-url', value: 'https://pypi.org/simple', line: 1 },
      { name: 'index-url', value: 'https://mirror.example.invalid/simple', line: 2 },
      { name: 'extra-index-url', value: 'https://download.pytorch.org/whl/cu118', line: 3 },
      { name: 'trusted-host', value: 'download.pytorch.org', line: 4 },
      { name: 'find-links', value: './wheels', line: 5 },
      { name: 'no-index', value: '', line: 6 },
    ]);
    expect(result.includes).toEqual([
      { kind: 'requirement', path: 'base.txt', line: 7 },
      { kind: 'requirement', path: '../../shared/_base.in', line: 8 },
      { kind: 'constraint', path: 'constraints.txt', line: 9 },
      { kind: 'constraint', path: '../constraints.txt', line: 10 },
      { kind: 'requirement', path: 'dev.txt', line: 11 },
    ]);
  });

  it('reads editable, VCS, URL and local references', () => {
    const text = lines(
      '-e git+https://github.com/pallets/werkzeug.git@2.0.0#egg=Werkzeug',
      'git+https://github.com/edx/MongoDBProxy.git@d92baf#egg=MongoDBProxy==0.1.0+edx.2',
      '--editable git+https://github.com/edx/edx-enterprise.git@f5d658#edx-enterprise==3.30',
      'mlflow @ git+https://github.com/mlflow/mlflow.git@v2.5.0',
      'pip @ https://github.com/pypa/pip/archive/refs/tags/22.0.4.zip',
      'simcore-service-library[aiohttp] @ ../../../packages/service-library',
      'https://files.example.invalid/lxml-4.6.2-cp39-cp39-manylinux1_x86_64.whl',
      './vendor/internal-lib',
      '-e ../../packages/models-library[email]',
      '-e ./tools#egg=local-tools',
      'private @ https://${PIP_TOKEN}@git.example.invalid/private-1.0.tar.gz',
    );
    const result = extract(text, 'requirements.txt');
    expect(result.dependencies).toEqual([
      { name: 'Werkzeug', normalizedName: 'werkzeug', source: 'vcs', url: 'git+https://github.com/pallets/werkzeug.git@2.0.0#egg=Werkzeug', line: 1 },
      {
        name: 'MongoDBProxy', normalizedName: 'mongodbproxy', version: '0.1.0+edx.2', specifier: '==0.1.0+edx.2', source: 'vcs',
        url: 'git+https://github.com/edx/MongoDBProxy.git@d92baf#egg=MongoDBProxy==0.1.0+edx.2', line: 2,
      },
      { name: 'mlflow', normalizedName: 'mlflow', source: 'vcs', url: 'git+https://github.com/mlflow/mlflow.git@v2.5.0', line: 4 },
      { name: 'pip', normalizedName: 'pip', source: 'url', url: 'https://github.com/pypa/pip/archive/refs/tags/22.0.4.zip', line: 5 },
      { name: 'simcore-service-library', normalizedName: 'simcore-service-library', extras: ['aiohttp'], source: 'path', url: '../../../packages/service-library', line: 6 },
      {
        name: 'lxml', normalizedName: 'lxml', version: '4.6.2', specifier: '==4.6.2', source: 'url',
        url: 'https://files.example.invalid/lxml-4.6.2-cp39-cp39-manylinux1_x86_64.whl', line: 7,
      },
      { name: 'local-tools', normalizedName: 'local-tools', source: 'editable', url: './tools#egg=local-tools', line: 10 },
      { name: 'private', normalizedName: 'private', source: 'url', url: 'https://${PIP_TOKEN}@git.example.invalid/private-1.0.tar.gz', line: 11 },
    ]);
    expect(result.skipped).toEqual([
      { line: 3, text: '--editable git+https://github.com/edx/edx-enterprise.git@f5d658#edx-enterprise==3.30', reason: 'editable VCS URL without an "#egg=" name' },
      { line: 8, text: './vendor/internal-lib', reason: 'local path without a package name' },
      { line: 9, text: '-e ../../packages/models-library[email]', reason: 'editable local path without a package name' },
    ]);
  });

  it('skips garbage and unsupported options with a reason, never throws', () => {
    const text = lines(
      'numpy==1.21 --global-option="--no-cython"',
      '--pre',
      '--frobnicate',
      'this is not a requirement',
      '==1.0',
      'foo; python_versoin < "3"',
      '-r',
      '<<<<<<< HEAD',
      'ok==1',
    );
    const result = extract(text, 'requirements.txt');
    expect(result.dependencies.map((d) => [d.name, d.line])).toEqual([['numpy', 1], ['ok', 9]]);
    expect(result.skipped).toEqual([
      { line: 1, text: 'numpy==1.21 --global-option="--no-cython"', reason: 'per-requirement option --global-option="--no-cython" is not interpreted' },
      { line: 2, text: '--pre', reason: 'option --pre does not name a package' },
      { line: 3, text: '--frobnicate', reason: 'unknown or incomplete option --frobnicate' },
      { line: 4, text: 'this is not a requirement', reason: 'invalid version specifier "is not a requirement"' },
      { line: 5, text: '==1.0', reason: 'not a requirement: no package name at "==1.0"' },
      { line: 6, text: 'foo; python_versoin < "3"', reason: 'unknown marker variable "python_versoin"' },
      { line: 7, text: '-r', reason: 'unknown or incomplete option -r (missing value)' },
      { line: 8, text: '<<<<<<< HEAD', reason: 'not a requirement: no package name at "<<<<<<< HEAD"' },
    ]);
  });

  it('handles a BOM, CRLF and a continuation before CRLF', () => {
    const text = '\uFEFF# bom\r\nDjango==2.2.10\r\nrequests==2.22.0 \\\r\n    --hash=sha256:2222\r\nPyJWT==1.7.1\r\n';
    const result = extract(text, 'requirements.txt');
    expect(result.dependencies.map((d) => [d.name, d.version, d.line, d.hashes])).toEqual([
      ['Django', '2.2.10', 2, undefined],
      ['requests', '2.22.0', 3, ['sha256:2222']],
      ['PyJWT', '1.7.1', 5, undefined],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('keeps `#egg=` (no whitespace before #) and drops ` #` comments', () => {
    const result = extract('git+https://x.invalid/r.git#egg=pkg # note\n', 'requirements.txt');
    expect(result.dependencies).toEqual([
      { name: 'pkg', normalizedName: 'pkg', source: 'vcs', url: 'git+https://x.invalid/r.git#egg=pkg', line: 1 },
    ]);
  });

  it('does not take a `/` inside a marker for a path', () => {
    expect(extract('foo==1.0; platform_release == "5.4/x"\n', 'requirements.txt').dependencies).toEqual([
      { name: 'foo', normalizedName: 'foo', version: '1.0', specifier: '==1.0', markers: 'platform_release == "5.4/x"', source: 'index', line: 1 },
    ]);
  });

  it('gives an empty result for empty and comment-only files', () => {
    expect(extract('', 'constraints.txt')).toEqual({ format: 'requirements', dependencies: [], skipped: [] });
    expect(extract('#\n   \n# only comments\n', 'constraints.txt')).toEqual({ format: 'requirements', dependencies: [], skipped: [] });
  });
});
