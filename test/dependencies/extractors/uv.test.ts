import { extract } from '../../../src/dependencies/extractors/uv/extract.js';

const LOCK = `version = 1
revision = 2
requires-python = ">=3.12"

[[package]]
name = "certifi"
version = "2024.12.14"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/certifi-2024.12.14.tar.gz", hash = "sha256:aaa", size = 1, upload-time = "2024-12-14T13:52:38.02Z" }
wheels = [
    { url = "https://files.pythonhosted.org/certifi-2024.12.14-py3-none-any.whl", hash = "sha256:bbb", size = 2 },
]

[[package]]
name = "demo"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "requests", extra = ["socks"] },
]

[package.optional-dependencies]
cli = [
    { name = "rich" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[[package]]
name = "internal"
version = "2.0"
source = { registry = "https://pypi.corp.invalid/simple/" }

[[package]]
name = "mylib"
version = "0.2.0"
source = { editable = "libs/mylib" }

[[package]]
name = "pytest"
version = "8.3.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "requests"
version = "2.32.3"
source = { git = "https://github.com/psf/requests?rev=v2.32.3#0e322af" }

[[package]]
name = "rich"
version = "13.9.4"
source = { url = "https://example.invalid/rich-13.9.4-py3-none-any.whl" }

[[package]]
name = "vendored"
version = "1.0"
source = { path = "vendor/vendored-1.0.tar.gz" }
`;

describe('uv.lock', () => {
  it('reads packages, skips the local project packages, marks direct deps and their groups', () => {
    const result = extract(LOCK, 'uv.lock');
    expect(result.format).toBe('uv.lock');
    expect(result.dependencies).toEqual([
      { name: 'certifi', normalizedName: 'certifi', line: 6, version: '2024.12.14', source: 'index', hashes: ['sha256:aaa', 'sha256:bbb'], direct: false },
      { name: 'internal', normalizedName: 'internal', line: 33, version: '2.0', source: 'index', url: 'https://pypi.corp.invalid/simple/', direct: false },
      { name: 'pytest', normalizedName: 'pytest', line: 43, version: '8.3.4', source: 'index', direct: true, groups: ['dev'] },
      { name: 'requests', normalizedName: 'requests', line: 48, version: '2.32.3', source: 'vcs', url: 'git+https://github.com/psf/requests?rev=v2.32.3#0e322af', direct: true },
      { name: 'rich', normalizedName: 'rich', line: 53, version: '13.9.4', source: 'url', url: 'https://example.invalid/rich-13.9.4-py3-none-any.whl', direct: true, groups: ['cli'] },
      { name: 'vendored', normalizedName: 'vendored', line: 58, version: '1.0', source: 'path', url: 'vendor/vendored-1.0.tar.gz', direct: false },
    ]);
    expect(result.skipped).toEqual([
      { line: 15, text: 'demo', reason: 'virtual project package (source virtual = "."), not from an index' },
      { line: 38, text: 'mylib', reason: 'editable project package (source editable = "libs/mylib"), not from an index' },
    ]);
  });

  it('leaves `direct` unknown when the lock has no project package', () => {
    const result = extract('version = 1\n\n[[package]]\nname = "six"\nversion = "1.16.0"\nsource = { registry = "https://pypi.org/simple" }\n', 'uv.lock');
    expect(result.dependencies).toEqual([{ name: 'six', normalizedName: 'six', line: 4, version: '1.16.0', source: 'index' }]);
  });

  it('returns an error for broken TOML', () => {
    const result = extract('version = 1\n[[package]\nname = "x"\n', 'uv.lock');
    expect(result).toMatchObject({ format: 'uv.lock', dependencies: [], skipped: [], error: { line: 2 } });
  });
});
