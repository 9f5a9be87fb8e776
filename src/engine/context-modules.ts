/**
 * Which unchanged files of the project a change's Python files import: the repository paths where each
 * imported module may live, best first. A pull-request review analyses only the changed files; reading
 * these too lets data flow follow a call from a changed view into an unchanged helper (`from .db import
 * run_query`). Pure: paths are guesses, the change source says which exist (missing ones cost nothing but
 * a null in a batch), or `known` filters them up front.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { STDLIB_MODULES } from '../dataflow/stdlib-modules.js';
import { parse } from '../python/parser.js';

export interface ImportingFile {
  path: string;
  text: string;
}

/** Directories that hold a project's top-level packages besides the repository root (the `src` layout). */
export const SOURCE_ROOTS = ['src/'];

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');

/** `pkg/mod` -> the module file and the package's `__init__.py`. */
const filesOf = (base: string) => (base ? [`${base}.py`, `${base}/__init__.py`] : []);

/**
 * Repository paths where `module`, imported by the file at `importer`, may live, best first. Relative
 * names (`.db`, `..pkg.x`, `.`) resolve against the importer's package; absolute ones (`a.b`) are looked
 * for under the folders above the importer that are named like their first part (`backend/app/views.py`
 * importing `app.db` -> `backend/app/db.py`), the repository root, the source roots, and the importer's own
 * folder (scripts run from there import their neighbours). The standard library is never the project's.
 */
export function moduleCandidates(importer: string, module: string): string[] {
  const relative = /^(\.+)(.*)$/.exec(module);
  if (relative) {
    const [, dots, rest] = relative;
    const parts = dirOf(importer).split('/').filter(Boolean);
    // One dot is the importer's package, each further dot one package up; past the root there is nothing.
    if (dots.length - 1 > parts.length) return [];
    const pkg = parts.slice(0, parts.length - (dots.length - 1));
    const base = [...pkg, ...(rest ? rest.split('.') : [])].join('/');
    return filesOf(base);
  }
  const names = module.split('.');
  if (!names.every((n) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(n)) || STDLIB_MODULES.has(names[0])) return [];
  const folders = dirOf(importer).split('/').filter(Boolean);
  const roots: string[] = [];
  for (let i = folders.length - 1; i >= 0; i--) if (folders[i] === names[0] && i > 0) roots.push(`${folders.slice(0, i).join('/')}/`);
  roots.push('', ...SOURCE_ROOTS, dirOf(importer));
  const rel = names.join('/');
  return [...new Set(roots.flatMap((root) => filesOf(`${root}${rel}`)))];
}

/**
 * The modules a file imports, named as the scope model records them (`a.b`; `a` and `a.b` for `from a
 * import b`; `.db`), in source order, nested imports included. Read from tree-sitter's own tree (the import
 * nodes only), not through the full syntax-tree copy: this runs on every changed file before the analysis.
 */
export function importsOf(parser: Parser, text: string, checkpoint?: () => void): string[] {
  if (!text.includes('import')) return [];
  const tree = parse(parser, text, checkpoint);
  try {
    const out = new Set<string>();
    for (const node of tree.rootNode.descendantsOfType(['import_statement', 'import_from_statement'])) {
      if (node) recordImport(node, out);
    }
    return [...out];
  } finally {
    tree.delete();
  }
}

const dotted = (node: Node) => node.text.replace(/\s+/g, '');

function recordImport(node: Node, out: Set<string>): void {
  const module = node.type === 'import_from_statement' ? node.childForFieldName('module_name') : null;
  if (node.type === 'import_from_statement') {
    if (!module) return;
    out.add(dotted(module));
  }
  const base = module ? dotted(module) : '';
  // `from . import x` -> `.x`, `from .pkg import x` -> `.pkg.x`
  const join = (name: string) => (!module ? name : base.endsWith('.') ? `${base}${name}` : `${base}.${name}`);
  for (const item of node.namedChildren) {
    if (!item || (module && item.equals(module))) continue;
    if (item.type === 'dotted_name') out.add(join(dotted(item)));
    else if (item.type === 'aliased_import') {
      const name = item.childForFieldName('name');
      if (name) out.add(join(dotted(name)));
    }
  }
}

export interface CandidateOptions {
  /** Paths never to return: the change's own files, paths already looked up. */
  exclude?: ReadonlySet<string>;
  /** When given, only these paths exist (a local git tree); everything else is dropped. */
  known?: ReadonlySet<string>;
  /** Paths the config's `paths.ignore` excludes. */
  isIgnored?: (path: string) => boolean;
  /** Called before each file and while tree-sitter parses it; throws to stop (a review that timed out or was superseded). */
  checkpoint?: () => void;
}

/**
 * The repository paths of the project modules `files` import, best first: relative imports (surely the
 * project's), then absolute imports of a package a changed file sits in (`app.db` from `app/views.py`),
 * then every other absolute import (mostly third-party: those paths simply do not exist); within each, in
 * the order of the files and of their imports.
 */
export function contextCandidates(parser: Parser, files: readonly ImportingFile[], options: CandidateOptions = {}): string[] {
  const packages = new Set(files.flatMap((f) => dirOf(f.path).split('/').filter(Boolean)));
  const tiers: string[][] = [[], [], []];
  for (const file of files) {
    options.checkpoint?.();
    for (const module of importsOf(parser, file.text, options.checkpoint)) {
      const tier = module.startsWith('.') ? 0 : packages.has(module.split('.')[0]) ? 1 : 2;
      tiers[tier].push(...moduleCandidates(file.path, module));
    }
  }
  const out = new Set<string>();
  for (const path of tiers.flat()) {
    if (out.has(path) || options.exclude?.has(path) || (options.known && !options.known.has(path)) || options.isIgnored?.(path)) continue;
    out.add(path);
  }
  return [...out];
}
