/**
 * The extractors against real dependency files in ../shared/fixtures/lockfiles (see its SOURCES.md):
 * every file is read by the extractor the registry picks for its path in the source repository, without
 * a parse error; counts and pins stated in SOURCES.md hold; includes resolve; every line points at the name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractorFor, extractors } from '../../src/dependencies/extractors/registry.js';
import { resolveIncludes } from '../../src/dependencies/extractors/requirements/includes.js';
import { splitLines } from '../../src/dependencies/extractors/text-lines.js';
import type { Dependency, ExtractResult } from '../../src/dependencies/types.js';

const ROOT = join(process.cwd(), '..', 'shared', 'fixtures', 'lockfiles');
const present = existsSync(join(ROOT, 'SOURCES.md'));
if (!present) console.warn(`test/shared/lockfiles.test.ts: skipped, fixtures not found at ${ROOT}`);

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
const read = (rel: string): string => readFileSync(join(ROOT, rel), 'utf8');

/** The file's path in its source repository (SOURCES.md "path in repo"); the fixture folder otherwise. */
function repoPath(rel: string): string {
  const special: Record<string, string> = {
    'requirements/rhc-worker-playbook/requirements.txt': 'python/requirements.txt',
    'requirements/rhc-worker-playbook/requirements.in': 'python/requirements.in',
    'requirements/edx-platform/github.in': 'requirements/edx/github.in',
    'requirements/django-clite/requirements.txt': 'requirements.txt',
  };
  if (special[rel]) return special[rel];
  const parts = rel.split('/');
  return parts.slice(2).join('/'); // `<format>/<source>/` removed; osparc and handwritten keep their sub-paths
}

/** All files of one fixture source folder, keyed by repo-relative path, for include resolution. */
function sourceFiles(prefix: string): Map<string, string> {
  return new Map(walk(join(ROOT, prefix)).map((f) => [relative(join(ROOT, prefix), f), readFileSync(f, 'utf8')]));
}

const cache = new Map<string, ExtractResult>();
function extracted(rel: string): ExtractResult {
  if (!cache.has(rel)) {
    const extractor = extractorFor(repoPath(rel)) ?? extractors.requirements; // include-only files: see below
    cache.set(rel, extractor.extract(read(rel), repoPath(rel)));
  }
  return cache.get(rel)!;
}
const find = (rel: string, name: string): Dependency[] => extracted(rel).dependencies.filter((d) => d.normalizedName === name);
const inGroup = (rel: string, group: string): Dependency[] => extracted(rel).dependencies.filter((d) => d.groups?.includes(group));

