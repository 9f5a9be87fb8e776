/**
 * What a review reads around a changed settings module (engine/read-settings-context.ts), through a fake
 * port: which paths it asks for, in how many reads, within which bounds, and what it says when a read fails.
 */
import { CONTEXT_LIMITS } from '../../src/engine/read-context.js';
import { readSettingsContext, remainingLimits, settingsKind, surroundingCandidates, type SettingsContextSource } from '../../src/engine/read-settings-context.js';
import type { ChangeSet } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';

const REPO: Record<string, string> = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
  'config/wsgi.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.live")\n',
  'config/live.py': 'from .settings.base import *\nDEBUG = False\n',
  'config/settings/__init__.py': '',
  'config/settings/local.py': 'from .base import *\nDEBUG = True\n',
  'config/settings/production.py': 'from .base import *\nDEBUG = False\n',
  'config/settings/README.md': 'not a module',
  'config/views.py': 'def index(request):\n    return None\n',
  'setup.cfg': '[tool:pytest]\naddopts = --ds=config.settings.test\n',
};

const BASE = 'INSTALLED_APPS = ["shop"]\nDATABASES = {}\nDEBUG = True\n';

function change(files: Record<string, string>): ChangeSet {
  return { baseSha: 'b'.repeat(40), headSha: 'a'.repeat(40), files: Object.entries(files).map(([path, head]) => ({ path, status: 'modified' as const, head, patch: '' })), skipped: [] };
}

function fakeSource(repo: Record<string, string>, options: { list?: boolean; failOn?: number } = {}): SettingsContextSource & { asked: string[][]; listed: string[][] } {
  const asked: string[][] = [];
  const listed: string[][] = [];
  return {
    asked,
    listed,
    read: async (paths) => {
      asked.push(paths);
      if (options.failOn === asked.length) throw new Error('GitHub answered 502');
      return new Map(paths.filter((p) => p in repo).map((p) => [p, { head: repo[p], size: Buffer.byteLength(repo[p]) }]));
    },
    ...(options.list === false
      ? {}
      : {
          list: async (dirs: string[]) => {
            listed.push(dirs);
            return new Map(dirs.map((d) => [d, Object.keys(repo).filter((p) => p.startsWith(d) && !p.slice(d.length).includes('/')).map((p) => p.slice(d.length))]));
          },
        }),
  };
}

describe('settingsKind', () => {
  it.each([
    ['config/settings/base.py', BASE, 'django'],
    ['config/settings/prod.py', 'from .base import *\n', 'django'],
    ['config.py', 'import os\n\n\nclass Config:\n    SECRET_KEY = os.environ.get("K")\n', 'flask'],
    ['portal/prod.cfg', 'SECRET_KEY = "x"\nDEBUG = False\n', 'flask'],
    ['setup.cfg', '[metadata]\nNAME = x\n', undefined],
    ['app/views.py', 'def index():\n    return "ok"\n', undefined],
    ['app/models.py', 'class User:\n    name = None\n', undefined],
  ])('%s', (path, text, kind) => {
    expect(settingsKind(path, text)).toBe(kind);
  });
});

describe('surroundingCandidates', () => {
  it('asks for the pointer files of every folder up to the root and for pytest configuration near the root', () => {
    const paths = surroundingCandidates([{ path: 'config/settings/base.py', kind: 'django' }]);
    expect(paths).toEqual(
      expect.arrayContaining(['config/settings/wsgi.py', 'config/wsgi.py', 'config/asgi.py', 'manage.py', 'config/manage.py', 'pytest.ini', 'setup.cfg', 'pyproject.toml', 'tox.ini', 'config/pytest.ini']),
    );
    expect(paths).not.toContain('config/settings/pytest.ini');
    expect(paths.length).toBeLessThanOrEqual(3 * 3 + 2 * 4);
  });

  it('for a Flask config, the app modules beside it and one folder up', () => {
    expect(surroundingCandidates([{ path: 'portal/instance/prod.cfg', kind: 'flask' }])).toEqual(expect.arrayContaining(['portal/instance/app.py', 'portal/app.py', 'portal/__init__.py', 'portal/wsgi.py']));
  });
});

