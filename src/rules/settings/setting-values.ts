/**
 * What a setting is set to: a literal, or a value read from the environment, which is the deployment's
 * decision and not the code's. An environment read with a literal fallback (`os.environ.get("DEBUG",
 * "True") == "True"`, `env.bool("DEBUG", default=True)`, `config("DEBUG", default=True, cast=bool)`) is
 * judged by its fallback: that is what a server gets whenever the variable is missing.
 */
import type { ConstValue } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { RuleContext } from '../rule.js';

export type SettingValue =
  | { source: 'literal'; value: ConstValue }
  /** `fallback` undefined: the variable is required, or its default is not a literal. */
  | { source: 'environment'; variable?: string; fallback?: ConstValue };

const ENV_GETTERS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault', 'os.environ.pop']);
const DJANGO_ENVIRON = /^environ\.(Env|environ\.Env)\(\)(\.(bool|str|int|float|list|tuple|json|url|db|db_url|cache|email|path))?$/;
const DECOUPLE = /^decouple\.(config|AutoConfig\(\)|Config\(\)|RepositoryEnv\(\))$/;
const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'on', 't']);

/** How django-environ, python-decouple and `strtobool` read a string as a boolean. */
function asBool(v: ConstValue | undefined): ConstValue | undefined {
  if (typeof v === 'string') return TRUE_WORDS.has(v.trim().toLowerCase());
  if (typeof v === 'number') return v !== 0;
  return v;
}

const env = (variable: ConstValue | undefined, fallback?: ConstValue): SettingValue => ({
  source: 'environment',
  ...(typeof variable === 'string' ? { variable } : {}),
  ...(fallback !== undefined ? { fallback } : {}),
});

/** `environ.Env(DEBUG=(bool, True))`: the default django-environ's scheme gives `env("DEBUG")`. */
function schemeDefault(ctx: RuleContext, receiver: Node, variable: ConstValue | undefined): ConstValue | undefined {
  if (typeof variable !== 'string') return undefined;
  const made = ctx.expression(receiver).node;
  if (made.type !== 'call') return undefined;
  const scheme = ctx.call(made).keywords.get(variable);
  const pair = scheme?.node.type === 'tuple' ? scheme.node.namedChildren : [];
  return pair.length === 2 ? ctx.constant(pair[1]) : undefined;
}

function fromCall(ctx: RuleContext, node: Node, depth: number): SettingValue | undefined {
  const call = ctx.call(node);
  const q = call.qname;
  const first = call.positional[0];
  const variable = first ? ctx.constant(first) : undefined;
  if (q && ENV_GETTERS.has(q)) {
    const dflt = call.positional[1] ?? call.keywords.get('default');
    return env(variable, dflt ? ctx.constant(dflt) : q === 'os.environ.setdefault' ? undefined : null);
  }
  if (q && DJANGO_ENVIRON.test(q)) {
    const dflt = call.keywords.get('default') ?? (q.endsWith(')') ? undefined : call.positional[1]);
    const receiver = call.func.type === 'attribute' ? call.func.childForFieldName('object')! : call.func;
    const fallback = dflt ? ctx.constant(dflt) : schemeDefault(ctx, receiver, variable);
    return env(variable, q.endsWith('.bool') ? asBool(fallback) : fallback);
  }
  if (q && DECOUPLE.test(q)) {
    const dflt = call.keywords.get('default');
    const fallback = dflt ? ctx.constant(dflt) : undefined;
    const cast = call.keywords.get('cast');
    return env(variable, cast && ctx.qname(cast.node) === 'bool' ? asBool(fallback) : fallback);
  }
  // Conversions of an environment value: `os.environ.get("X", "0").lower()`, `bool(int(...))`, `strtobool(...)`.
  const inner = call.func.type === 'attribute' ? call.func.childForFieldName('object')! : first?.node;
  if (!inner || (call.func.type !== 'attribute' && !['bool', 'int', 'str', 'distutils.util.strtobool', 'strtobool'].includes(q ?? call.name))) return undefined;
  const v = settingValue(ctx, inner, depth + 1);
  if (v?.source !== 'environment') return undefined;
  const f = v.fallback;
  const convert = (): ConstValue | undefined => {
    switch (call.func.type === 'attribute' ? call.name : (q ?? call.name)) {
      case 'lower': return typeof f === 'string' ? f.toLowerCase() : undefined;
      case 'upper': return typeof f === 'string' ? f.toUpperCase() : undefined;
      case 'strip': return typeof f === 'string' ? f.trim() : undefined;
      case 'split': {
        const sep = first ? ctx.constant(first) : undefined;
        return typeof f === 'string' ? (typeof sep === 'string' ? f.split(sep) : f.split(/\s+/).filter(Boolean)) : undefined;
      }
      case 'int': return typeof f === 'string' && /^\s*-?\d+\s*$/.test(f) ? parseInt(f, 10) : typeof f === 'number' ? f : undefined;
      case 'bool': return f === undefined ? undefined : f === null ? false : typeof f === 'string' ? f !== '' : Boolean(f);
      case 'str': return typeof f === 'string' ? f : undefined;
      case 'strtobool':
      case 'distutils.util.strtobool': return asBool(f);
      default: return undefined;
    }
  };
  return { ...v, fallback: convert() } as SettingValue;
}

