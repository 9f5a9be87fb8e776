/**
 * The unchanged files a review reads for what they say about a changed settings module, not for their
 * findings (`ChangeSet.project`): a pull request that edits `config/settings/base.py` rarely touches the
 * manage.py, wsgi.py, asgi.py or pytest configuration that names it in `DJANGO_SETTINGS_MODULE`, nor the
 * production module that builds on it; a changed Flask config file is loaded by an app module the change
 * does not touch either. Two rounds through the change source's port at the head commit: the well-known
 * pointer files of the changed module's folders and the repository root (and a listing of its own folder),
 * then its sibling modules and the modules the pointers name. Bounded per review, and the bound is carved
 * out of the imported-modules context's (read-context.ts), so a review never reads more than CONTEXT_LIMITS.
 */
import type { Parser } from 'web-tree-sitter';
import { projectFacts, TEST_CONFIG_FILES } from './project-facts.js';
import type { ContextBlob, ContextLimits, ContextReader } from './read-context.js';
import type { ChangeSet } from './types.js';
import { decodePythonSource } from '../python/decode.js';

export interface SettingsContextSource {
  read: ContextReader;
  /**
   * The names of the files in each folder ('' = the root) at the head commit. Without it, sibling modules
   * are guessed from the names settings packages use (production.py, prod.py, staging.py, ...).
   */
  list?: (dirs: string[]) => Promise<Map<string, string[]>>;
}

export interface SettingsContextLimits {
  /** Changed modules whose surroundings are read. */
  maxModules: number;
  /** Files read per review. */
  maxFiles: number;
  /** Bytes read per review. */
  maxBytes: number;
  /** Paths looked up per review. */
  maxLookups: number;
}

/**
 * A settings module's surroundings are a handful of small files: 16 files, 512 KiB and 120 lookups (two
 * GraphQL queries) for up to 4 changed settings modules, within the review's context bound.
 */
export const SETTINGS_CONTEXT_LIMITS: SettingsContextLimits = { maxModules: 4, maxFiles: 16, maxBytes: 512 * 1024, maxLookups: 120 };

/** Files that name a settings module (manage.py, WSGI/ASGI entry points) or load a Flask config (app modules). */
const POINTER_FILES = ['manage.py', 'wsgi.py', 'asgi.py'];
const APP_FILES = ['__init__.py', 'app.py', 'wsgi.py', 'application.py', 'main.py', 'run.py', 'factory.py'];
/** Sibling names split settings packages use for the modules servers run, when the folder cannot be listed. */
const GUESSED_SIBLINGS = ['production.py', 'prod.py', 'live.py', 'staging.py', 'stage.py', 'deploy.py', 'settings.py', '__init__.py', 'docker.py', 'heroku.py', 'server.py'];
/** Folders that hold a split settings package, and the module names that are settings beside other code. */
const SETTINGS_FOLDER = /(^|\/)(settings|config|conf|configs|configuration|environments|envs)\/$/;
const SETTINGS_SIBLING = /settings|prod|live|stag|deploy/i;
/** Folder levels above a changed module searched for pointer files. */
const LEVELS = 4;

const DJANGO_NAME = /^(INSTALLED_APPS|MIDDLEWARE|MIDDLEWARE_CLASSES|DATABASES|ROOT_URLCONF|SECRET_KEY|DEBUG|ALLOWED_HOSTS|SESSION_COOKIE_SECURE|CSRF_COOKIE_SECURE|SESSION_COOKIE_HTTPONLY|PASSWORD_HASHERS)\s*[:=]/m;
const STAR_IMPORT = /^from\s+[\w.]+\s+import\s+\*/m;
/** A config class (`class ProductionConfig(Config):` with UPPERCASE attributes) or a Python config file. */
const CONFIG_CLASS = /^class\s+\w+.*:\s*$/m;
const UPPER_ATTRIBUTE = /^\s+[A-Z][A-Z0-9_]*\s*=/m;
const UPPER_ASSIGNMENT = /^[A-Z][A-Z0-9_]*\s*=/m;

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

