/**
 * Where code sets a web framework setting, whatever the spelling: a module-level name in a Django settings
 * module, a Flask app's `app.config["KEY"] = ...`, `app.config.update(KEY=...)` / `from_mapping(...)` /
 * `update({"KEY": ...})`, `app.secret_key = ...`, an attribute of a config class (`class ProductionConfig(Config):
 * SECRET_KEY = ...`, a class an app loads with `app.config.from_object(...)`, a django-configurations class),
 * or a module-level name of a module or file an app loads (`from_object("app.default_settings")`,
 * `from_pyfile("prod.cfg")`).
 *
 * A value set in a base (a base settings module, a base config class) is left out when every production
 * module or class that builds on it sets the name again: production does not run with it. When production
 * inherits it, the write says which modules do (`inheritedBy`).
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { isFlaskApp } from '../misc/flask-debug-true.js';
import type { RuleContext } from '../rule.js';
import { djangoSettingsRole, isTestPath, productionHeirs, roleOfClassName, roleOfConfigFile, type SettingsRole } from './django-settings.js';
import { stringLiteral } from '../../python/strings.js';
import { flaskObjectLoads, flaskPyfileLoads, roleOfKey, type FlaskConfigLoad } from './project.js';

export interface SettingWrite {
  /** `config-module`: a module or file a Flask app loads as its config. */
  framework: 'django' | 'flask' | 'config-class' | 'config-module';
  key: string;
  /** The expression the setting is set to. */
  value: Node;
  /** Where to report: the assignment, or the `KEY=value` argument of a multi-line `update(...)`. */
  at: Node;
  role: SettingsRole;
  /** A base value: the production modules or config classes known to run with it (they do not set it again). */
  inheritedBy?: string[];
}

/** `app`, `current_app`, or in a module importing Flask an `app` handed to a factory's helper (`init_app(app)`). */
export function isFlaskAppLike(ctx: RuleContext, object: Node): boolean {
  const known = isFlaskApp(ctx, object);
  if (known !== undefined) return known;
  const q = ctx.qname(object);
  if (q === 'flask.current_app' || q === 'quart.current_app' || q === 'quart.Quart()') return true;
  return q === undefined && object.type === 'identifier' && /^(app|application|flask_app)$/.test(object.text) && ctx.imports('flask');
}

/** `app.config` of a Flask app. */
function isAppConfig(ctx: RuleContext, node: Node | null): boolean {
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config' && isFlaskAppLike(ctx, node.childForFieldName('object')!);
}

const flaskRole = (ctx: RuleContext): SettingsRole => (isTestPath(ctx.path) ? 'test' : 'production');

/** The strongest environment a list of loads names: production over development over test. */
function loadedRole(loads: readonly FlaskConfigLoad[]): SettingsRole | undefined {
  const keyed = loads.map((l) => l.role).filter((r): r is NonNullable<FlaskConfigLoad['role']> => r !== undefined);
  return keyed.includes('production') ? 'production' : keyed[0];
}

/** A module-level name of a module or file a Flask app loads as its configuration: its environment, else undefined. */
function configModuleRole(ctx: RuleContext): SettingsRole | undefined {
  const loads = [...flaskPyfileLoads(ctx.project, ctx.path), ...flaskObjectLoads(ctx.project, ctx.path)];
  if (!loads.length) return undefined;
  if (isTestPath(ctx.path)) return 'test';
  const keyed = loadedRole(loads);
  if (keyed) return keyed;
  const byName = roleOfConfigFile(ctx.path);
  if (byName !== 'production') return byName;
  return loads.every((l) => isTestPath(l.from)) ? 'test' : 'production';
}

interface ClassInfo {
  node: Node;
  /** Names of the classes it derives from, as written (last segment). */
  bases: string[];
  /** Names assigned directly in its body. */
  sets: Set<string>;
  /** Roles a module-level selection map gives it (`config = {"production": ProductionConfig}`). */
  keyRoles: SettingsRole[];
}

const classTables = new WeakMap<Node, Map<string, ClassInfo>>();

function rootOf(node: Node): Node {
  let n = node;
  while (n.parent) n = n.parent;
  return n;
}

