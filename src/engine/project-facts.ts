/**
 * Texts of a project's files -> the facts the settings rules need beyond one file (rules/settings/project.ts):
 * where `DJANGO_SETTINGS_MODULE` points (manage.py, wsgi.py, asgi.py, Celery apps, pytest/tox config),
 * which modules star-import a settings module and what they set again, and which Flask config classes,
 * modules and files `app.config.from_object` / `from_pyfile` load. Pure: the CLI hands it the files it
 * scans, reviews the changed files and the few unchanged ones read at the head commit (read-settings-context.ts).
 * Most files hold none of these words and are not parsed at all.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { decodePythonSource } from '../python/decode.js';
import { parse } from '../python/parser.js';
import { isTestPath } from '../rules/settings/django-settings.js';
import { flaskPyfileLoads, roleOfKey, type FlaskConfigLoad, type ProjectFacts, type SettingsExtension, type SettingsPointer } from '../rules/settings/project.js';

export interface FactsFile {
  path: string;
  text: string;
}

/** Configuration files pytest and tox read `DJANGO_SETTINGS_MODULE` (pytest-django) from. */
export const TEST_CONFIG_FILES: ReadonlySet<string> = new Set(['pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml']);

const NAME = 'DJANGO_SETTINGS_MODULE';
const MODULE = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
const UPPER = /^[A-Z][A-Z0-9_]*$/;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

export function pointerKind(path: string): SettingsPointer['kind'] {
  const name = baseName(path);
  if (isTestPath(path) || TEST_CONFIG_FILES.has(name)) return 'test';
  if (name === 'manage.py') return 'manage';
  if (/wsgi|asgi/i.test(name)) return 'served';
  return 'other';
}

/** The text of a plain string literal (no interpolation), else undefined. */
function literal(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  let out = '';
  for (const c of node.namedChildren) {
    if (!c) continue;
    if (c.type === 'interpolation') return undefined;
    if (c.type === 'string_content') out += c.text;
  }
  return out;
}

const args = (call: Node): Node[] => (call.childForFieldName('arguments')?.namedChildren ?? []).filter((n): n is Node => !!n && n.type !== 'comment');
const positional = (call: Node) => args(call).filter((a) => a.type !== 'keyword_argument');
function keyword(call: Node, name: string): Node | undefined {
  const k = args(call).find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
  return k?.childForFieldName('value') ?? undefined;
}

