/**
 * What the settings rules know about the project beyond the file they are in, as plain data: which modules
 * `DJANGO_SETTINGS_MODULE` names and from where, which settings modules build on others with a star import
 * (and which names they set again), and which Flask config objects and files an app loads. The engine
 * gathers these facts from the texts of the files it has (project-facts.ts); the rules ask the questions
 * below. Module names stay as written and are matched against a file's path when asked, so facts never
 * need the list of files that exist.
 */

/** A file that names a Django settings module in `DJANGO_SETTINGS_MODULE`. */
export interface SettingsPointer {
  /** Dotted module name, as written (`mysite.settings.production`). */
  module: string;
  /** Path of the file that names it. */
  from: string;
  /**
   * `served`: a WSGI/ASGI entry point (what the web server imports); `manage`: manage.py (runserver,
   * migrations: development as often as production); `test`: pytest/tox configuration or a test path;
   * `other`: another module (a Celery app, a script).
   */
  kind: 'served' | 'manage' | 'test' | 'other';
}

/** A module that builds on others with `from <base> import *`. */
export interface SettingsExtension {
  path: string;
  bases: {
    /** The star-imported module as written: `.base`, `..settings`, `mysite.settings.base`. */
    module: string;
    /** UPPERCASE names the module binds unconditionally at module level after that import. */
    setsAfter: string[];
  }[];
}

/** `app.config.from_object(...)` or `app.config.from_pyfile(...)` in some file. */
export interface FlaskConfigLoad {
  /** Path of the file that loads it. */
  from: string;
  kind: 'object' | 'pyfile';
  /** `object`: the module, as written or imported (`config`, `.config`, `app.settings`). */
  module?: string;
  /** `object`: the attribute of `module` loaded (a class, usually); undefined when the module itself is. */
  name?: string;
  /** `pyfile`: the file name as written (`prod.cfg`, `config.py`, `../instance/settings.py`). */
  file?: string;
  /** The environment a selection map names it for (`{"production": ProductionConfig}`), when it does. */
  role?: 'production' | 'development' | 'test';
}

export interface ProjectFacts {
  pointers: SettingsPointer[];
  extensions: SettingsExtension[];
  flaskLoads: FlaskConfigLoad[];
}

export const NO_PROJECT_FACTS: ProjectFacts = Object.freeze({ pointers: [], extensions: [], flaskLoads: [] }) as ProjectFacts;

/** `{"production": ProductionConfig}` keys: the environment a config selection map names. */
export function roleOfKey(key: string): FlaskConfigLoad['role'] {
  const k = key.toLowerCase();
  if (/^(prod|production|live|staging|stage|deploy|deployment|heroku|docker|server)$/.test(k)) return 'production';
  if (/^(dev|develop|development|local|debug)$/.test(k)) return 'development';
  if (/^(test|tests|testing|ci|unittest)$/.test(k)) return 'test';
  return undefined;
}

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

/** `a/b/c.py` and `a/b/c/__init__.py` -> `a/b/c`; other files keep their name without the extension. */
export function modulePathOf(path: string): string {
  return path.replace(/\/__init__\.pyi?$/, '').replace(/\.pyi?$/, '');
}

/** The directory prefixes a module name may be found under, seen from `from`: its folders up to the root, and `src/`. */
function roots(from: string): string[] {
  const parts = dirOf(from).split('/').filter(Boolean);
  const out = [''];
  for (let i = 1; i <= parts.length; i++) out.push(`${parts.slice(0, i).join('/')}/`);
  out.push('src/');
  return out;
}

/** `.base` seen from `shop/settings/prod.py` -> `shop/settings/base`; undefined past the root. */
export function resolveRelative(from: string, module: string): string | undefined {
  const m = /^(\.+)(.*)$/.exec(module);
  if (!m) return undefined;
  const parts = dirOf(from).split('/').filter(Boolean);
  const up = m[1].length - 1;
  if (up > parts.length) return undefined;
  return [...parts.slice(0, parts.length - up), ...(m[2] ? m[2].split('.') : [])].join('/');
}

/** Whether `module`, written in the file at `from`, can be the module file at `path`. */
export function moduleIs(path: string, module: string, from: string): boolean {
  if (!/\.pyi?$/.test(path)) return false;
  const target = modulePathOf(path);
  if (module.startsWith('.')) return resolveRelative(from, module) === target;
  const rel = module.split('.').join('/');
  return roots(from).some((root) => `${root}${rel}` === target);
}

/** The pointers that name the module at `path`. */
export function pointersTo(facts: ProjectFacts, path: string): SettingsPointer[] {
  return facts.pointers.filter((p) => moduleIs(path, p.module, p.from));
}

/** The modules that star-import the module at `path`, each with the names it sets again after that import. */
export function extensionsOf(facts: ProjectFacts, path: string): { path: string; setsAfter: ReadonlySet<string> }[] {
  const out: { path: string; setsAfter: ReadonlySet<string> }[] = [];
  for (const e of facts.extensions) {
    if (e.path === path) continue;
    const base = e.bases.find((b) => moduleIs(path, b.module, e.path));
    if (base) out.push({ path: e.path, setsAfter: new Set(base.setsAfter) });
  }
  return out;
}

/**
 * The loads of the Flask config class `name` defined in the module at `path`, or, `name` undefined, of that
 * module itself (`from_object("app.default_settings")`: a string `a.b.C` may name class `C` of `a/b.py` or
 * the module `a/b/C.py`, as Werkzeug's `import_string` tries both).
 */
export function flaskObjectLoads(facts: ProjectFacts, path: string, name?: string): FlaskConfigLoad[] {
  return facts.flaskLoads.filter((l) => {
    if (l.kind !== 'object' || l.module === undefined) return false;
    if (name !== undefined) return l.name === name && moduleIs(path, l.module, l.from);
    return l.name === undefined ? moduleIs(path, l.module, l.from) : moduleIs(path, `${l.module}.${l.name}`, l.from);
  });
}

/** Where a file named in `from_pyfile` may be: beside the loading module, in an `instance/` folder next to it or its package, at the root. */
export function pyfileCandidates(load: FlaskConfigLoad): string[] {
  if (!load.file) return [];
  const here = dirOf(load.from);
  const parent = dirOf(here.replace(/\/$/, ''));
  const joined = (dir: string) => normalise(`${dir}${load.file}`);
  return [...new Set([joined(here), joined(`${here}instance/`), joined(`${parent}instance/`), normalise(load.file)].filter((p): p is string => p !== undefined))];
}

function normalise(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (!out.length) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** The `from_pyfile` loads that name the file at `path`. */
export function flaskPyfileLoads(facts: ProjectFacts, path: string): FlaskConfigLoad[] {
  return facts.flaskLoads.filter((l) => l.kind === 'pyfile' && pyfileCandidates(l).includes(path));
}
