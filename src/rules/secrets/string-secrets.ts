/**
 * The visitor the PW4xx rules share: every Python string literal (plain, bytes, the constant parts of an
 * f-string, and implicit concatenations as one value, so a token split over two lines is still seen).
 */
import { stringLiteral } from '../../python/strings.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { RuleContext, Visitor } from '../rule.js';
import { findSecrets, secretMessage, type SecretMatch } from './detect.js';
import type { SecretRuleId } from './formats.js';

/** The three rules look at the same literals: detect once per node. */
const cache = new WeakMap<Node, SecretMatch[]>();

function secretsIn(node: Node, ctx: RuleContext): SecretMatch[] {
  let found = cache.get(node);
  if (!found) {
    const literal = stringLiteral(node);
    found = literal ? findSecrets(literal.value, { fileText: ctx.text, path: ctx.path }) : [];
    cache.set(node, found);
  }
  return found;
}

/** Reports the literal node (the span B105-B107 report, so `covers` can pair them), once per rule. */
export function secretVisitors(ruleId: SecretRuleId): Record<string, Visitor> {
  const visit: Visitor = (node, ctx) => {
    if (node.type === 'string' && node.parent?.type === 'concatenated_string') return; // seen as the whole
    const matches = secretsIn(node, ctx).filter((m) => m.ruleId === ruleId);
    if (!matches.length) return;
    const more = matches.length > 1 ? ` (${matches.length - 1} more in the same string: ${matches.slice(1).map((m) => `\`${m.redacted}\``).join(', ')})` : '';
    ctx.report(node, { message: `${secretMessage(matches[0])}${more}`, confidence: matches.some((m) => m.confidence === 'high') ? 'high' : 'medium' });
  };
  return { string: visit, concatenated_string: visit };
}

export const SECRET_REFERENCES = [
  'https://cwe.mitre.org/data/definitions/798.html',
  'https://owasp.org/www-community/vulnerabilities/Use_of_hard-coded_password',
  'https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns',
];

/** Bandit's name-based checks that flag the same literal when it is assigned to or passed as a password-like name. */
export const BANDIT_PASSWORD_CHECKS = ['B105', 'B106', 'B107'] as const;
