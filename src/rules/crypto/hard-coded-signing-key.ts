import type { Arg, CallInfo } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { argument } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type RuleContext } from '../rule.js';
import { JWT_DECODE, JWT_ENCODE, jwtKeyArg } from './jwt-calls.js';

const HMAC = new Set(['hmac.new', 'hmac.HMAC', 'hmac.digest']);
/** itsdangerous signers and serializers: the secret key is the first parameter (`secret_key`). */
const ITSDANGEROUS = new Set(
  ['Signer', 'TimestampSigner', 'Serializer', 'TimedSerializer', 'URLSafeSerializer', 'URLSafeTimedSerializer', 'JSONWebSignatureSerializer', 'TimedJSONWebSignatureSerializer'].flatMap((cls) =>
    ['itsdangerous', 'itsdangerous.signer', 'itsdangerous.serializer', 'itsdangerous.timed', 'itsdangerous.url_safe', 'itsdangerous.jws'].map((m) => `${m}.${cls}`),
  ),
);

/** Where the key goes, and what to call the API in the message. */
function keyArgument(call: CallInfo): { arg: Arg; api: string } | undefined {
  const q = call.qname;
  if (!q) return undefined;
  if (JWT_ENCODE.has(q) || JWT_DECODE.has(q)) {
    const arg = jwtKeyArg(call);
    return arg ? { arg, api: `jwt.${q.endsWith('encode') ? 'encode' : 'decode'}` } : undefined;
  }
  if (HMAC.has(q)) {
    const arg = argument(call, 'key', 0);
    return arg ? { arg, api: q } : undefined;
  }
  if (ITSDANGEROUS.has(q)) {
    const arg = argument(call, 'secret_key', 0);
    return arg ? { arg, api: `itsdangerous ${q.slice(q.lastIndexOf('.') + 1)}` } : undefined;
  }
  return undefined;
}

/**
 * A key written in the code: a non-empty string or bytes literal, `"...".encode()`, or a name bound to one (a
 * module constant). Values from the environment, a settings object or a file are calls or attributes: not literal.
 */
function literalKey(ctx: RuleContext, arg: Arg): Node | undefined {
  const { node, scope } = ctx.expression(arg);
  let literal = node;
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
    if (!obj || fn?.childForFieldName('attribute')?.text !== 'encode') return undefined;
    literal = obj;
  }
  const s = ctx.string({ node: literal, scope });
  return s && !s.dynamic && s.value !== '' ? node : undefined;
}

export const hardCodedSigningKey = defineRule({
  meta: {
    id: 'PW303',
    name: 'hard-coded-signing-key',
    severity: 'high',
    confidence: 'high',
    cwe: 798,
    doc: {
      summary: 'Literal key passed to jwt.encode/jwt.decode, hmac.new or an itsdangerous signer or serializer',
      why: 'Whoever knows a signing key can sign anything the application will trust: session cookies, password-reset links, API tokens, webhook payloads. A key written in the source is known to everyone who can read the repository, its history, forks and build artefacts, and it cannot be rotated without a release. Placeholder-looking keys (`"change-me"`) are the worst: they are the first an attacker tries.',
      bad: 'token = jwt.encode(claims, "super-secret", algorithm="HS256")\nserializer = URLSafeTimedSerializer("dev-key")',
      good: 'token = jwt.encode(claims, os.environ["JWT_SECRET"], algorithm="HS256")\nserializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"])',
      fix: 'Load the key at run time (environment variable, secrets manager, framework settings read from the environment), then rotate the key that was committed: it stays in git history.',
      references: ['https://cwe.mitre.org/data/definitions/798.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html', 'https://itsdangerous.palletsprojects.com/en/stable/concepts/#the-secret-key', 'https://docs.python.org/3/library/hmac.html#hmac.new'],
    },
  },
  callNames: lastSegments(JWT_ENCODE, JWT_DECODE, HMAC, ITSDANGEROUS),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const found = keyArgument(call);
      if (!found) return;
      const literal = literalKey(ctx, found.arg);
      if (!literal) return;
      // on the key argument when it is written in the call, so a multi-line call is flagged on the key's line
      const written = found.arg.node;
      const at = written.parent?.type === 'keyword_argument' ? written.parent : written;
      ctx.report(node, {
        at,
        message: `${found.api} is given a key written in the source${literal !== written ? ' (through a constant)' : ''}: anyone with the code can sign tokens the application trusts. Load it from the environment or a secrets manager and rotate the committed one.`,
        fix: { description: 'Read the key at run time (os.environ["..."], a secrets manager) and rotate the committed key.' },
      });
    },
  },
});