/** Folders from the file's own up to the root, nearest first (`a/b/c.py` -> `a/b/`, `a/`, ``). */
function ancestors(path: string, levels = LEVELS): string[] {
  const parts = dirOf(path).split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i >= 0 && out.length < levels; i--) out.push(parts.slice(0, i).map((p) => `${p}/`).join(''));
  if (!out.includes('')) out.push('');
  return out;
}

export type SettingsKind = 'django' | 'flask';

/** Whether a changed file is a settings module worth reading the surroundings of, and of which kind. */
export function settingsKind(path: string, text: string): SettingsKind | undefined {
  if (/\.pyi?$/.test(path)) {
    if (DJANGO_NAME.test(text) || STAR_IMPORT.test(text)) return 'django';
    if (CONFIG_CLASS.test(text) && UPPER_ATTRIBUTE.test(text)) return 'flask';
    return undefined;
  }
  // A `.cfg` with Python assignments and no INI section: what Flask's `from_pyfile` loads.
  if (/\.(cfg|conf)$/i.test(path) && UPPER_ASSIGNMENT.test(text) && !/^\s*\[[^\]]+\]\s*$/m.test(text)) return 'flask';
  return undefined;
}

/** The first round's lookups for the changed settings modules: pointer or app files of their folders and pytest's configuration. */
export function surroundingCandidates(modules: readonly { path: string; kind: SettingsKind }[]): string[] {
  const out = new Set<string>();
  for (const m of modules) {
    const dirs = ancestors(m.path);
    if (m.kind === 'django') {
      for (const d of dirs) for (const name of POINTER_FILES) out.add(`${d}${name}`);
      for (const d of dirs.slice(-2)) for (const name of TEST_CONFIG_FILES) out.add(`${d}${name}`);
    } else {
      for (const d of dirs.slice(0, 2)) for (const name of APP_FILES) out.add(`${d}${name}`);
    }
  }
  return [...out];
}

/** Repository paths a dotted module named in `DJANGO_SETTINGS_MODULE` by the file at `from` may be. */
function modulePaths(module: string, from: string): string[] {
  const rel = module.split('.').join('/');
  const roots = ancestors(from, 8).reverse();
  roots.push('src/');
  return roots.flatMap((r) => [`${r}${rel}.py`, `${r}${rel}/__init__.py`]);
}

function textOf(head: Uint8Array | string): string | undefined {
  if (typeof head === 'string') return head;
  const decoded = decodePythonSource(head);
  return decoded.ok ? decoded.text : undefined;
}

export interface ReadSettingsContextOptions {
  parser: Parser;
  source: SettingsContextSource;
  limits?: SettingsContextLimits;
  /** The review's context bound: the batch size of one read. */
  batchSize: number;
  isIgnored?: (path: string) => boolean;
}

/** What was read, and what it used of the review's bound. */
export interface SettingsContext {
  files: { path: string; head: Uint8Array | string }[];
  bytes: number;
  lookups: number;
  note?: string;
}

