import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type RuleContext } from '../rule.js';
import { algorithmsArg, dictEntry, JWT_DECODE, JWT_REFERENCES, optionsArg, verifyArg } from './jwt-calls.js';

/** A string element of the algorithms list that is `none` in any case, e.g. `"None"`. */
function noneAlgorithm(ctx: RuleContext, list: Node): Node | undefined {
  const items = list.type === 'list' || list.type === 'tuple' || list.type === 'set' ? list.namedChildren : [list];
  return items.find((item) => {
    const s = item.type === 'comment' ? undefined : ctx.string(item);
    return s !== undefined && !s.dynamic && s.value.trim().toLowerCase() === 'none';
  });
}

/** Why the decode does not verify, and where to point: undefined when it does (as far as the code shows). */
export function unverifiedDecode(ctx: RuleContext, node: Node): { at: Node; what: string } | undefined {
  const call = ctx.call(node);
  if (!call.qname || !JWT_DECODE.has(call.qname)) return undefined;
  const options = optionsArg(call);
  const off = options ? dictEntry(ctx, options, 'verify_signature') : undefined;
  if (off && truthy(ctx.constant(off)) === false) return { at: off.parent?.type === 'pair' || off.parent?.type === 'keyword_argument' ? off.parent : off, what: '`verify_signature` is turned off in its options' };
  const verify = verifyArg(ctx, call);
  if (verify && truthy(ctx.constant(verify)) === false) return { at: verify.node.parent?.type === 'keyword_argument' ? verify.node.parent : verify.node, what: 'it passes `verify=False` (PyJWT 1)' };
  const algorithms = algorithmsArg(ctx, call);
  const none = algorithms ? noneAlgorithm(ctx, ctx.expression(algorithms).node) : undefined;
  if (none) return { at: none, what: 'it accepts the `none` algorithm, i.e. tokens without a signature' };
  return undefined;
}

export const jwtSignatureNotVerified = defineRule({
  meta: {
    id: 'PW301',
    name: 'jwt-signature-not-verified',
    severity: 'critical',
    confidence: 'high',
    cwe: 347,
    doc: {
      summary: 'jwt.decode with signature verification off, or with `none` among the accepted algorithms',
      why: 'A JWT is only as trustworthy as its signature. When `jwt.decode` does not verify it (`options={"verify_signature": False}`, PyJWT 1\'s `verify=False`) or accepts `alg: none`, anyone can write a token with any claims (`"sub": "admin"`, a far expiry) and the application takes it as issued by itself: a full authentication bypass.',
      bad: 'claims = jwt.decode(token, options={"verify_signature": False})\nclaims = jwt.decode(token, key, algorithms=["HS256", "none"])',
      good: 'claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])',
      fix: 'Verify every token you act on: pass the key and an explicit list of the algorithms you issue (`algorithms=["HS256"]` or `["RS256"]`), never `none`; read unverified headers only with `jwt.get_unverified_header` to pick a key.',
      references: [...JWT_REFERENCES, 'https://cwe.mitre.org/data/definitions/347.html'],
    },
  },
  callNames: lastSegments(JWT_DECODE),
  visit: {
    call(node, ctx) {
      const found = unverifiedDecode(ctx, node);
      if (!found) return;
      // on the offending argument when it is written in the call (its line in a multi-line call), else on the call
      const inside = found.at.startIndex >= node.startIndex && found.at.endIndex <= node.endIndex;
      ctx.report(node, {
        ...(inside ? { at: found.at } : {}),
        message: `This jwt.decode does not check the token's signature: ${found.what}. Anyone can forge a token with any claims and it will be accepted; verify with the key and a pinned algorithm list.`,
        fix: { description: 'Remove the option that disables verification and pass the key with algorithms=[...] naming the algorithm your tokens are signed with (HS256, RS256, ES256).' },
      });
    },
  },
});
