import type { CallInfo } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Fix } from '../../engine/types.js';
import { lastSegments } from '../call-names.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isSecretName, nodeName, withImport } from './secret-names.js';

const FUNCTIONS = ['random', 'randint', 'randrange', 'choice', 'choices', 'sample', 'getrandbits', 'randbytes', 'uniform'];
/** `random.choice` and the methods of a `random.Random()` instance (not `SystemRandom`, which is fine). */
const RANDOM = new Set(['random', 'random.Random()'].flatMap((base) => FUNCTIONS.map((f) => `${base}.${f}`)));

/** Calls that pass a random value on into the secret they build: `"".join(...)`, `str(...)`, `hex(...)`, ... */
const WRAPPERS = new Set(['join', 'str', 'hex', 'format', 'bytes', 'bytearray', 'int', 'hexlify', 'b64encode', 'urlsafe_b64encode', 'b32encode', 'encode', 'decode', 'zfill', 'upper', 'lower', 'to_bytes', 'digest', 'hexdigest', 'sha256', 'md5', 'sha1']);
/** Expression nodes a value flows through unchanged in kind (a string built from it is still the secret). */
const PASS_THROUGH = new Set(['generator_expression', 'list_comprehension', 'parenthesized_expression', 'binary_operator', 'interpolation', 'string', 'concatenated_string', 'conditional_expression', 'list', 'tuple', 'expression_list']);

function calleeName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
}

/** The enclosing function's name, for `return` statements. */
function functionName(node: Node): string | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition') return p.childForFieldName('name')?.text;
  return undefined;
}

/**
 * What the random value ends up named or used as: the assignment target, keyword, dict key or the function
 * it is returned from, climbing through string building and wrapper calls. Undefined when it is used for
 * something else (an argument to a call that is not a wrapper, a loop bound, a comparison).
 */
function purpose(ctx: RuleContext, call: Node): string | undefined {
  let n = call;
  for (let p = n.parent; p; n = p, p = n.parent) {
    if (PASS_THROUGH.has(p.type)) {
      if (p.type === 'generator_expression' || p.type === 'list_comprehension') {
        if (p.childForFieldName('body')?.id !== n.id) return undefined; // in the `for ... in` clause: a count, not the value
      }
      if (p.type === 'conditional_expression' && p.namedChildren[1]?.id === n.id) return undefined; // the condition
      continue;
    }
    switch (p.type) {
      case 'call': {
        // `"".join(random.choice(ALPHABET) for _ in range(n))`: a generator is the call's whole argument list
        const name = calleeName(p);
        if (p.childForFieldName('arguments')?.id !== n.id || !name || !WRAPPERS.has(name)) return undefined;
        break;
      }
      case 'argument_list': {
        const outer = p.parent;
        const name = outer?.type === 'call' ? calleeName(outer) : undefined;
        if (!outer || !name || !WRAPPERS.has(name)) return undefined;
        p = outer; // continue from the wrapper call
        n = p;
        break;
      }
      case 'attribute': {
        // `random.getrandbits(64).to_bytes(8, "big")`: a method of the value, called
        const method = p.childForFieldName('attribute')?.text;
        if (p.childForFieldName('object')?.id !== n.id || !method || !WRAPPERS.has(method) || p.parent?.type !== 'call') return undefined;
        p = p.parent;
        n = p;
        break;
      }
      case 'keyword_argument':
        return p.childForFieldName('name')?.text;
      case 'pair': {
        if (p.childForFieldName('value')?.id !== n.id) return undefined;
        const key = p.childForFieldName('key');
        const s = key ? ctx.string(key) : undefined;
        return s && !s.dynamic ? s.value : undefined;
      }
      case 'assignment':
      case 'augmented_assignment': {
        if (p.childForFieldName('right')?.id !== n.id) return undefined;
        const left = p.childForFieldName('left');
        return left ? nodeName(ctx, left) : undefined;
      }
      case 'return_statement':
        return functionName(p);
      default:
        return undefined;
    }
  }
  return undefined;
}

