/**
 * Which modules are Django settings, and for which environment. A module is a settings module when it sets
 * several of Django's own settings names, builds on a base settings module (`from .base import *`), is named
 * by `DJANGO_SETTINGS_MODULE` somewhere in the project (manage.py, wsgi.py, asgi.py, pytest or tox config),
 * or is the base another settings module star-imports. Its environment comes from the project first: the
 * module a WSGI/ASGI entry point names is what servers run (production, whatever it is called), one named
 * only by test configuration is for tests, and a generically named module (`settings.py`) that a deployed
 * settings module builds on is a base; otherwise from its path (`settings/dev.py`, `settings/production.py`).
 * A base module's value is what every environment inherits unless it sets it again: where every production
 * module of the package overrides a name, the base value is not what production runs (productionHeirs).
 */
import type { Scope } from '../../python/scopes.js';
import type { RuleContext } from '../rule.js';
import { extensionsOf, pointersTo, resolveRelative, type ProjectFacts } from './project.js';

/** The environment a settings module (or a config class) is for. */
export type SettingsRole = 'production' | 'base' | 'development' | 'test';

/** Names only a Django settings module sets together. */
const CORE = ['INSTALLED_APPS', 'MIDDLEWARE', 'MIDDLEWARE_CLASSES', 'DATABASES', 'ROOT_URLCONF'];
const OTHER = ['WSGI_APPLICATION', 'ASGI_APPLICATION', 'TEMPLATES', 'AUTH_PASSWORD_VALIDATORS', 'STATIC_URL', 'STATIC_ROOT', 'LANGUAGE_CODE', 'USE_TZ', 'USE_I18N', 'DEFAULT_AUTO_FIELD', 'SECRET_KEY', 'ALLOWED_HOSTS', 'AUTH_USER_MODEL', 'SESSION_ENGINE'];

/** Test settings (and anything under a tests folder) use fast hashers, throwaway keys and DEBUG on purpose. */
const TEST = /(^|\/)(tests?|testing)(\/|$)|(^|\/)(test_[^/]*|[^/]*_(tests?|testing)|[^/]*smoke_?test[^/]*|tests?|testing|conftest|ci|test_settings|settings_test)\.py$/;
const DEVELOPMENT = /(^|\/)(dev|develop|development|local|local_settings|localsettings|settings_local|settings_dev|dev_settings|docker_dev|sandbox)\.py$/;
const BASE = /(^|\/)(base|common|defaults?|shared|global_settings|base_settings|settings_base)\.py$/;
/** Names that say production on purpose (a plain `settings.py` is production only by default). */
const PRODUCTION = /(^|\/)([^/]*[_-])?(prod|production|live|staging|stage|deploy|deployment|release)([_-][^/]*)?\.py$/;
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
  if (/^(Test|Testing|Tests|CI)([A-Z_]|$)|Test(ing)?(Config|Settings|Configuration)$/.test(name)) return 'test';
  if (/^(Dev|Development|Local|Debug)([A-Z_]|$)|(Dev|Development|Local)(Config|Settings|Configuration)$/.test(name)) return 'development';
  if (/^(Base|Default|Common)[A-Z_]?|^Config$|^Settings$|^Configuration$/.test(name)) return 'base';
  return undefined;
}

/** The environment a configuration file's name says (`dev.cfg`, `testing.py`, `defaults.cfg`); production by default. */
export function roleOfConfigFile(path: string): SettingsRole {
  return roleOfPath(path.replace(/\.(cfg|conf|py|pyi)$/i, '.py'));
}