/** The module's top-level classes, with their bases, what they set, and the environments a selection map names them for. */
function moduleClasses(node: Node): Map<string, ClassInfo> {
  const root = rootOf(node);
  let table = classTables.get(root);
  if (table) return table;
  table = new Map();
  const defs = root.namedChildren.map((c) => (c.type === 'decorated_definition' ? c.childForFieldName('definition') : c)).filter((c): c is Node => c?.type === 'class_definition');
  for (const def of defs) {
    const name = def.childForFieldName('name')?.text;
    if (!name) continue;
    const bases = (def.childForFieldName('superclasses')?.namedChildren ?? []).filter((b) => b.type === 'identifier' || b.type === 'attribute').map((b) => b.text.slice(b.text.lastIndexOf('.') + 1));
    const sets = new Set<string>();
    for (const stmt of def.childForFieldName('body')?.namedChildren ?? []) {
      const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
      const left = a?.type === 'assignment' && a.childForFieldName('right') ? a.childForFieldName('left') : undefined;
      if (left?.type === 'identifier') sets.add(left.text);
    }
    table.set(name, { node: def, bases, sets, keyRoles: [] });
  }
  // `config = {"development": DevelopmentConfig, "production": ProductionConfig, "default": DevelopmentConfig}`
  for (const stmt of root.namedChildren) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    const dict = a?.type === 'assignment' ? a.childForFieldName('right') : undefined;
    if (dict?.type !== 'dictionary') continue;
    for (const pair of dict.namedChildren.filter((c) => c.type === 'pair')) {
      const key = pair.childForFieldName('key');
      const value = pair.childForFieldName('value');
      const info = value?.type === 'identifier' ? table.get(value.text) : undefined;
      const text = key ? stringLiteral(key) : undefined;
      const role = text && !text.dynamic ? roleOfKey(text.value) : undefined;
      if (info && role) info.keyRoles.push(role);
    }
  }
  classTables.set(root, table);
  return table;
}

/**
 * The environment of a config class, or undefined when the class is not one: an explicit selection map
 * (`{"production": LiveConfig}`) first, then a name that says development or test, then an app loading it
 * with `from_object` (production, even for a base-named `Config`), then its name (`Config` is a base).
 */
function configClassRole(ctx: RuleContext, cls: Node): SettingsRole | undefined {
  const name = cls.childForFieldName('name')?.text;
  if (!name) return undefined;
  const info = moduleClasses(cls).get(name);
  const loads = flaskObjectLoads(ctx.project, ctx.path, name);
  const keyRoles = [...(info?.keyRoles ?? []), ...loads.flatMap((l) => (l.role ? [l.role] : []))];
  const byName = roleOfClassName(name);
  const djangoConfigurations = ctx.imports('configurations') && !!info && derivesFrom(moduleClasses(info.node), name, 'Configuration');
  if (!/(Config|Settings|Configuration)$/.test(name) && !loads.length && !keyRoles.length && !djangoConfigurations) return undefined;
  if (isTestPath(ctx.path)) return 'test';
  if (keyRoles.length) return keyRoles.includes('production') ? 'production' : keyRoles[0];
  if (byName === 'development' || byName === 'test') return byName;
  if (loads.some((l) => !isTestPath(l.from))) return 'production';
  if (loads.length) return 'test';
  return byName ?? 'production';
}

function derivesFrom(table: Map<string, ClassInfo>, name: string, base: string, depth = 0): boolean {
  const info = table.get(name);
  if (!info || depth > 8) return false;
  return info.bases.some((b) => b === base || derivesFrom(table, b, base, depth + 1));
}

/** Subclasses in the module that run in production, and whether each sets `key` again (itself or a class between). */
function productionSubclasses(ctx: RuleContext, table: Map<string, ClassInfo>, name: string, key: string): { path: string; overrides: boolean }[] {
  const out = new Map<string, boolean>();
  const seen = new Set([name]);
  const visit = (from: string, depth: number, overridden: boolean) => {
    if (depth > 8) return;
    for (const [sub, info] of table) {
      if (seen.has(sub) || !info.bases.includes(from)) continue;
      seen.add(sub);
      const role = configClassRole(ctx, info.node) ?? 'production';
      if (role === 'development' || role === 'test') continue;
      const overrides = overridden || info.sets.has(key);
      if (role === 'production') out.set(sub, overrides);
      visit(sub, depth + 1, overrides);
    }
  };
  visit(name, 0, false);
  return [...out].map(([p, overrides]) => ({ path: p, overrides }));
}

/** A base write with its production heirs applied: dropped when all of them set the name again. */
function judged(write: SettingWrite, heirs: () => { path: string; overrides: boolean }[]): SettingWrite[] {
  if (write.role !== 'base') return [write];
  const known = heirs();
  if (known.length && known.every((h) => h.overrides)) return [];
  const inheritedBy = known.filter((h) => !h.overrides).map((h) => h.path);
  return [inheritedBy.length ? { ...write, inheritedBy } : write];
}

function enclosingClass(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'class_definition') return n;
    if (n.type === 'function_definition') return undefined;
  }
  return undefined;
}

