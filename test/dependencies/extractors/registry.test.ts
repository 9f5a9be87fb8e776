import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractorFor, extractors } from '../../../src/dependencies/extractors/registry.js';

const DIR = join(process.cwd(), 'src/dependencies/extractors');

describe('extractor registry', () => {
  it('has one folder per entry, and an entry per folder', () => {
    const folders = readdirSync(DIR).filter((f) => statSync(join(DIR, f)).isDirectory()).sort();
    expect(Object.keys(extractors).sort()).toEqual(folders);
  });

  it.each(Object.entries(extractors))('%s has index.ts, extract.ts and a well-formed entry', (key, extractor) => {
    expect(existsSync(join(DIR, key, 'index.ts'))).toBe(true);
    expect(existsSync(join(DIR, key, 'extract.ts'))).toBe(true);
    expect(extractor.format).toBe(key);
    expect(extractor.description.length).toBeGreaterThan(20);
    expect(extractor.filePatterns.length).toBeGreaterThan(0);
    expect(extractor.filePatterns.every((p) => p instanceof RegExp)).toBe(true);
    expect(typeof extractor.extract).toBe('function');
    // the smallest valid document of each syntax (an empty file is not valid JSON)
    const empty = extractor.extract(key === 'pipenv' ? '{}' : '', 'x');
    expect(empty.dependencies).toEqual([]);
    expect(empty.error).toBeUndefined();
  });

  it.each<[string, string | undefined]>([
    ['requirements.txt', 'requirements'],
    ['python/requirements.txt', 'requirements'],
    ['requirements-dev.txt', 'requirements'],
    ['requirements/base.txt', 'requirements'],
    ['requirements/edx/github.in', 'requirements'],
    ['services/web/server/requirements/_base.in', 'requirements'],
    ['requirements.in', 'requirements'],
    ['dev-requirements.in', 'requirements'],
    ['global-requirements.txt', 'requirements'],
    ['constraints.txt', 'requirements'],
    ['upper-constraints.txt', 'requirements'],
    ['poetry.lock', 'poetry'],
    ['app/poetry.lock', 'poetry'],
    ['Pipfile.lock', 'pipenv'],
    ['uv.lock', 'uv'],
    ['pdm.lock', 'pdm'],
    ['pyproject.toml', 'pyproject'],
    ['libs/x/pyproject.toml', 'pyproject'],
    ['setup.cfg', 'setup-cfg'],
    ['windows\\requirements.txt', 'requirements'],
    ['MANIFEST.in', undefined],
    ['Makefile.in', undefined],
    ['Pipfile', undefined],
    ['docs/readme.txt', undefined],
    ['requirements.txt.orig', undefined],
    ['setup.py', undefined],
    ['notpyproject.toml', undefined],
  ])('extractorFor(%s) = %s', (path, format) => {
    expect(extractorFor(path)?.format).toBe(format);
  });
});