function moduleScope(scope: Scope): Scope {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

/** Settings names a base module sets; a star-imported module that sets one of them is a base settings module. */
const ANY_SETTING = new Set([...CORE, ...OTHER, 'DEBUG']);

/** The role from pointers and path alone (no star-import structure): what the heirs of a base are judged by. */
function pointedRole(facts: ProjectFacts, path: string): SettingsRole {
  const pointers = pointersTo(facts, path);
  if (pointers.some((p) => p.kind === 'served')) return 'production';
  if (pointers.length && pointers.every((p) => p.kind === 'test')) return 'test';
  return roleOfPath(path);
}

const roles = new WeakMap<ProjectFacts, Map<string, SettingsRole>>();

/**
 * The environment of the settings module at `path` in this project: named by a WSGI/ASGI entry point ->
 * production; named only by test configuration -> test; a generically named module (not `production.py`)
 * that a deployed settings module star-imports -> base; else its path.
 */
export function settingsRoleAt(facts: ProjectFacts, path: string): SettingsRole {
  let byPath = roles.get(facts);
  if (!byPath) roles.set(facts, (byPath = new Map()));
  let role = byPath.get(path);
  if (role === undefined) {
    role = pointedRole(facts, path);
    if (role === 'production' && !PRODUCTION.test(path) && !pointersTo(facts, path).some((p) => p.kind === 'served')) {
      const deployedHeir = extensionsOf(facts, path).some((e) => {
        const r = pointedRole(facts, e.path);
        return r === 'production' || r === 'base';
      });
      if (deployedHeir) role = 'base';
    }
    byPath.set(path, role);
  }
  return role;
}

/**
 * The production settings modules that build on the base module at `path` (directly or through other base
 * modules), and for each whether `key` is set again on the way, so that production does not run with the
 * base value. Development and test modules do not count: what they do is their business.
 */
export function productionHeirs(facts: ProjectFacts, path: string, key: string): { path: string; overrides: boolean }[] {
  const out = new Map<string, boolean>();
  const seen = new Set([path]);
  // `overridden`: a module between sets the name again, so what builds on it inherits that value, not this one.
  const visit = (from: string, depth: number, overridden: boolean) => {
    if (depth > 6) return;
    for (const e of extensionsOf(facts, from)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      const role = settingsRoleAt(facts, e.path);
      if (role === 'development' || role === 'test') continue;
      const overrides = overridden || e.setsAfter.has(key);
      if (role === 'production') out.set(e.path, overrides);
      visit(e.path, depth + 1, overrides);
    }
  };
  visit(path, 0, false);
  return [...out].map(([p, overrides]) => ({ path: p, overrides }));
}

/**
 * A star import of a module the project knows as settings (`staging.py`: `from .production import *`, where
 * production.py is what wsgi.py names, or itself builds on `.base`).
 */
function extendsKnownSettings(facts: ProjectFacts, path: string, starImports: readonly string[]): boolean {
  if (!facts.pointers.length && !facts.extensions.length) return false;
  return starImports.some((m) => {
    const base = m.startsWith('.') ? resolveRelative(path, m) : m.split('.').join('/');
    if (base === undefined) return false;
    const candidates = [`${base}.py`, `${base}/__init__.py`];
    return candidates.some((c) => pointersTo(facts, c).length > 0 || facts.extensions.some((e) => e.path === c && e.bases.some((b) => BASE_MODULE.test(b.module))));
  });
}

const cache = new WeakMap<Scope, boolean>();

/**
 * The module sets several of Django's settings, builds on a base settings module (`from .base import *`),
 * is named by `DJANGO_SETTINGS_MODULE`, or is star-imported by another module and sets a Django setting.
 */
export function isDjangoSettingsModule(ctx: RuleContext): boolean {
  const module = moduleScope(ctx.scope);
  let known = cache.get(module);
  if (known === undefined) {
    const core = CORE.filter((n) => module.bindings.has(n)).length;
    const other = OTHER.filter((n) => module.bindings.has(n)).length;
    const extendsBase = module.starImports.some((m) => BASE_MODULE.test(m));
    known =
      core >= 2 ||
      (core >= 1 && other >= 2) ||
      extendsBase ||
      pointersTo(ctx.project, ctx.path).length > 0 ||
      extendsKnownSettings(ctx.project, ctx.path, module.starImports) ||
      ([...ANY_SETTING].some((n) => module.bindings.has(n)) && extensionsOf(ctx.project, ctx.path).length > 0);
    cache.set(module, known);
  }
  return known;
}

/** The environment of the Django settings module the visited node is in, or undefined when it is not one. */
export function djangoSettingsRole(ctx: RuleContext): SettingsRole | undefined {
  return isDjangoSettingsModule(ctx) ? settingsRoleAt(ctx.project, ctx.path) : undefined;
}
