import { extract } from '../../../src/dependencies/extractors/pipenv/extract.js';

const LOCK = `{
    "_meta": {
        "hash": {"sha256": "00"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.8"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "django": {
            "hashes": [
                "sha256:aaa",
                "sha256:bbb"
            ],
            "index": "pypi",
            "version": "==3.1.2"
        },
        "idna": {
            "hashes": ["sha256:ccc"],
            "markers": "python_version >= '3.5'",
            "version": "==3.4"
        },
        "requests": {"extras": ["socks"], "version": "==2.31.0"}
    },
    "develop": {
        "idna": {"version": "==3.4"},
        "pipenv": {
            "editable": true,
            "extras": ["dev", "tests"],
            "path": "."
        },
        "tool": {"git": "https://github.com/me/tool.git", "ref": "0123abc"},
        "anything": {"version": "*"},
        "broken": "==1.0"
    }
}
`;

describe('Pipfile.lock', () => {
  it('reads default and develop with the line of each package key', () => {
    const result = extract(LOCK, 'Pipfile.lock');
    expect(result.format).toBe('Pipfile.lock');
    expect(result.dependencies).toEqual([
      { name: 'django', normalizedName: 'django', line: 9, groups: ['default'], specifier: '==3.1.2', version: '3.1.2', hashes: ['sha256:aaa', 'sha256:bbb'], source: 'index' },
      { name: 'idna', normalizedName: 'idna', line: 17, groups: ['default'], specifier: '==3.4', version: '3.4', markers: "python_version >= '3.5'", hashes: ['sha256:ccc'], source: 'index' },
      { name: 'requests', normalizedName: 'requests', line: 22, groups: ['default'], specifier: '==2.31.0', version: '2.31.0', extras: ['socks'], source: 'index' },
      { name: 'idna', normalizedName: 'idna', line: 25, groups: ['develop'], specifier: '==3.4', version: '3.4', source: 'index' },
      { name: 'pipenv', normalizedName: 'pipenv', line: 26, groups: ['develop'], extras: ['dev', 'tests'], source: 'editable', url: '.' },
      { name: 'tool', normalizedName: 'tool', line: 31, groups: ['develop'], source: 'vcs', url: 'git+https://github.com/me/tool.git@0123abc' },
      { name: 'anything', normalizedName: 'anything', line: 32, groups: ['develop'], source: 'index' },
    ]);
    expect(result.skipped).toEqual([{ line: 33, text: 'broken', reason: 'entry for "broken" is not an object' }]);
  });

  it('does not take a nested key with a package name for the package line', () => {
    const text = '{\n  "_meta": {"requires": {"django": "x"}},\n  "default": {\n    "django": {"version": "==1.0"}\n  }\n}';
    expect(extract(text, 'Pipfile.lock').dependencies[0].line).toBe(4);
  });

  it('returns a JSON error with a line and never throws', () => {
    const result = extract('{\n  "default": {\n    "a": {"version": "==1"},\n  }\n}', 'Pipfile.lock');
    expect(result.dependencies).toEqual([]);
    expect(result.error?.line).toBe(4);
    expect(extract('[]', 'Pipfile.lock').error).toEqual({ message: 'Pipfile.lock is not a JSON object', line: 1 });
  });
});
