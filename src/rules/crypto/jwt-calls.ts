/** PyJWT and python-jose entry points, and what their arguments say about verification. */
import type { Arg, CallInfo } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { argument } from '../arguments.js';
import type { RuleContext } from '../rule.js';

/** `jwt.decode` of PyJWT (module function, `PyJWT().decode`, `decode_complete`) and of python-jose. */
export const JWT_DECODE = new Set([
  'jwt.decode', 'jwt.decode_complete', 'jwt.api_jwt.decode', 'jwt.api_jwt.decode_complete', 'jwt.PyJWT().decode', 'jwt.PyJWT().decode_complete',
  'jwt.api_jwt.PyJWT().decode', 'jose.jwt.decode',
]);
export const JWT_ENCODE = new Set(['jwt.encode', 'jwt.api_jwt.encode', 'jwt.PyJWT().encode', 'jwt.api_jwt.PyJWT().encode', 'jose.jwt.encode']);

export const JWT_REFERENCES = [
  'https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode',
  'https://python-jose.readthedocs.io/en/latest/jwt/api.html',
  'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html',
  'https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/',
];

/**
 * The `algorithms` argument: by keyword, or PyJWT 2's third positional parameter when it is a list (PyJWT 1's
 * third parameter was `verify`, a boolean).
 */
export function algorithmsArg(ctx: RuleContext, call: CallInfo): Arg | undefined {
  const kw = call.keywords.get('algorithms');
  if (kw) return kw;
  const third = call.positional[2];
  if (!third) return undefined;
  const expr = ctx.expression(third).node;
  return expr.type === 'list' || expr.type === 'tuple' || expr.type === 'set' || Array.isArray(ctx.constant(third)) ? third : undefined;
}

/** PyJWT 1's `verify` argument: by keyword or the third positional parameter when it is a boolean. */
export function verifyArg(ctx: RuleContext, call: CallInfo): Arg | undefined {
  const kw = call.keywords.get('verify');
  if (kw) return kw;
  const third = call.positional[2];
  return third && typeof ctx.constant(third) === 'boolean' ? third : undefined;
}

/** The `options` argument: keyword, or PyJWT 2's fourth positional parameter. */
export function optionsArg(call: CallInfo): Arg | undefined {
  return argument(call, 'options', 3);
}

/** The value node of `key` in a dict literal or `dict(key=...)` (following a name bound to one), or undefined. */
export function dictEntry(ctx: RuleContext, arg: Arg, key: string): Node | undefined {
  const { node } = ctx.expression(arg);
  if (node.type === 'dictionary') {
    let found: Node | undefined;
    for (const pair of node.namedChildren) {
      if (pair.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      const s = k ? ctx.string(k) : undefined;
      if (s && !s.dynamic && s.value === key) found = pair.childForFieldName('value') ?? undefined;
    }
    return found;
  }
  if (node.type === 'call' && ctx.qname(node.childForFieldName('function')!) === 'dict') return ctx.call(node).keywords.get(key)?.node;
  return undefined;
}

/** The key argument of `jwt.encode(payload, key, ...)` / `jwt.decode(token, key, ...)`. */
export function jwtKeyArg(call: CallInfo): Arg | undefined {
  return argument(call, 'key', 1);
}