/** `pytest.ini` / `tox.ini` / `setup.cfg` / `pyproject.toml`: `DJANGO_SETTINGS_MODULE = x` and `--ds=x` (pytest-django). */
function testConfigPointers(file: FactsFile, out: SettingsPointer[]): void {
  if (!file.text.includes(NAME) && !file.text.includes('--ds')) return;
  for (const line of file.text.split('\n')) {
    if (/^\s*[#;]/.test(line)) continue;
    const m = /^\s*["']?DJANGO_SETTINGS_MODULE["']?\s*[=:]\s*["']?([\w.]+)/.exec(line) ?? /--ds[= ]["']?([\w.]+)/.exec(line);
    if (m && MODULE.test(m[1])) out.push({ module: m[1], from: file.path, kind: 'test' });
  }
}

/** The module and name an import binds for each local name of the file. */
function importTable(root: Node): Map<string, { module: string; name?: string }> {
  const table = new Map<string, { module: string; name?: string }>();
  for (const node of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!node) continue;
    const from = node.type === 'import_from_statement' ? node.childForFieldName('module_name') : null;
    for (const item of node.namedChildren) {
      if (!item || (from && item.equals(from))) continue;
      const name = item.type === 'aliased_import' ? item.childForFieldName('name') : item.type === 'dotted_name' ? item : null;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias')?.text : name?.text.split('.')[0];
      if (!name || !alias) continue;
      if (from) table.set(alias, { module: from.text.replace(/\s+/g, ''), name: name.text });
      else table.set(alias, { module: item.type === 'aliased_import' ? name.text : alias });
    }
  }
  return table;
}

/** How this module names itself in a load: `.config` from `app/config.py`, `.` from a package's `__init__.py`. */
function selfModule(path: string): string {
  const name = baseName(path);
  return name === '__init__.py' ? '.' : `.${name.replace(/\.pyi?$/, '')}`;
}

interface FlaskTarget {
  module: string;
  name?: string;
  role?: FlaskConfigLoad['role'];
}

class FlaskLoads {
  private readonly imports: Map<string, { module: string; name?: string }>;
  private readonly classes: Set<string>;
  private readonly moduleValues = new Map<string, Node>();
  constructor(
    private readonly path: string,
    root: Node,
  ) {
    this.imports = importTable(root);
    this.classes = new Set(root.descendantsOfType('class_definition').flatMap((c) => (c?.childForFieldName('name') ? [c.childForFieldName('name')!.text] : [])));
    for (const stmt of root.namedChildren) {
      const a = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      const left = a?.type === 'assignment' ? a.childForFieldName('left') : undefined;
      const right = a?.childForFieldName('right');
      if (left?.type === 'identifier' && right) this.moduleValues.set(left.text, right);
    }
  }

  /** What a name refers to: an imported module or member, a class of this file, a parameter's default. */
  private named(node: Node, depth: number): FlaskTarget[] {
    const name = node.text;
    const imported = this.imports.get(name);
    if (imported) return [imported];
    if (this.classes.has(name)) return [{ module: selfModule(this.path), name }];
    // `def create_app(config_class=Config): app.config.from_object(config_class)`
    for (let p = node.parent; p; p = p.parent) {
      if (p.type !== 'function_definition') continue;
      for (const param of p.childForFieldName('parameters')?.namedChildren ?? []) {
        if ((param?.type === 'default_parameter' || param?.type === 'typed_default_parameter') && param.childForFieldName('name')?.text === name) {
          const value = param.childForFieldName('value');
          return value ? this.targets(value, depth + 1) : [];
        }
      }
      break;
    }
    const value = this.moduleValues.get(name);
    return value && value.type !== 'dictionary' ? this.targets(value, depth + 1) : [];
  }

  /** The config objects an argument of `from_object` can be. */
  targets(node: Node, depth = 0): FlaskTarget[] {
    if (depth > 4) return [];
    const text = literal(node);
    if (text !== undefined) {
      if (!MODULE.test(text)) return [];
      const dot = text.lastIndexOf('.');
      return dot < 0 ? [{ module: text }] : [{ module: text.slice(0, dot), name: text.slice(dot + 1) }];
    }
    switch (node.type) {
      case 'identifier':
        return this.named(node, depth);
      case 'attribute': {
        // `config.ProductionConfig` with `import config` / `from . import config`
        const object = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute')?.text;
        if (object?.type !== 'identifier' || !attr) return [];
        const imported = this.imports.get(object.text);
        if (!imported) return [];
        const module = imported.name ? (imported.module.endsWith('.') ? `${imported.module}${imported.name}` : `${imported.module}.${imported.name}`) : imported.module;
        return [{ module, name: attr }];
      }
      case 'subscript':
      case 'call': {
        // `config[env]`, `configs.get(env)`: every class of a selection map; `os.environ.get("X", "config.Prod")`: the fallback
        const fn = node.type === 'call' ? node.childForFieldName('function') : undefined;
        if (fn && /(^|\.)(getenv|environ\.get)$/.test(fn.text)) {
          const fallback = positional(node)[1] ?? keyword(node, 'default');
          return fallback ? this.targets(fallback, depth + 1) : [];
        }
        const map = node.type === 'subscript' ? node.childForFieldName('value') : fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'get' ? fn.childForFieldName('object') : undefined;
        const dict = map?.type === 'identifier' ? this.moduleValues.get(map.text) : undefined;
        if (dict?.type !== 'dictionary') return [];
        return dict.namedChildren.flatMap((pair) => {
          if (pair?.type !== 'pair') return [];
          const key = literal(pair.childForFieldName('key'));
          const value = pair.childForFieldName('value');
          if (key === undefined || !value) return [];
          const role = roleOfKey(key);
          return this.targets(value, depth + 1).map((t) => ({ ...t, ...(role ? { role } : {}) }));
        });
      }
      case 'parenthesized_expression':
        return node.namedChildren[0] ? this.targets(node.namedChildren[0], depth + 1) : [];
      default:
        return [];
    }
  }
}

/** The file a `from_pyfile` argument names: a literal, or the last literal of `os.path.join(app.root_path, "x.cfg")`. */
function pyfileName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const text = literal(node);
  if (text !== undefined) return text;
  if (node.type === 'call' && /(^|\.)(join|Path)$/.test(node.childForFieldName('function')?.text ?? '')) {
    const parts = positional(node).map(literal);
    const last = parts[parts.length - 1];
    return last;
  }
  if (node.type === 'binary_operator') return literal(node.childForFieldName('right')); // `Path(...) / "prod.cfg"`
  return undefined;
}

const STAR = /^from\s+([\w.]+)\s+import\s*\*/;
const FROM_NAMES = /^from\s+[\w.]+\s+import\s+\(?([\w\s,]+?)\)?\s*(#.*)?$/;
const ASSIGNED = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]*)?=(?!=)/;
const TRIPLE = /"""|'''/g;

/**
 * Star imports at module level and the UPPERCASE names bound after each, read line by line: only statements
 * that start at column 0 are unconditional module-level ones (what `if`/`try` bodies set is indented), and
 * lines inside triple-quoted strings are skipped. No parse: a tree scan meets many star imports (the standard
 * library has 120), and this is all that is needed of them.
 */
export function starImportFacts(path: string, text: string): SettingsExtension | undefined {
  const bases: SettingsExtension['bases'] = [];
  let inString: string | undefined;
  for (const line of text.split('\n')) {
    const opened = inString;
    for (const m of line.matchAll(TRIPLE)) {
      if (!inString) inString = m[0];
      else if (m[0] === inString) inString = undefined;
    }
    if (opened || !line || /^[\s#]/.test(line)) continue;
    const star = STAR.exec(line);
    if (star) {
      bases.push({ module: star[1], setsAfter: [] });
      continue;
    }
    if (!bases.length) continue;
    // `from .secrets import SECRET_KEY` binds the name again too
    const from = FROM_NAMES.exec(line);
    const names = from ? from[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop()!.trim()) : (ASSIGNED.exec(line)?.[1].split(',').map((n) => n.trim()) ?? []);
    for (const b of bases) b.setsAfter.push(...names.filter((n) => UPPER.test(n)));
  }
  return bases.length ? { path, bases } : undefined;
}

function pythonFacts(parser: Parser, file: FactsFile, facts: ProjectFacts): void {
  const { text, path } = file;
  if (/\bimport\s*\*/.test(text)) {
    const extension = starImportFacts(path, text);
    if (extension) facts.extensions.push(extension);
  }
  const pointer = text.includes(NAME);
  const flask = /\bfrom_(object|pyfile)\b/.test(text);
  if (!pointer && !flask) return;
  const tree = parse(parser, text);
  try {
    const root = tree.rootNode;
    if (pointer) {
      const kind = pointerKind(path);
      const add = (module: string | undefined) => {
        if (module && MODULE.test(module)) facts.pointers.push({ module, from: path, kind });
      };
      for (const node of root.descendantsOfType(['call', 'assignment'])) {
        if (!node) continue;
        if (node.type === 'call') {
          // os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x"), os.environ.get(..., "x"), os.putenv(...)
          const fn = node.childForFieldName('function')?.text ?? '';
          const [k, v] = positional(node);
          if (/(^|\.)(setdefault|get|putenv)$/.test(fn) && literal(k) === NAME) add(literal(v));
        } else {
          // os.environ["DJANGO_SETTINGS_MODULE"] = "x"
          const left = node.childForFieldName('left');
          if (left?.type === 'subscript' && literal(left.childForFieldName('subscript')) === NAME) add(literal(node.childForFieldName('right')));
        }
      }
    }
    if (flask) {
      let loads: FlaskLoads | undefined;
      for (const call of root.descendantsOfType('call')) {
        const fn = call?.childForFieldName('function');
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (!call || (method !== 'from_object' && method !== 'from_pyfile')) continue;
        // `<app>.config.from_object(...)`: the receiver is some object's `config`
        const receiver = fn!.childForFieldName('object');
        if (receiver?.type !== 'attribute' || receiver.childForFieldName('attribute')?.text !== 'config') continue;
        const arg = positional(call)[0] ?? keyword(call, method === 'from_object' ? 'obj' : 'filename');
        if (!arg) continue;
        if (method === 'from_pyfile') {
          const file = pyfileName(arg);
          if (file) facts.flaskLoads.push({ from: path, kind: 'pyfile', file });
          continue;
        }
        loads ??= new FlaskLoads(path, root);
        for (const t of loads.targets(arg)) facts.flaskLoads.push({ from: path, kind: 'object', module: t.module, ...(t.name ? { name: t.name } : {}), ...(t.role ? { role: t.role } : {}) });
      }
    }
  } finally {
    tree.delete();
  }
}

/** The project facts of these files (Python modules and pytest/tox configuration); an unparsable file adds nothing. */
export function projectFacts(parser: Parser, files: Iterable<FactsFile>): ProjectFacts {
  const facts: ProjectFacts = { pointers: [], extensions: [], flaskLoads: [] };
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    if (TEST_CONFIG_FILES.has(baseName(file.path))) testConfigPointers(file, facts.pointers);
    else if (/\.pyi?$/.test(file.path)) pythonFacts(parser, file, facts);
  }
  return facts;
}

/** Whether facts can come from a file of this path: Python modules and pytest/tox configuration. */
export function isFactsPath(path: string): boolean {
  return /\.pyi?$/.test(path) || TEST_CONFIG_FILES.has(baseName(path));
}

/** The files of a change (and what was read beside it) as texts for `projectFacts`; undecodable ones are left out. */
export function factsFiles(files: Iterable<{ path: string; head?: Uint8Array | string; status?: string }>): FactsFile[] {
  const out: FactsFile[] = [];
  for (const f of files) {
    if (f.head === undefined || f.status === 'removed' || !isFactsPath(f.path)) continue;
    if (typeof f.head === 'string') {
      out.push({ path: f.path, text: f.head });
      continue;
    }
    const decoded = decodePythonSource(f.head);
    if (decoded.ok) out.push({ path: f.path, text: decoded.text });
  }
  return out;
}

/**
 * A configuration file that is Python: one a Flask app loads with `from_pyfile` (`prod.cfg`, `settings.cfg`),
 * which Flask runs as Python. Such a file is analysed with the Python rules instead of the config-file scan.
 */
export function isPythonConfigFile(facts: ProjectFacts, path: string): boolean {
  return !/\.pyi?$/.test(path) && /\.(cfg|conf)$/i.test(path) && flaskPyfileLoads(facts, path).length > 0;
}
