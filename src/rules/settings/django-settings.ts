/**
 * Which modules are Django settings, and for which environment: from what the module sets and imports
 * (several of Django's own settings names, or a star import of a base settings module), with the path only
 * naming the environment (`settings/dev.py`, `settings/production.py`). Rules run on one module at a time,
 * so a split settings package is judged module by module: a production or single settings module decides,
 * a base module's value is what every environment inherits unless it overrides it, and development and
 * test modules may do what a laptop or a test run needs.
 */
import type { Scope } from '../../python/scopes.js';
import type { RuleContext } from '../rule.js';

/** The environment a settings module (or a config class) is for. */
export type SettingsRole = 'production' | 'base' | 'development' | 'test';

/** Names only a Django settings module sets together. */
const CORE = ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'DATABASES', 'ROOT_URLCONF'];
const OTHER = ['WSGI_APPLICATION', 'ASGI_APPLICATION', 'TEMPLATES', 'AUTH_PASSWORD_VALIDATORS', 'STATIC_URL', 'STATIC_ROOT', 'LANGUAGE_CODE', 'USE_TZ', 'USE_I18N', 'DEFAULT_AUTO_FIELD', 'SECRET_KEY', 'ALLOWED_HOSTS', 'AUTH_USER_MODEL', 'SESSION_ENGINE'];

/** Test settings (and anything under a tests folder) use fast hashers, throwaway keys and DEBUG on purpose. */
const TEST = /(^|\/)(tests?|testing)(\/|$)|(^|\/)(test_[^/]*|[^/]*_(tests?|testing)|[^/]*smoke_?test[^/]*|tests?|testing|conftest|ci|test_settings|settings_test)\.py$/;
const DEVELOPMENT = /(^|\/)(dev|develop|development|local|local_settings|localsettings|settings_local|settings_dev|dev_settings|docker_dev|sandbox)\.py$/;
const BASE = /(^|\/)(base|common|defaults?|shared|global_settings|base_settings|settings_base)\.py$/;
/** Modules a settings module star-imports its defaults from: `.base`, `project.settings.common`, `.settings`. */
const BASE_MODULE = /(^|\.)(base|common|defaults?|shared|settings|base_settings|settings_base|components)$/;

/** Test paths: tests folders, `test_*.py`, `conftest.py`, `settings/test.py`. */
export function isTestPath(path: string): boolean {
  return TEST.test(path);
}

/** The environment a settings module's path names; a plain `settings.py` or `production.py` is production. */
export function roleOfPath(path: string): SettingsRole {
  if (TEST.test(path)) return 'test';
  if (DEVELOPMENT.test(path)) return 'development';
  if (BASE.test(path)) return 'base';
  return 'production';
}

/** The environment a config class is for, by its name (`TestingConfig`, `DevelopmentConfig`, `ProductionConfig`). */
export function roleOfClassName(name: string): SettingsRole | undefined {
  if (/^(Test|Testing|Tests|CI)[A-Z_]|Test(ing)?(Config|Settings)$/.test(name)) return 'test';
  if (/^(Dev|Development|Local|Debug)[A-Z_]|(Dev|Development|Local)(Config|Settings)$/.test(name)) return 'development';
  if (/^(Base|Default|Common)[A-Z_]?|^Config$|^Settings$/.test(name)) return 'base';
  return undefined;
}

function moduleScope(scope: Scope): Scope {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

const cache = new WeakMap<Scope, boolean>();

/** The module sets several of Django's settings, or builds on a base settings module (`from .base import *`). */
export function isDjangoSettingsModule(ctx: RuleContext): boolean {
  const module = moduleScope(ctx.scope);
  let known = cache.get(module);
  if (known === undefined) {
    const core = CORE.filter((n) => module.bindings.has(n)).length;
    const other = OTHER.filter((n) => module.bindings.has(n)).length;
    const extendsBase = module.starImports.some((m) => BASE_MODULE.test(m));
    known = core >= 2 || (core >= 1 && other >= 2) || extendsBase;
    cache.set(module, known);
  }
  return known;
}

/** The environment of the Django settings module the visited node is in, or undefined when it is not one. */
export function djangoSettingsRole(ctx: RuleContext): SettingsRole | undefined {
  return isDjangoSettingsModule(ctx) ? roleOfPath(ctx.path) : undefined;
}
