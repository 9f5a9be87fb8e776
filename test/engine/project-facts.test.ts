/**
 * Project facts as tables: what texts say about settings pointers, star imports and Flask config loads
 * (engine/project-facts.ts), how module names match paths, and what the settings rules conclude from them
 * (roles, production heirs of a base module).
 */
import { isPythonConfigFile, pointerKind } from '../../src/engine/project-facts.js';
import { productionHeirs, settingsRoleAt } from '../../src/rules/settings/django-settings.js';
import { extensionsOf, flaskObjectLoads, flaskPyfileLoads, moduleIs, pointersTo, pyfileCandidates } from '../../src/rules/settings/project.js';
import { analyzeSource, factsOf } from '../helpers/analyze.js';

const py = (path: string, text: string) => ({ path, text });

describe('DJANGO_SETTINGS_MODULE pointers', () => {
  it.each([
    ['setdefault', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.prod")\n', ['mysite.settings.prod']],
    ['an assignment', 'os.environ["DJANGO_SETTINGS_MODULE"] = "mysite.live"\n', ['mysite.live']],
    ['a read with a default', 'settings = os.environ.get("DJANGO_SETTINGS_MODULE", "mysite.settings")\n', ['mysite.settings']],
    ['single quotes and an alias', "from os import environ as e\ne.setdefault('DJANGO_SETTINGS_MODULE', 'a.b')\n", ['a.b']],
    ['a commented-out line', '# os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.old")\n', []],
    ['an f-string', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"mysite.settings.{ENV}")\n', []],
    ['a name from elsewhere', 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)\n', []],
    ['another variable', 'os.environ.setdefault("CELERY_CONFIG_MODULE", "mysite.celeryconfig")\n', []],
  ])('%s', async (_name, text, modules) => {
    const facts = await factsOf([py('mysite/wsgi.py', `import os\n${text}`)]);
    expect(facts.pointers.map((p) => p.module)).toEqual(modules);
  });

  it.each([
    ['pytest.ini', '[pytest]\nDJANGO_SETTINGS_MODULE = mysite.test_settings\n', ['mysite.test_settings']],
    ['setup.cfg', '[tool:pytest]\naddopts = --ds=config.settings.test --reuse-db\n', ['config.settings.test']],
    ['pyproject.toml', '[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = "config.settings.test"\n', ['config.settings.test']],
    ['tox.ini', '[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE=shop.settings.ci\n', ['shop.settings.ci']],
    ['a commented line', '[pytest]\n# DJANGO_SETTINGS_MODULE = mysite.old\n', []],
  ])('%s names test settings', async (path, text, modules) => {
    const facts = await factsOf([{ path, text }]);
    expect(facts.pointers.map((p) => [p.module, p.kind])).toEqual(modules.map((m) => [m, 'test']));
  });

  it.each([
    ['mysite/wsgi.py', 'served'],
    ['mysite/asgi.py', 'served'],
    ['passenger_wsgi.py', 'served'],
    ['manage.py', 'manage'],
    ['mysite/celery.py', 'other'],
    ['tests/conftest.py', 'test'],
    ['pytest.ini', 'test'],
  ])('a pointer in %s is %s', (path, kind) => {
    expect(pointerKind(path)).toBe(kind);
  });
});

describe('module names against paths', () => {
  it.each([
    ['mysite/settings/prod.py', 'mysite.settings.prod', 'manage.py', true],
    ['mysite/settings/__init__.py', 'mysite.settings', 'mysite/wsgi.py', true],
    ['backend/mysite/settings.py', 'mysite.settings', 'backend/manage.py', true],
    ['backend/mysite/settings.py', 'mysite.settings', 'backend/mysite/wsgi.py', true],
    ['src/mysite/settings.py', 'mysite.settings', 'manage.py', true],
    ['backend/mysite/settings.py', 'mysite.settings', 'manage.py', false],
    ['other/mysite/settings.py', 'mysite.settings', 'backend/manage.py', false],
    ['mysite/settings.pyc', 'mysite.settings', 'manage.py', false],
    ['shop/settings/base.py', '.base', 'shop/settings/production.py', true],
    ['shop/base.py', '..base', 'shop/settings/production.py', true],
    ['shop/settings/base.py', '..base', 'shop/settings/production.py', false],
  ])('%s is %s seen from %s: %s', (path, module, from, expected) => {
    expect(moduleIs(path, module, from)).toBe(expected);
  });
});

describe('star imports and what is set again after them', () => {
  it('records names bound at module level after the import, not before it, not conditionally', async () => {
    const facts = await factsOf([
      py(
        'shop/settings/production.py',
        'DEBUG = True\nfrom .base import *\nimport os\nfrom .secrets import SECRET_KEY\nALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS = ["a"], ["b"]\nif os.environ.get("X"):\n    SESSION_COOKIE_SECURE = True\ndebug = False\nSTATIC_URL: str = "/static/"\n',
      ),
    ]);
    expect(facts.extensions).toEqual([{ path: 'shop/settings/production.py', bases: [{ module: '.base', setsAfter: ['SECRET_KEY', 'ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'STATIC_URL'] }] }]);
    expect(extensionsOf(facts, 'shop/settings/base.py').map((e) => [e.path, [...e.setsAfter]])).toEqual([['shop/settings/production.py', ['SECRET_KEY', 'ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'STATIC_URL']]]);
    expect(extensionsOf(facts, 'shop/base.py')).toEqual([]);
  });
});

describe('settings roles and production heirs from the project', () => {
  const project = [
    py('manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.local")\n'),
    py('shop/wsgi.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.live")\n'),
    py('shop/settings/base.py', 'DEBUG = True\nSECRET_KEY = "x"\n'),
    py('shop/settings/common.py', 'from .base import *\nDEBUG = False\n'),
    py('shop/settings/live.py', 'from .common import *\n'),
    py('shop/settings/staging.py', 'from .base import *\nSECRET_KEY = "y"\n'),
    py('shop/settings/local.py', 'from .base import *\n'),
    py('shop/settings/ci.py', 'from .base import *\n'),
    py('shop/quick.py', 'INSTALLED_APPS = []\n'),
    { path: 'pytest.ini', text: '[pytest]\nDJANGO_SETTINGS_MODULE = shop.quick\n' },
  ];

  it.each([
    ['shop/settings/live.py', 'production'],
    ['shop/settings/local.py', 'development'],
    ['shop/settings/base.py', 'base'],
    ['shop/settings/ci.py', 'test'],
    ['shop/quick.py', 'test'],
    ['shop/settings/staging.py', 'production'],
  ])('%s is %s', async (path, role) => {
    expect(settingsRoleAt(await factsOf(project), path)).toBe(role);
  });

  it.each([
    ['DEBUG', [['shop/settings/live.py', true], ['shop/settings/staging.py', false]]],
    ['SECRET_KEY', [['shop/settings/live.py', false], ['shop/settings/staging.py', true]]],
    ['ALLOWED_HOSTS', [['shop/settings/live.py', false], ['shop/settings/staging.py', false]]],
  ])('%s in base.py: which production modules set it again', async (key, heirs) => {
    const found = productionHeirs(await factsOf(project), 'shop/settings/base.py', key);
    expect(found.map((h) => [h.path, h.overrides]).sort()).toEqual(heirs);
  });

  it('a served module is production whatever its name; a generically named module a served one builds on is a base', async () => {
    const facts = await factsOf([
      py('app/asgi.py', 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "app.settings.local"\n'),
      py('app/wsgi.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings_prod")\n'),
      py('app/settings_prod.py', 'from .settings import *\nDEBUG = False\n'),
    ]);
    expect(settingsRoleAt(facts, 'app/settings/local.py')).toBe('production');
    expect(settingsRoleAt(facts, 'app/settings.py')).toBe('base');
    expect(pointersTo(facts, 'app/settings_prod.py').map((p) => p.kind)).toEqual(['served']);
  });

  it('a module only a developer module builds on stays what it says', async () => {
    const facts = await factsOf([py('blog/local_settings.py', 'from .settings import *\nDEBUG = True\n')]);
    expect(settingsRoleAt(facts, 'blog/settings.py')).toBe('production');
  });
});

describe('Flask config loads', () => {
  const app = (body: string, imports = '') => py('portal/app.py', `import os\nfrom flask import Flask\n${imports}\napp = Flask(__name__)\n${body}\n`);

  it.each([
    ['a dotted string', app('app.config.from_object("portal.settings.Live")'), [['portal.settings', 'Live', undefined]]],
    ['a module', app('app.config.from_object("portal.default_settings")'), [['portal', 'default_settings', undefined]]],
    ['an imported class', app('app.config.from_object(ProductionConfig)', 'from .config import ProductionConfig'), [['.config', 'ProductionConfig', undefined]]],
    ['a class of an imported module', app('app.config.from_object(config.Live)', 'import config'), [['config', 'Live', undefined]]],
    ['a class of this module', app('class Live:\n    DEBUG = False\napp.config.from_object(Live)'), [['.app', 'Live', undefined]]],
    ['an environment fallback', app('app.config.from_object(os.environ.get("APP_SETTINGS", "config.StagingConfig"))'), [['config', 'StagingConfig', undefined]]],
    ['no fallback', app('app.config.from_object(os.environ["APP_SETTINGS"])'), []],
    [
      'a parameter default (create_app(config_class=Config))',
      app('def create_app(config_class=Config):\n    a = Flask(__name__)\n    a.config.from_object(config_class)\n    return a', 'from config import Config'),
      [['config', 'Config', undefined]],
    ],
    [
      'a selection map in the same module',
      app('configs = {"dev": DevConfig, "production": LiveConfig, "default": DevConfig}\napp.config.from_object(configs[os.environ.get("ENV", "default")])', 'from .config import DevConfig, LiveConfig'),
      [['.config', 'DevConfig', 'development'], ['.config', 'LiveConfig', 'production'], ['.config', 'DevConfig', undefined]],
    ],
    ['not a config: a mapping of something else', app('app.jinja_env.from_object("x.Y")'), []],
  ])('%s', async (_name, file, loads) => {
    const facts = await factsOf([file]);
    expect(facts.flaskLoads.map((l) => [l.module, l.name, l.role])).toEqual(loads);
  });

  it.each([
    ['app.config.from_pyfile("prod.cfg")', ['portal/prod.cfg', 'portal/instance/prod.cfg', 'instance/prod.cfg', 'prod.cfg']],
    ['app.config.from_pyfile(filename="settings.cfg", silent=True)', ['portal/settings.cfg', 'portal/instance/settings.cfg', 'instance/settings.cfg', 'settings.cfg']],
    ['app.config.from_pyfile(os.path.join(app.root_path, "conf", "live.cfg"))', ['portal/live.cfg', 'portal/instance/live.cfg', 'instance/live.cfg', 'live.cfg']],
    ['app.config.from_pyfile("../deploy/prod.cfg")', ['deploy/prod.cfg', 'portal/deploy/prod.cfg']],
  ])('%s is looked for beside the app and in its instance folder', async (call, candidates) => {
    const facts = await factsOf([app(call)]);
    expect(facts.flaskLoads).toHaveLength(1);
    expect(pyfileCandidates(facts.flaskLoads[0]).sort()).toEqual([...candidates].sort());
  });

  it('a loaded .cfg file is Python; other .cfg files are not', async () => {
    const facts = await factsOf([app('app.config.from_pyfile("prod.cfg")')]);
    expect([isPythonConfigFile(facts, 'portal/instance/prod.cfg'), isPythonConfigFile(facts, 'setup.cfg'), isPythonConfigFile(facts, 'portal/prod.py')]).toEqual([true, false, false]);
    expect(flaskPyfileLoads(facts, 'portal/instance/prod.cfg')).toHaveLength(1);
  });

  it('finds the loads of a class and of a module', async () => {
    const facts = await factsOf([app('app.config.from_object("portal.settings.Live")\napp.config.from_object("portal.defaults")')]);
    expect(flaskObjectLoads(facts, 'portal/settings.py', 'Live')).toHaveLength(1);
    expect(flaskObjectLoads(facts, 'portal/settings.py', 'Other')).toHaveLength(0);
    expect(flaskObjectLoads(facts, 'portal/defaults.py')).toHaveLength(1);
  });
});

describe('judged alone, the same file says less', () => {
  const LIVE = 'DEBUG = True\nSECRET_KEY = "y8#n2$kq!v7@w1m^x4z&c9b0"\n';
  const WSGI = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.config.live")\n';
  const ids = (r: { findings: { ruleId: string }[] }) => r.findings.map((f) => f.ruleId).filter((id) => /^PW20/.test(id)).sort();

  it('a module that sets two names is a settings module once wsgi.py names it', async () => {
    expect(ids(await analyzeSource(LIVE, 'mysite/config/live.py'))).toEqual([]);
    const facts = await factsOf([py('mysite/wsgi.py', WSGI), py('mysite/config/live.py', LIVE)]);
    expect(ids(await analyzeSource(LIVE, 'mysite/config/live.py', undefined, facts))).toEqual(['PW201', 'PW202']);
  });

  it('a base module value is quiet once the production module that overrides it is known, and reported when it inherits', async () => {
    const BASE = 'INSTALLED_APPS = []\nDATABASES = {}\nDEBUG = True\n';
    const alone = await analyzeSource(BASE, 'shop/settings/base.py');
    expect(alone.findings.filter((f) => f.ruleId === 'PW201').map((f) => f.confidence)).toEqual(['low']);
    const overriding = await factsOf([py('shop/settings/production.py', 'from .base import *\nDEBUG = False\n')]);
    expect(ids(await analyzeSource(BASE, 'shop/settings/base.py', undefined, overriding))).toEqual([]);
    const inheriting = await factsOf([py('shop/settings/production.py', 'from .base import *\nSTATIC_ROOT = "/srv"\n'), py('shop/settings/local.py', 'from .base import *\nDEBUG = True\n')]);
    const found = (await analyzeSource(BASE, 'shop/settings/base.py', undefined, inheriting)).findings.filter((f) => f.ruleId === 'PW201');
    expect(found.map((f) => f.confidence)).toEqual(['medium']);
    expect(found[0].message).toContain('shop/settings/production.py builds on it and does not set DEBUG again, so production runs with this value');
  });
});