/** A mechanical replacement with `secrets`, where one exists for the call as written. */
function secretsEdit(ctx: RuleContext, call: CallInfo): { text: string; edit: NonNullable<Fix['edit']> } | undefined {
  const fn = call.qname!.slice(call.qname!.lastIndexOf('.') + 1);
  const plain = call.keywords.size === 0 && !call.hasStarArgs && !call.hasUnknownKwargs;
  const args = call.positional.map((a) => a.node.text);
  const whole = (text: string) => ({ text, edit: replaceNode(call.node, text, '').edit! });
  if (fn === 'choice' && plain && args.length === 1) return whole(`secrets.choice(${args[0]})`);
  if (fn === 'getrandbits' && plain && args.length === 1) return whole(`secrets.randbits(${args[0]})`);
  if (fn === 'randbytes' && plain && args.length === 1) return whole(`secrets.token_bytes(${args[0]})`);
  if (fn === 'randrange' && plain && args.length === 1) return whole(`secrets.randbelow(${args[0]})`);
  if (fn === 'randint' && plain && args.length === 2) {
    const [lo, hi] = call.positional.map((a) => ctx.constant(a));
    if (typeof lo === 'number' && typeof hi === 'number' && Number.isInteger(lo) && Number.isInteger(hi) && hi >= lo) {
      return whole(lo === 0 ? `secrets.randbelow(${hi + 1})` : `${lo} + secrets.randbelow(${hi - lo + 1})`);
    }
  }
  if (fn === 'choices' && call.positional.length === 1 && call.keywords.size === 1 && call.keywords.has('k') && !call.hasUnknownKwargs) {
    return whole(`[secrets.choice(${args[0]}) for _ in range(${call.keywords.get('k')!.node.text})]`);
  }
  return undefined;
}

export const insecureRandomForSecret = defineRule({
  meta: {
    id: 'PW306',
    name: 'insecure-random-for-secret',
    severity: 'high',
    confidence: 'high',
    cwe: 338,
    doc: {
      summary: '`random` producing a token, password, key, salt, nonce, OTP, reset code, session id or CSRF token',
      why: '`random` is a Mersenne Twister seeded once per process: after about 624 observed outputs (or a guessed seed) every past and future value can be computed. Tokens, reset codes, session ids or salts made with it can be predicted by anyone who sees a few of them, e.g. by requesting password resets for their own account.',
      bad: 'reset_code = "".join(random.choice(string.digits) for _ in range(6))\napi_key = "%032x" % random.getrandbits(128)',
      good: 'reset_code = "".join(secrets.choice(string.digits) for _ in range(6))\napi_key = secrets.token_hex(16)',
      fix: 'Use the `secrets` module: secrets.token_urlsafe(32) / token_hex(16) for tokens and keys, secrets.choice() for characters, secrets.randbelow(n) for numbers.',
      references: ['https://docs.python.org/3/library/secrets.html', 'https://docs.python.org/3/library/random.html', 'https://cwe.mitre.org/data/definitions/338.html', 'https://peps.python.org/pep-0506/'],
    },
  },
  callNames: lastSegments(RANDOM),
  covers: ['B311'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !RANDOM.has(call.qname)) return;
      const name = purpose(ctx, node);
      if (!name || !isSecretName(name)) return;
      const replacement = secretsEdit(ctx, call);
      ctx.report(node, {
        message: `'${name}' is made with the random module, whose output can be predicted from earlier values; use the secrets module (secrets.token_urlsafe, secrets.choice, secrets.randbelow).`,
        fix: replacement
          ? { description: withImport(ctx, 'secrets', `Use ${replacement.text}`), edit: replacement.edit }
          : { description: withImport(ctx, 'secrets', 'Use secrets.token_urlsafe(32) for a token, secrets.choice() per character or secrets.randbelow(n) for a number') },
      });
    },
  },
});