describe('readSettingsContext', () => {
  it('reads the pointers, lists the package, then reads its modules and what the pointers name: two reads and one listing', async () => {
    const source = fakeSource(REPO);
    const read = await readSettingsContext(change({ 'config/settings/base.py': BASE }), { parser: await pythonParser(), source, batchSize: CONTEXT_LIMITS.batchSize });
    expect(source.asked).toHaveLength(2);
    expect(source.listed).toEqual([['config/settings/']]);
    expect(read!.files.map((f) => f.path).sort()).toEqual(['config/live.py', 'config/settings/__init__.py', 'config/settings/local.py', 'config/settings/production.py', 'config/wsgi.py', 'manage.py', 'setup.cfg']);
    expect(read!.note).toBeUndefined();
    expect(read!.lookups).toBe(source.asked.flat().length);
  });

  it('a plain settings.py lists its folder but reads only modules named like settings', async () => {
    const repo = { ...REPO, 'config/settings_prod.py': 'from .settings import *\n', 'config/models.py': 'class X:\n    pass\n' };
    const source = fakeSource(repo);
    const read = await readSettingsContext(change({ 'config/settings.py': BASE }), { parser: await pythonParser(), source, batchSize: 100 });
    const paths = read!.files.map((f) => f.path);
    expect(paths).toContain('config/settings_prod.py');
    expect(paths).not.toContain('config/models.py');
    expect(paths).not.toContain('config/views.py');
  });

  it('without a listing, guesses the usual names of the modules servers run', async () => {
    const source = fakeSource(REPO, { list: false });
    const read = await readSettingsContext(change({ 'config/settings/base.py': BASE }), { parser: await pythonParser(), source, batchSize: 100 });
    expect(source.asked[1]).toEqual(expect.arrayContaining(['config/settings/production.py', 'config/settings/prod.py', 'config/settings/staging.py']));
    expect(read!.files.map((f) => f.path)).toContain('config/settings/production.py');
    expect(source.asked.flat()).not.toContain('config/views.py');
  });

  it('nothing is read when no changed file is a settings module', async () => {
    const source = fakeSource(REPO);
    expect(await readSettingsContext(change({ 'config/views.py': 'def f():\n    pass\n' }), { parser: await pythonParser(), source, batchSize: 100 })).toBeUndefined();
    expect(source.asked).toEqual([]);
  });

  it('stays within its file bound and says so', async () => {
    const source = fakeSource(REPO);
    const read = await readSettingsContext(change({ 'config/settings/base.py': BASE }), { parser: await pythonParser(), source, batchSize: 100, limits: { maxModules: 4, maxFiles: 2, maxBytes: 1 << 20, maxLookups: 120 } });
    expect(read!.files).toHaveLength(2);
    expect(read!.note).toMatch(/settings recognition read 2 files around the changed settings modules and stopped there \(limit 2 files/);
  });

  it('stays within its lookup bound', async () => {
    const source = fakeSource(REPO);
    await readSettingsContext(change({ 'config/settings/base.py': BASE }), { parser: await pythonParser(), source, batchSize: 5, limits: { maxModules: 4, maxFiles: 16, maxBytes: 1 << 20, maxLookups: 12 } });
    expect(source.asked.flat().length).toBeLessThanOrEqual(12);
    expect(Math.max(...source.asked.map((b) => b.length))).toBeLessThanOrEqual(5);
  });

  it('a failed read is a note, not an error, and stops further reads', async () => {
    const source = fakeSource(REPO, { failOn: 1 });
    const read = await readSettingsContext(change({ 'config/settings/base.py': BASE }), { parser: await pythonParser(), source, batchSize: 100 });
    expect(read!.files).toEqual([]);
    expect(read!.note).toBe('settings recognition could not read the files around the changed settings modules (GitHub answered 502); they were judged by their own content and path');
    expect(source.asked).toHaveLength(1);
  });

  it('leaves what it used out of the imported modules\' bound', () => {
    const used = { files: [{ path: 'a.py', head: 'x' }], bytes: 1000, lookups: 40 };
    expect(remainingLimits(CONTEXT_LIMITS, used)).toEqual({ ...CONTEXT_LIMITS, maxFiles: CONTEXT_LIMITS.maxFiles - 1, maxBytes: CONTEXT_LIMITS.maxBytes - 1000, maxLookups: CONTEXT_LIMITS.maxLookups - 40 });
    expect(remainingLimits(CONTEXT_LIMITS, undefined)).toBe(CONTEXT_LIMITS);
  });
});