/** undefined when no changed file is a settings module or a Flask config file. */
export async function readSettingsContext(change: ChangeSet, options: ReadSettingsContextOptions): Promise<SettingsContext | undefined> {
  const limits = options.limits ?? SETTINGS_CONTEXT_LIMITS;
  const modules: { path: string; kind: SettingsKind }[] = [];
  for (const f of change.files) {
    if (f.status === 'removed' || f.head === undefined || options.isIgnored?.(f.path) || modules.length >= limits.maxModules) continue;
    const text = textOf(f.head);
    const kind = text === undefined ? undefined : settingsKind(f.path, text);
    if (kind) modules.push({ path: f.path, kind });
  }
  if (!modules.length) return undefined;

  const have = new Set([...change.files.map((f) => f.path), ...change.skipped.map((s) => s.path)]);
  const files: SettingsContext['files'] = [];
  let bytes = 0;
  let lookups = 0;
  let cut = false;
  let failure: string | undefined;
  const read = async (wanted: string[]): Promise<void> => {
    const paths = [...new Set(wanted)].filter((p) => !have.has(p) && !options.isIgnored?.(p));
    for (const p of paths) have.add(p);
    for (let i = 0; i < paths.length && !failure; i += options.batchSize) {
      const room = limits.maxLookups - lookups;
      const batch = paths.slice(i, i + Math.min(options.batchSize, room));
      if (batch.length < Math.min(options.batchSize, paths.length - i)) cut = true;
      if (!batch.length) return;
      let found: Map<string, ContextBlob>;
      try {
        found = await options.source.read(batch);
      } catch (err) {
        failure = (err as Error).message || String(err);
        return;
      }
      lookups += batch.length;
      for (const path of batch) {
        const blob = found.get(path);
        if (!blob || 'unusable' in blob) continue;
        if (files.length >= limits.maxFiles || bytes + blob.size > limits.maxBytes) {
          cut = true;
          continue;
        }
        files.push({ path, head: blob.head });
        bytes += blob.size;
      }
    }
  };

  // Round 1: the files that name or load the changed modules; the changed modules' own folders listed.
  await read(surroundingCandidates(modules));
  const folders = [...new Set(modules.filter((m) => m.kind === 'django').map((m) => dirOf(m.path)))];
  let listed: Map<string, string[]> | undefined;
  if (options.source.list && folders.length && !failure) {
    try {
      listed = await options.source.list(folders);
    } catch (err) {
      failure = (err as Error).message || String(err);
    }
  }
  // Round 2: sibling modules (they may build on a changed base), and what the pointers name.
  const second: string[] = [];
  for (const dir of folders) {
    const names = (listed?.get(dir) ?? GUESSED_SIBLINGS).filter((n) => /\.py$/.test(n));
    // A settings package's modules all count; beside a project's `settings.py` (its folder is the project's
    // package: views, models...), only modules named like settings.
    const pkg = SETTINGS_FOLDER.test(dir) && !modules.some((m) => dirOf(m.path) === dir && /(^|\/)settings\.py$/.test(m.path));
    second.push(...names.filter((n) => pkg || SETTINGS_SIBLING.test(n)).map((n) => `${dir}${n}`));
  }
  const texts = files.flatMap((f) => {
    const text = textOf(f.head);
    return text === undefined ? [] : [{ path: f.path, text }];
  });
  for (const p of projectFacts(options.parser, texts).pointers) second.push(...modulePaths(p.module, p.from));
  if (!failure) await read(second);

  const notes: string[] = [];
  if (cut) notes.push(`settings recognition read ${files.length} files around the changed settings modules and stopped there (limit ${limits.maxFiles} files / ${limits.maxLookups} lookups per review)`);
  if (failure) notes.push(`settings recognition could not read the files around the changed settings modules (${failure}); they were judged by their own content and path`);
  return { files, bytes, lookups, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/** The review's context bound less what the settings context used, for the imported modules read after it. */
export function remainingLimits(limits: ContextLimits, used: SettingsContext | undefined): ContextLimits {
  if (!used) return limits;
  return { ...limits, maxFiles: Math.max(0, limits.maxFiles - used.files.length), maxBytes: Math.max(0, limits.maxBytes - used.bytes), maxLookups: Math.max(0, limits.maxLookups - used.lookups) };
}

/** Rules whose verdict depends on a settings module's environment: the web framework settings rules, Flask's debug check, PASSWORD_HASHERS (PW305). */
export function judgesSettings(rules: readonly { meta: { id: string } }[]): boolean {
  return rules.some((r) => /^PW2\d\d$|^B201$|^PW305$/.test(r.meta.id));
}
