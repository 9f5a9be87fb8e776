/**
 * A pull request that edits a Django base settings module: the App reads, at the head commit, the files that
 * name it or build on it (wsgi.py, manage.py, the sibling production module), through the same GraphQL
 * reads as imported modules, and judges the base value by what production runs.
 */
import { newFilePatch, payload, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

const HEAD = 'a1'.repeat(20);
const BASE = `INSTALLED_APPS = ["django.contrib.auth", "shop"]
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}
ROOT_URLCONF = "shop.urls"
DEBUG = True
`;
const WSGI = 'import os\nfrom django.core.wsgi import get_wsgi_application\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")\napplication = get_wsgi_application()\n';
const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")\n';

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const expressions = (query: string) => [...query.matchAll(/object\(expression: ("(?:[^"\\]|\\.)*")\)/g)].map((m) => JSON.parse(m[1]) as string);
const pw201 = (rec: { updates: any[] }) => (completing(rec).output.annotations ?? []).filter((a: any) => a.title.startsWith('PW201'));

describe('a changed base settings module', () => {
  it('is quiet about DEBUG when the production module wsgi.py serves sets it again', async () => {
    const rec = mockScenario({
      files: [{ filename: 'shop/settings/base.py', patch: newFilePatch(BASE), content: BASE }],
      headFiles: { 'manage.py': MANAGE, 'shop/wsgi.py': WSGI, 'shop/settings/__init__.py': '', 'shop/settings/production.py': 'from .base import *\nDEBUG = False\n', 'shop/settings/local.py': 'from .base import *\n' },
    });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    // pointers, the package's listing, then its modules (and what the pointers name)
    expect(rec.contextQueries).toHaveLength(3);
    expect(expressions(rec.contextQueries[0].query)).toEqual(expect.arrayContaining([`${HEAD}:shop/wsgi.py`, `${HEAD}:manage.py`, `${HEAD}:pytest.ini`]));
    expect(rec.contextQueries[1].query).toContain(`t0: object(expression: "${HEAD}:shop/settings") { ... on Tree { entries { name type } } }`);
    expect(expressions(rec.contextQueries[2].query)).toEqual(expect.arrayContaining([`${HEAD}:shop/settings/production.py`, `${HEAD}:shop/settings/local.py`]));
    expect(pw201(rec)).toEqual([]);
    expect(completing(rec).conclusion).toBe('success');
  });

  it('reports DEBUG, naming the production module that inherits it, when that module does not set it again', async () => {
    const rec = mockScenario({
      files: [{ filename: 'shop/settings/base.py', patch: newFilePatch(BASE), content: BASE }],
      headFiles: { 'shop/wsgi.py': WSGI, 'shop/settings/production.py': 'from .base import *\nSTATIC_ROOT = "/srv/static"\n' },
      expectReview: true,
    });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const found = pw201(rec);
    expect(found.map((a: any) => [a.path, a.start_line])).toEqual([['shop/settings/base.py', 4]]);
    expect(found[0].message).toContain('shop/settings/production.py builds on it and does not set DEBUG again, so production runs with this value');
  });

  it('a failed read leaves a note and the module is judged alone', async () => {
    const rec = mockScenario({ files: [{ filename: 'shop/settings/base.py', patch: newFilePatch(BASE), content: BASE }], headFiles: { 'shop/wsgi.py': WSGI }, contextFailure: 'errors', expectReview: true });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    // RATE_LIMITED is retried within the review's bounded wait (github-faults.ts), then given up
    expect(rec.contextQueries.length).toBeGreaterThan(1);
    expect(new Set(rec.contextQueries.map((q: any) => q.query)).size).toBe(1);
    const done = completing(rec);
    expect(done.output.summary).toContain('settings recognition could not read the files around the changed settings modules');
    expect(pw201(rec).map((a: any) => a.start_line)).toEqual([4]);
  });

  it('nothing is read for settings when no settings rule is selected', async () => {
    const rec = mockScenario({ files: [{ filename: 'shop/settings/base.py', patch: newFilePatch(BASE), content: BASE }], config: 'rules:\n  disable: [PW201, PW202, PW203, PW204, PW205, PW206, PW207, B201, PW305]\n' });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    expect(rec.contextQueries).toEqual([]);
  });
});
