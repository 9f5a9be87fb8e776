import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { comparedSecretStrength, nodeName, withImport } from './secret-names.js';

const DIGEST_METHODS = new Set(['digest', 'hexdigest']);
/** Objects whose digest is a MAC: comparing it with `==` leaks how many leading bytes match. */
const MAC_OBJECTS = /^(hmac\.new|hmac\.HMAC|cryptography\.hazmat\.primitives\.hmac\.HMAC)\(\)$/;
const MAC_FUNCTIONS = new Set(['hmac.digest']);

/** Values compared for what they are, not as secrets: literals, `None`, lengths, counts. */
function isPlainValue(ctx: RuleContext, node: Node): boolean {
  if (ctx.constant(node) !== undefined) return true; // also a name bound to a literal
  if (['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none'].includes(node.type)) return true;
  if (node.type === 'call') {
    const q = ctx.qname(node.childForFieldName('function')!);
    return q === 'len' || q === 'type' || q === 'isinstance' || q === 'bool';
  }
  return false;
}

interface SecretOperand {
  why: string;
  strength: 'strong' | 'weak';
}

const named = (label: string, name: string): SecretOperand | undefined => {
  const strength = comparedSecretStrength(name);
  return strength ? { why: label, strength } : undefined;
};

/** Why an operand is a secret: its name, or being a MAC digest (also through a name bound to one). */
function secretOperand(ctx: RuleContext, node: Node, depth = 0): SecretOperand | undefined {
  if (depth > 3) return undefined;
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren[0]) n = n.namedChildren[0];
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')!;
    const q = ctx.qname(fn);
    if (q && MAC_FUNCTIONS.has(q)) return { why: 'an HMAC digest', strength: 'strong' };
    if (fn.type === 'attribute' && DIGEST_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
      const obj = ctx.qname(fn.childForFieldName('object')!);
      return obj && MAC_OBJECTS.test(obj) ? { why: 'an HMAC digest', strength: 'strong' } : undefined;
    }
    const called = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
    if (called === 'get' || called === 'getlist') {
      const first = ctx.call(n).positional[0];
      const s = first ? ctx.string(first) : undefined;
      return s && !s.dynamic ? named(`'${s.value}'`, s.value) : undefined;
    }
    return called ? named(`the result of ${called}()`, called) : undefined;
  }
  const name = nodeName(ctx, n);
  const byName = name ? named(`'${name}'`, name) : undefined;
  if (byName) return byName;
  if (n.type === 'identifier') {
    const bound = ctx.expression(n).node;
    if (bound.id !== n.id && bound.type === 'call') return secretOperand(ctx, bound, depth + 1);
  }
  return undefined;
}

/** Data a client sent: a request's headers, parameters, form, cookies or body. */
const REQUEST_DATA = /\b(request|req)\b.*\b(headers|args|form|values|cookies|GET|POST|META|query_params|json|data|get_json|query|params)\b|\bself\.get_(argument|cookie|secure_cookie)\b/;

/** Calls whose arguments are ORM expressions (SQLAlchemy, Django, Peewee): `==` there builds a query. */
const QUERY_BUILDERS = new Set(['filter', 'filter_by', 'where', 'having', 'join', 'outerjoin', 'and_', 'or_', 'not_', 'case', 'exclude', 'get_or_none', 'on']);

function inQueryBuilder(node: Node): boolean {
  let n: Node | null = node.parent;
  while (n && (n.type === 'parenthesized_expression' || n.type === 'boolean_operator' || n.type === 'not_operator')) n = n.parent;
  if (n?.type !== 'argument_list') return false;
  const fn = n.parent?.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  return name !== undefined && QUERY_BUILDERS.has(name);
}

/** The name an operand is known by (`self.signature` -> `signature`), for `a.x == b.x` equality methods. */
const lastName = (node: Node): string | undefined => (node.type === 'attribute' ? node.childForFieldName('attribute')?.text : node.type === 'identifier' ? node.text : undefined);

export const timingUnsafeComparison = defineRule({
  meta: {
    id: 'PW308',
    name: 'timing-unsafe-comparison',
    severity: 'medium',
    confidence: 'medium',
    cwe: 208,
    doc: {
      summary: '`==` / `!=` on a secret, token, signature or HMAC digest instead of `hmac.compare_digest`',
      why: '`==` on strings and bytes stops at the first differing character, so the time a check takes tells how much of a guess was right. An attacker who can send many requests (webhook signatures, API keys, reset tokens, CSRF tokens) can recover the expected value byte by byte. `hmac.compare_digest` takes the same time whatever matches.',
      bad: 'expected = hmac.new(secret, body, hashlib.sha256).hexdigest()\nif expected != request.headers["X-Signature"]:\n    abort(403)',
      good: 'expected = hmac.new(secret, body, hashlib.sha256).hexdigest()\nif not hmac.compare_digest(expected, request.headers["X-Signature"]):\n    abort(403)',
      fix: 'Compare secrets with hmac.compare_digest(a, b) (both str or both bytes), or secrets.compare_digest.',
      references: ['https://docs.python.org/3/library/hmac.html#hmac.compare_digest', 'https://cwe.mitre.org/data/definitions/208.html', 'https://codahale.com/a-lesson-in-timing-attacks/'],
    },
  },
  visit: {
    comparison_operator(node, ctx) {
      const operators = node.childrenForFieldName('operators');
      if (operators.length !== 1 || (operators[0].type !== '==' && operators[0].type !== '!=')) return;
      const [a, b] = node.namedChildren.filter((c) => c.type !== 'comment' && !operators.includes(c));
      if (!a || !b || isPlainValue(ctx, a) || isPlainValue(ctx, b)) return;
      // `password != confirm_password`: both come from the same user, who has nothing to learn
      if ([a, b].some((o) => /confirm|repeat|retype|again/i.test(o.text))) return;
      // `Model.query.filter(cls.api_key == key)`: an ORM builds SQL from the operator, Python compares nothing
      if (inQueryBuilder(node)) return;
      // `self.signature == other.signature`: an equality method comparing two objects' fields, not a credential check
      if (a.type === 'attribute' && b.type === 'attribute' && lastName(a) === lastName(b)) return;
      const sa = secretOperand(ctx, a);
      const sb = secretOperand(ctx, b);
      const strong = sa?.strength === 'strong' ? sa : sb?.strength === 'strong' ? sb : undefined;
      // A bare `token` is a credential when checked against what a client sent
      const weak = sa ?? sb;
      const fromClient = REQUEST_DATA.test(a.text) || REQUEST_DATA.test(b.text);
      const operand = strong ?? (weak && fromClient ? weak : undefined);
      if (!operand) return;
      const why = operand.why;
      const negate = operators[0].type === '!=';
      const text = `${negate ? 'not ' : ''}hmac.compare_digest(${a.text}, ${b.text})`;
      ctx.report(node, {
        message: `${why[0].toUpperCase()}${why.slice(1)} is compared with ${operators[0].type}, which returns as soon as a character differs; the response time leaks how much of a guess is right. Use hmac.compare_digest().`,
        fix: { description: withImport(ctx, 'hmac', `Use ${negate ? 'not ' : ''}hmac.compare_digest(a, b) (both str or both bytes)`), edit: replaceNode(node, text, '').edit },
      });
    },
  },
});
