import type { CallInfo } from '../../python/resolve.js';
import type { Fix } from '../../engine/types.js';
import { lastSegments } from '../call-names.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { algorithmsArg, JWT_DECODE, JWT_REFERENCES, jwtKeyArg } from './jwt-calls.js';
import { unverifiedDecode } from './jwt-signature-not-verified.js';
import { nameWords, nodeName } from './secret-names.js';

const PUBLIC_KEY_WORDS = new Set(['public', 'pub', 'pem', 'jwk', 'jwks', 'cert', 'certificate', 'rsa', 'ec', 'ecdsa', 'private', 'x509', 'signing']);
const SHARED_SECRET_WORDS = new Set(['secret', 'hmac', 'shared', 'hs256']);

/** The key is plainly a shared HMAC secret (`settings.JWT_SECRET`, `"dev-secret"`), so HS256 is the safe pin. */
function isHmacSecret(ctx: RuleContext, call: CallInfo): boolean {
  const key = jwtKeyArg(call);
  if (!key) return false;
  const literal = ctx.string(key);
  if (literal && !literal.dynamic) return !literal.value.includes('-----BEGIN');
  const name = nodeName(ctx, key.node);
  if (!name) return false;
  const words = nameWords(name);
  return words.some((w) => SHARED_SECRET_WORDS.has(w)) && !words.some((w) => PUBLIC_KEY_WORDS.has(w));
}

/** Adds `algorithms=["HS256"]`: replaces an explicit None, or goes after the last argument. */
function pinEdit(call: CallInfo): Fix['edit'] {
  const given = call.keywords.get('algorithms');
  if (given) return replaceNode(given.node, '["HS256"]', '').edit;
  if (call.hasStarArgs) return undefined;
  const args = call.node.childForFieldName('arguments');
  const last = args?.namedChildren.filter((c) => c.type !== 'comment').pop();
  if (!args || args.type !== 'argument_list' || !last) return undefined;
  const at = { line: last.endPosition.row + 1, column: last.endPosition.column + 1 };
  return { range: { startLine: at.line, startColumn: at.column, endLine: at.line, endColumn: at.column }, text: ', algorithms=["HS256"]' };
}

export const jwtAlgorithmsNotPinned = defineRule({
  meta: {
    id: 'PW302',
    name: 'jwt-algorithms-not-pinned',
    severity: 'medium',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'jwt.decode without an explicit `algorithms` list',
      why: 'Without `algorithms`, the token\'s own header chooses how it is checked. Old PyJWT (1.x) and python-jose then accept whatever the attacker writes there: `none`, or HS256 signed with the server\'s RSA public key as the HMAC secret (algorithm confusion), so tokens can be forged. PyJWT 2 refuses to decode without the list, so the call also fails at run time after an upgrade.',
      bad: 'claims = jwt.decode(token, settings.JWT_SECRET)',
      good: 'claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"])',
      fix: 'Pass `algorithms=[...]` with exactly the algorithm your tokens are issued with (`["HS256"]` for a shared secret, `["RS256"]` or `["ES256"]` for a public key).',
      references: [...JWT_REFERENCES, 'https://cwe.mitre.org/data/definitions/327.html'],
    },
  },
  callNames: lastSegments(JWT_DECODE),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !JWT_DECODE.has(call.qname)) return;
      if (unverifiedDecode(ctx, node)) return; // PW301: nothing is verified, whatever the algorithms
      const algorithms = algorithmsArg(ctx, call);
      if (algorithms ? ctx.constant(algorithms) !== null : call.hasUnknownKwargs || call.positional.length > 2) return;
      const hmac = isHmacSecret(ctx, call);
      const edit = hmac ? pinEdit(call) : undefined;
      ctx.report(node, {
        ...(algorithms?.node.parent?.type === 'keyword_argument' ? { at: algorithms.node.parent } : {}),
        message: hmac
          ? 'This jwt.decode lets the token header choose the algorithm; the key is a shared secret, so pin algorithms=["HS256"] (or the HS algorithm your tokens are issued with).'
          : 'This jwt.decode lets the token header choose the algorithm (forged `none` or HS256-with-the-public-key tokens); pin algorithms=[...] to the one your issuer signs with, e.g. ["RS256"] or ["ES256"] for a public key.',
        fix: hmac && edit ? { description: 'Pin the algorithm: algorithms=["HS256"]', edit } : { description: 'Pass algorithms=[...] naming the algorithm your tokens are signed with (RS256, ES256 or HS256).' },
      });
    },
  },
});