(present ? describe : describe.skip)('real dependency files', () => {
  const files = present ? walk(ROOT).map((f) => relative(ROOT, f)).filter((f) => f !== 'SOURCES.md').sort() : [];
  // Reached only through `-r` from another fixture file, as in a repository.
  const includeOnly = new Set(['requirements/handwritten/base-edge.txt', 'requirements/handwritten/nested/more-edge.txt']);
  // Pipfile (the manifest) has no extractor: Pipfile.lock is what pins versions.
  const manifestsWithoutExtractor = files.filter((f) => f.endsWith('/Pipfile'));

  it('finds every fixture file', () => {
    expect(files.length).toBeGreaterThanOrEqual(55);
  });

  it.each(files.filter((f) => !f.endsWith('/Pipfile')))('%s: picked by the registry, extracted without error, lines point at names', (rel) => {
    const extractor = extractorFor(repoPath(rel));
    if (includeOnly.has(rel)) expect(extractor).toBeUndefined();
    else expect(extractor).toBeDefined();
    const result = extracted(rel);
    expect(result.error).toBeUndefined();
    const lines = splitLines(read(rel));
    for (const dep of result.dependencies) {
      expect(lines[dep.line - 1]?.toLowerCase()).toContain(dep.name.toLowerCase());
    }
    for (const skip of result.skipped) expect(skip.reason).not.toBe('');
  });

  it('does not pick an extractor for Pipfile manifests', () => {
    for (const f of manifestsWithoutExtractor) expect(extractorFor(repoPath(f))).toBeUndefined();
  });

  describe('counts stated in SOURCES.md', () => {
    it.each([
      ['poetry/fastapi-boilerplate/poetry.lock', 25],
      ['poetry/pysungrow/poetry.lock', 28],
      ['poetry/yaml-replace/poetry.lock', 45],
      ['poetry/poetry/poetry.lock', 78],
      ['pipenv/django-girls-tutorial/Pipfile.lock', 5],
      ['pdm/mpd-now-playable/pdm.lock', 40],
    ])('%s: %i packages', (rel, count) => {
      expect(extracted(rel).dependencies).toHaveLength(count);
      expect(extracted(rel).skipped).toEqual([]);
    });

    it.each([
      ['uv/duck-pypi/uv.lock', 86, 'duck-pypi'],
      ['uv/python-uv/uv.lock', 6, 'python-uv'],
      ['uv/system-monitoring/uv.lock', 42, 'system-monitoring'],
    ])('%s: %i packages, the virtual root skipped', (rel, count, root) => {
      const result = extracted(rel);
      expect(result.dependencies).toHaveLength(count - 1);
      expect(result.skipped).toEqual([{ line: expect.any(Number), text: root, reason: 'virtual project package (source virtual = "."), not from an index' }]);
    });

    it('pipenv: fullstack-flask 45 (default) and 23 (develop), idna in both; pipenv-2022 develop only (86)', () => {
      expect(inGroup('pipenv/fullstack-flask/Pipfile.lock', 'default')).toHaveLength(45);
      expect(inGroup('pipenv/fullstack-flask/Pipfile.lock', 'develop')).toHaveLength(23);
      expect(find('pipenv/fullstack-flask/Pipfile.lock', 'idna').map((d) => d.groups)).toEqual([['default'], ['develop']]);
      expect(inGroup('pipenv/pipenv-2022/Pipfile.lock', 'develop')).toHaveLength(86);
      expect(inGroup('pipenv/pipenv-2022/Pipfile.lock', 'default')).toHaveLength(0);
    });

    it('openstack upper-constraints: 620 === pins, voluptuous twice under different markers', () => {
      const deps = extracted('requirements/openstack/upper-constraints.txt').dependencies;
      expect(deps).toHaveLength(620);
      expect(deps.every((d) => d.specifier?.startsWith('===') && d.version !== undefined)).toBe(true);
      expect(find('requirements/openstack/upper-constraints.txt', 'voluptuous').map((d) => [d.version, d.markers])).toEqual([
        ['0.14.2', "python_version=='3.8'"],
        ['0.15.2', "python_version>='3.9'"],
      ]);
      // SOURCES.md lists `restructuredtext_lint` among the non-normalised names; the file spells it `restructuredtext-lint`.
      expect(deps.map((d) => d.name)).toEqual(expect.arrayContaining(['PasteDeploy', 'oslo.limit', 'restructuredtext-lint', 'Pint']));
      expect(find('requirements/openstack/upper-constraints.txt', 'pint').map((d) => d.version)).toEqual(['0.21.1', '0.23', '0.24.3']);
    });

    it('sentry frozen: 128 pins, --index-url, affected and post-release pins', () => {
      const rel = 'requirements/sentry/requirements-frozen.txt';
      expect(extracted(rel).dependencies).toHaveLength(128);
      expect(extracted(rel).dependencies.every((d) => d.version !== undefined)).toBe(true);
      expect(extracted(rel).options?.[0]).toMatchObject({ name: 'index-url' });
      for (const [name, version] of [['django', '2.2.28'], ['lxml', '4.6.5'], ['pillow', '9.2.0'], ['urllib3', '1.26.11'], ['pyyaml', '5.4']]) {
        expect(find(rel, name).map((d) => d.version)).toEqual([version]);
      }
      expect(extracted(rel).dependencies.some((d) => d.version?.endsWith('2.3.2.post1'))).toBe(true);
    });
  });

  describe('spot checks', () => {
    it('poetry: pygments 2.10.0 (lock 1.1, hashes from [metadata.files], category); poetry-core from git (lock 2.1)', () => {
      expect(find('poetry/fastapi-boilerplate/poetry.lock', 'pygments')).toEqual([
        expect.objectContaining({ version: '2.10.0', hashes: expect.arrayContaining([expect.stringMatching(/^sha256:/)]), groups: [expect.any(String)] }),
      ]);
      expect(find('poetry/poetry/poetry.lock', 'poetry-core')).toEqual([
        expect.objectContaining({ source: 'vcs', url: 'https://github.com/python-poetry/poetry-core.git' }),
      ]);
      expect(extracted('poetry/yaml-replace/poetry.lock').dependencies.every((d) => d.groups === undefined && (d.hashes?.length ?? 0) > 0)).toBe(true);
    });

    it('poetry manifests: caret constraints, groups, python excluded, PEP 621 + Poetry 2', () => {
      const sungrow = extracted('poetry/pysungrow/pyproject.toml').dependencies;
      expect(sungrow.find((d) => d.name === 'pymodbus')).toMatchObject({ specifier: '>=2.5.3', groups: ['main'] });
      expect(sungrow.find((d) => d.name === 'black')).toMatchObject({ specifier: '^22.12.0', groups: ['dev'] });
      expect(sungrow.some((d) => d.name === 'python')).toBe(false);
      const poetry = extracted('poetry/poetry/pyproject.toml').dependencies;
      expect(poetry.find((d) => d.name === 'tomli')).toMatchObject({ specifier: '>=2.0.1,<3.0.0', markers: "python_version < '3.11'" });
      expect(poetry.find((d) => d.name === 'cachecontrol')).toMatchObject({ extras: ['filecache'] });
      expect(poetry.find((d) => d.name === 'pytest-xdist')).toMatchObject({ extras: ['psutil'], groups: ['test'] });
      expect(poetry.find((d) => d.name === 'pytest-github-actions-annotate-failures')).toMatchObject({ groups: ['github-actions'] });
    });

    it('pipenv: django 3.1.2 and sqlparse 0.3.1; editable path entries without a version', () => {
      expect(find('pipenv/django-girls-tutorial/Pipfile.lock', 'django')).toEqual([expect.objectContaining({ version: '3.1.2', specifier: '==3.1.2' })]);
      expect(find('pipenv/django-girls-tutorial/Pipfile.lock', 'sqlparse')).toEqual([expect.objectContaining({ version: '0.3.1' })]);
      const pipenv = find('pipenv/pipenv-2022/Pipfile.lock', 'pipenv')[0];
      expect(pipenv).toMatchObject({ source: 'editable', url: '.', extras: ['dev', 'tests'] });
      expect(pipenv.version).toBeUndefined();
      expect(find('pipenv/pipenv-2022/Pipfile.lock', 'pytest-pypi')[0]).toMatchObject({ source: 'editable', url: './tests/pytest-pypi' });
    });

    it('pdm: aiocache three times with different extras', () => {
      expect(find('pdm/mpd-now-playable/pdm.lock', 'aiocache').map((d) => [d.version, d.extras])).toEqual([
        ['0.12.3', undefined],
        ['0.12.3', ['memcached']],
        ['0.12.3', ['redis']],
      ]);
      const pyproject = extracted('pdm/mpd-now-playable/pyproject.toml');
      expect(pyproject.skipped.map((s) => s.text)).toEqual(['mpd-now-playable[redis,memcached,websockets]']);
      expect(pyproject.dependencies.find((d) => d.markers !== undefined)).toMatchObject({ markers: "sys_platform == 'darwin'" });
    });

    it('uv pyprojects: extras, dependency groups, the one exact pin', () => {
      expect(find('uv/duck-pypi/pyproject.toml', 'dbt-duckdb')).toEqual([expect.objectContaining({ extras: ['md'], specifier: '>=1.9.6' })]);
      expect(inGroup('uv/duck-pypi/pyproject.toml', 'dev').map((d) => d.name)).toEqual(['isort', 'pytest', 'pytest-cov', 'ruff']);
      const pinned = extracted('uv/system-monitoring/pyproject.toml').dependencies.filter((d) => d.version !== undefined);
      expect(pinned.map((d) => [d.name, d.version])).toEqual([['mysqlclient', '2.2.7']]);
      expect(extracted('uv/python-uv/pyproject.toml').dependencies.every((d) => d.groups !== undefined)).toBe(true);
    });

    it('requirements: hashes, via comments, find-links; non-normalised names; invalid ~=4 kept', () => {
      const rhc = extracted('requirements/rhc-worker-playbook/requirements.txt');
      expect(rhc.options).toEqual([{ name: 'find-links', value: '.', line: 7 }]);
      expect(rhc.dependencies.every((d) => d.version !== undefined && (d.hashes?.length ?? 0) > 0)).toBe(true);
      expect(find('requirements/rhc-worker-playbook/requirements.txt', 'setuptools')).toEqual([expect.objectContaining({ version: '71.1.0' })]);
      expect(find('requirements/rhc-worker-playbook/requirements.in', 'ansible-runner')).toEqual([expect.objectContaining({ name: 'ansible_runner', version: '2.4.0' })]);
      const clite = 'requirements/django-clite/requirements.txt';
      expect(find(clite, 'django')).toEqual([expect.objectContaining({ specifier: '~=4' })]);
      expect(find(clite, 'djangorestframework-httpsignature')).toEqual([]);
      expect(find(clite, 'coverage').map((d) => [d.specifier, d.version])).toEqual([[undefined, undefined]]);
      expect(extracted('requirements/openstack/global-requirements.txt').dependencies.some((d) => d.markers?.startsWith("sys_platform!='win32'"))).toBe(true);
    });

    it('edx github.in: VCS lines with egg names and versions; the fragment without egg= is skipped', () => {
      const rel = 'requirements/edx-platform/github.in';
      expect(find(rel, 'mongodbproxy')).toEqual([expect.objectContaining({ version: '0.1.0+edx.2', source: 'vcs' })]);
      expect(extracted(rel).dependencies.every((d) => d.source === 'vcs')).toBe(true);
      expect(extracted(rel).skipped).toEqual([expect.objectContaining({ reason: 'editable VCS URL without an "#egg=" name' })]);
      expect(extracted(rel).skipped[0].text).toContain('#edx-enterprise==3.30');
    });

    it('handwritten edge file: options, includes, wildcard, epochs, local versions, URLs, continuation', () => {
      const rel = 'requirements/handwritten/requirements-edge.txt';
      const r = extracted(rel);
      expect(r.options?.map((o) => o.name)).toEqual(['index-url', 'extra-index-url', 'trusted-host']);
      expect(r.includes?.map((i) => [i.kind, i.path])).toEqual([['requirement', 'base-edge.txt'], ['constraint', 'constraints-edge.txt']]);
      expect(find(rel, 'django')[0]).toMatchObject({ specifier: '==3.2.*' });
      expect(find(rel, 'django')[0].version).toBeUndefined();
      expect(find(rel, 'pyyaml')[0]).toMatchObject({ version: '0!5.3.1' });
      expect(find(rel, 'torch')[0]).toMatchObject({ version: '1.13.1+cu117' });
      expect(find(rel, 'urllib3')[0]).toMatchObject({ version: '1.26.4', specifier: '===1.26.4' });
      expect(find(rel, 'paramiko')[0]).toMatchObject({ version: '2.4.1' });
      expect(find(rel, 'cryptography')[0].hashes).toHaveLength(2);
      expect(find(rel, 'werkzeug')[0]).toMatchObject({ source: 'vcs' });
      expect(find(rel, 'lxml')[0]).toMatchObject({ version: '4.6.2', source: 'url' });
      expect(r.skipped.map((s) => s.text)).toEqual(['./vendor/internal-lib']);
      const crlf = extracted('requirements/handwritten/requirements-crlf.txt');
      expect(crlf.dependencies.map((d) => [d.name, d.version, d.line])).toEqual([['Django', '2.2.10', 2], ['requests', '2.22.0', 3], ['PyJWT', '1.7.1', 5]]);
    });

    it('setup.cfg: install_requires with markers and extras_require', () => {
      const deps = extracted('setup-cfg/importlib_metadata/setup.cfg').dependencies;
      expect(deps.filter((d) => d.groups === undefined).map((d) => d.name)).toEqual(['zipp', 'pathlib2', 'contextlib2', 'configparser']);
      expect(deps.filter((d) => d.groups !== undefined).map((d) => [d.name, d.groups])).toEqual([
        ['importlib_resources', ['testing']], ['packaging', ['testing']], ['sphinx', ['docs']], ['rst.linker', ['docs']],
      ]);
    });
  });

  describe('includes', () => {
    it('handwritten: -r base-edge.txt -> --requirement nested/more-edge.txt (relative to base-edge.txt), -c constraints', () => {
      const resolved = resolveIncludes(sourceFiles('requirements/handwritten'), 'requirements-edge.txt');
      expect(resolved.skipped).toEqual([]);
      expect(resolved.files.map((f) => [f.path, f.kind])).toEqual([
        ['requirements-edge.txt', 'entry'],
        ['base-edge.txt', 'requirement'],
        ['nested/more-edge.txt', 'requirement'],
        ['constraints-edge.txt', 'constraint'],
      ]);
      expect(resolved.files[2].result.dependencies.map((d) => [d.name, d.version])).toEqual([['sqlparse', '0.4.1']]);
    });

    it.each([
      ['services/web/server/requirements/_base.in', 14],
      ['services/web/server/requirements/prod.txt', 2],
      ['services/web/server/requirements/dev.txt', 4],
      ['services/web/server/requirements/ci.txt', 4],
    ])('osparc-simcore %s: the whole -r/-c closure is present (%i files)', (entry, count) => {
      const resolved = resolveIncludes(sourceFiles('requirements/osparc-simcore'), entry);
      expect(resolved.skipped).toEqual([]);
      expect(resolved.files).toHaveLength(count);
      expect(resolved.files.every((f) => f.result.error === undefined)).toBe(true);
    });

    it('osparc-simcore _base.in reaches the shared constraints through ../../../../ paths, as constraints', () => {
      const resolved = resolveIncludes(sourceFiles('requirements/osparc-simcore'), 'services/web/server/requirements/_base.in');
      const constraints = resolved.files.find((f) => f.path === 'requirements/constraints.txt');
      expect(constraints?.kind).toBe('constraint');
      expect(constraints?.result.dependencies.find((d) => d.name === 'aiohttp')).toMatchObject({ specifier: '>=3.7.4,!=3.11.13' });
      expect(resolved.files.map((f) => f.path)).toEqual(expect.arrayContaining([
        'packages/common-library/requirements/_base.in',
        'packages/service-library/requirements/_aiohttp.in',
        'packages/postgres-database/requirements/constraints.txt',
      ]));
    });

    it('osparc-simcore dev.txt: editable local paths have no name and are skipped with a reason', () => {
      const dev = extracted('requirements/osparc-simcore/services/web/server/requirements/dev.txt');
      expect(dev.dependencies).toEqual([]);
      expect(dev.skipped).toHaveLength(9);
      expect(new Set(dev.skipped.map((s) => s.reason))).toEqual(new Set(['editable local path without a package name']));
      const prod = extracted('requirements/osparc-simcore/services/web/server/requirements/prod.txt');
      expect(prod.dependencies.find((d) => d.name === 'simcore-service-library')).toMatchObject({ extras: ['aiohttp'], source: 'path', url: '../../../packages/service-library' });
    });
  });
});
