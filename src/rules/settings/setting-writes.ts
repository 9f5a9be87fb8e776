/**
 * Where code sets a web framework setting, whatever the spelling: a module-level name in a Django settings
 * module, a Flask app's `app.config["KEY"] = ...`, `app.config.update(KEY=...)` / `from_mapping(...)` /
 * `update({"KEY": ...})`, `app.secret_key = ...`, or an attribute of a config class loaded with
 * `app.config.from_object(...)` (`class ProductionConfig(Config): SECRET_KEY = ...`, pydantic `Settings`).
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { isFlaskApp } from '../misc/flask-debug-true.js';
import type { RuleContext } from '../rule.js';
import { djangoSettingsRole, isTestPath, roleOfClassName, type SettingsRole } from './django-settings.js';

export interface SettingWrite {
  framework: 'django' | 'flask' | 'config-class';
  key: string;
  /** The expression the setting is set to. */
  value: Node;
  /** Where to report: the assignment, or the `KEY=value` argument of a multi-line `update(...)`. */
  at: Node;
  role: SettingsRole;
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

function enclosingClassName(node: Node): string | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'class_definition') return n.childForFieldName('name')?.text;
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
    if (ctx.scope.kind === 'module') {
      const role = djangoSettingsRole(ctx);
      return role ? [{ framework: 'django', key: left.text, value: right, at: node, role }] : [];
    }
    if (ctx.scope.kind === 'class') {
      const name = enclosingClassName(node);
      if (!name || !/(Config|Settings|Configuration)$/.test(name)) return [];
      const role = isTestPath(ctx.path) ? 'test' : (roleOfClassName(name) ?? 'production');
      return [{ framework: 'config-class', key: left.text, value: right, at: node, role }];
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

/** Environments where a setting is decided for real servers. */
export const isDeployed = (role: SettingsRole): boolean => role === 'production' || role === 'base';