function fromAssignment(node: Node, ctx: RuleContext, keys: ReadonlySet<string>): SettingWrite[] {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return [];
  if (left.type === 'identifier') {
    if (!keys.has(left.text)) return [];
    const key = left.text;
    if (ctx.scope.kind === 'module') {
      const role = djangoSettingsRole(ctx);
      if (role) return judged({ framework: 'django', key, value: right, at: node, role }, () => productionHeirs(ctx.project, ctx.path, key));
      const loaded = /^[A-Z][A-Z0-9_]*$/.test(key) ? configModuleRole(ctx) : undefined;
      return loaded ? [{ framework: 'config-module', key, value: right, at: node, role: loaded }] : [];
    }
    if (ctx.scope.kind === 'class') {
      const cls = enclosingClass(node);
      const name = cls?.childForFieldName('name')?.text;
      if (!cls || !name) return [];
      const role = configClassRole(ctx, cls);
      if (!role) return [];
      const table = moduleClasses(cls);
      const framework = ctx.imports('configurations') && derivesFrom(table, name, 'Configuration') ? 'django' : 'config-class';
      return judged({ framework, key, value: right, at: node, role }, () => productionSubclasses(ctx, table, name, key));
    }
    return [];
  }
  if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'secret_key' && keys.has('SECRET_KEY')) {
    return isFlaskAppLike(ctx, left.childForFieldName('object')!) ? [{ framework: 'flask', key: 'SECRET_KEY', value: right, at: node, role: flaskRole(ctx) }] : [];
  }
  if (left.type === 'subscript') {
    const key = ctx.constant(left.childForFieldName('subscript')!);
    if (typeof key !== 'string' || !keys.has(key) || !isAppConfig(ctx, left.childForFieldName('value'))) return [];
    return [{ framework: 'flask', key, value: right, at: node, role: flaskRole(ctx) }];
  }
  return [];
}

const CONFIG_METHODS = new Set(['update', 'from_mapping', 'setdefault']);

function fromCall(node: Node, ctx: RuleContext, keys: ReadonlySet<string>): SettingWrite[] {
  const fn = node.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  if (!method || !CONFIG_METHODS.has(method)) return [];
  const call = ctx.call(node);
  const pairs: { key: string; value: Node; at: Node }[] = [];
  if (method === 'setdefault') {
    const [k, v] = call.positional;
    const key = k ? ctx.constant(k) : undefined;
    if (typeof key === 'string' && v) pairs.push({ key, value: v.node, at: node });
  } else {
    for (const [key, arg] of call.keywords) pairs.push({ key, value: arg.node, at: arg.node.parent?.type === 'keyword_argument' ? arg.node.parent : node });
    // update({"KEY": ...}) and update(dict(KEY=...))
    const first = call.positional[0]?.node;
    if (first?.type === 'dictionary') {
      for (const pair of first.namedChildren.filter((c) => c.type === 'pair')) {
        const key = ctx.constant(pair.childForFieldName('key')!);
        if (typeof key === 'string') pairs.push({ key, value: pair.childForFieldName('value')!, at: pair });
      }
    } else if (first?.type === 'call' && ctx.qname(first.childForFieldName('function')!) === 'dict') {
      for (const [key, arg] of ctx.call(first).keywords) pairs.push({ key, value: arg.node, at: arg.node.parent ?? first });
    }
  }
  const wanted = pairs.filter((p) => keys.has(p.key));
  if (!wanted.length || !isAppConfig(ctx, fn!.childForFieldName('object'))) return [];
  const role = flaskRole(ctx);
  return wanted.map((p) => ({ framework: 'flask' as const, ...p, role }));
}

/** The settings among `keys` that an `assignment` or `call` node sets. */
export function settingWrites(node: Node, ctx: RuleContext, keys: ReadonlySet<string>): SettingWrite[] {
  if (node.type === 'assignment') return fromAssignment(node, ctx, keys);
  if (node.type === 'call') return fromCall(node, ctx, keys);
  return [];
}

/**
 * For code that changes a setting without assigning it (`ALLOWED_HOSTS.append("*")`, `MIDDLEWARE.remove(...)`)
 * in a Django settings module: the module's environment, or undefined when it is not a settings module or
 * is a base whose every production heir sets `key` again.
 */
export function djangoRoleFor(ctx: RuleContext, key: string): SettingsRole | undefined {
  const role = djangoSettingsRole(ctx);
  if (role !== 'base') return role;
  const heirs = productionHeirs(ctx.project, ctx.path, key);
  return heirs.length && heirs.every((h) => h.overrides) ? undefined : role;
}

/** ` (settings/production.py builds on it and does not set DEBUG again)`, for a base value production inherits. */
export function inheritedNote(w: Pick<SettingWrite, 'inheritedBy' | 'key'>): string {
  const by = w.inheritedBy;
  if (!by?.length) return '';
  const names = by.length > 3 ? `${by.slice(0, 3).join(', ')} and ${by.length - 3} more` : by.join(by.length === 2 ? ' and ' : ', ');
  return ` (${names} ${by.length === 1 ? 'builds' : 'build'} on it and ${by.length === 1 ? 'does' : 'do'} not set ${w.key} again, so production runs with this value)`;
}

/** Environments where a setting is decided for real servers. */
export const isDeployed = (role: SettingsRole): boolean => role === 'production' || role === 'base';