function compare(op: string, l: ConstValue, r: ConstValue): boolean | undefined {
  switch (op) {
    case '==': return JSON.stringify(l) === JSON.stringify(r);
    case '!=': return JSON.stringify(l) !== JSON.stringify(r);
    case 'in': return Array.isArray(r) ? r.some((x) => x === l) : typeof r === 'string' && typeof l === 'string' ? r.includes(l) : undefined;
    case 'not in': return Array.isArray(r) ? !r.some((x) => x === l) : undefined;
    default: return undefined;
  }
}

/** The value of a setting's expression, or undefined when it is neither a literal nor an environment read. */
export function settingValue(ctx: RuleContext, node: Node, depth = 0): SettingValue | undefined {
  if (depth > 6) return undefined;
  const value = ctx.constant(node);
  if (value !== undefined) return { source: 'literal', value };
  switch (node.type) {
    case 'parenthesized_expression':
      return node.namedChildren[0] ? settingValue(ctx, node.namedChildren[0], depth + 1) : undefined;
    case 'identifier': {
      const bound = ctx.expression(node).node;
      return bound.id !== node.id ? settingValue(ctx, bound, depth + 1) : undefined;
    }
    case 'subscript': {
      const obj = node.childForFieldName('value');
      if (obj && ctx.qname(obj) === 'os.environ') return env(ctx.constant(node.childForFieldName('subscript')!));
      return undefined;
    }
    case 'call':
      return fromCall(ctx, node, depth);
    case 'comparison_operator': {
      // `os.environ.get("DEBUG", "True") == "True"`, `env("DEBUG", "0") in ("1", "true")`
      const [left, right] = node.namedChildren;
      const ops = node.children.filter((c) => !c.isNamed).map((c) => c.text).join(' ');
      if (!left || !right || node.namedChildCount !== 2) return undefined;
      const l = settingValue(ctx, left, depth + 1);
      const r = settingValue(ctx, right, depth + 1);
      if (!l || !r) return undefined;
      if (l.source === 'literal' && r.source === 'literal') {
        const v = compare(ops, l.value, r.value);
        return v === undefined ? undefined : { source: 'literal', value: v };
      }
      const e = l.source === 'environment' ? l : (r as Extract<SettingValue, { source: 'environment' }>);
      const lv = l.source === 'literal' ? l.value : l.fallback;
      const rv = r.source === 'literal' ? r.value : r.fallback;
      const v = lv === undefined || rv === undefined || (l.source === 'environment' && r.source === 'environment') ? undefined : compare(ops, lv, rv);
      return { source: 'environment', ...(e.variable ? { variable: e.variable } : {}), ...(v !== undefined ? { fallback: v } : {}) };
    }
    case 'boolean_operator': {
      // `os.environ.get("SECRET_KEY") or "dev-key"`: the literal is used whenever the variable is unset or empty
      const op = node.children.find((c) => !c.isNamed)?.text;
      const l = settingValue(ctx, node.childForFieldName('left')!, depth + 1);
      const r = settingValue(ctx, node.childForFieldName('right')!, depth + 1);
      if (op !== 'or' || l?.source !== 'environment' || !r) return undefined;
      const right = r.source === 'literal' ? r.value : r.fallback;
      const fallback = l.fallback !== undefined && l.fallback !== null && l.fallback !== '' && l.fallback !== false ? l.fallback : right;
      return { source: 'environment', ...(l.variable ? { variable: l.variable } : {}), ...(fallback !== undefined ? { fallback } : {}) };
    }
    default:
      return undefined;
  }
}

/** What the setting is when nothing in the environment says otherwise: the literal, or the fallback. */
export function effectiveValue(v: SettingValue | undefined): { value: ConstValue; fallback: boolean } | undefined {
  if (!v) return undefined;
  if (v.source === 'literal') return { value: v.value, fallback: false };
  return v.fallback !== undefined ? { value: v.fallback, fallback: true } : undefined;
}

/** ` (the fallback of DEBUG when the variable is unset)` for messages about a fallback. */
export function fallbackNote(v: SettingValue | undefined): string {
  return v?.source === 'environment' ? ` (the fallback used when the environment variable${v.variable ? ` ${v.variable}` : ''} is not set)` : '';
}
