/** Small questions rules ask about call arguments, answered the same way everywhere. */
import type { Arg, CallInfo, ConstValue } from '../python/resolve.js';
import type { SyntaxNode as Node } from '../python/syntax-tree.js';
import type { RuleContext } from './rule.js';

/** The argument passed by keyword `name`, or at position `index` when given. */
export function argument(call: CallInfo, name: string, index?: number): Arg | undefined {
  return call.keywords.get(name) ?? (index !== undefined ? call.positional[index] : undefined);
}

/** Python truthiness of a constant argument; `undefined` when the value is not known. */
export function truthy(value: ConstValue | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return Boolean(value);
}

/** True when the keyword is passed and is (or resolves to) a truthy constant like `True`. */
export function keywordIsTrue(ctx: RuleContext, call: CallInfo, name: string): boolean {
  const arg = call.keywords.get(name);
  return arg !== undefined && truthy(ctx.constant(arg)) === true;
}

/** True when the keyword is passed and is a falsy constant like `False`. */
export function keywordIsFalse(ctx: RuleContext, call: CallInfo, name: string): boolean {
  const arg = call.keywords.get(name);
  return arg !== undefined && truthy(ctx.constant(arg)) === false;
}

/** True for a string/bytes literal or a name bound to one (not an f-string). */
export function isLiteralString(ctx: RuleContext, arg: Arg | undefined): boolean {
  if (!arg) return false;
  const s = ctx.string(arg);
  return s !== undefined && !s.dynamic;
}

/** Matches `name` against a set of qualified names, also through instances (`requests.Session().get`). */
export function qnameIn(qname: string | undefined, names: ReadonlySet<string>): boolean {
  return qname !== undefined && names.has(qname);
}

/**
 * Where Bandit reports a finding about a keyword argument: the `name=value` argument itself (the line of
 * `shell=True` in a multi-line call). Undefined when the keyword came from `**{...}` or is absent.
 */
export function keywordAnchor(call: CallInfo, name: string): Node | undefined {
  const value = call.keywords.get(name)?.node;
  return value?.parent?.type === 'keyword_argument' ? value.parent : undefined;
}
