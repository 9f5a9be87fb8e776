import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { looksLikePassword, PASSWORD_REFERENCES, secretLiteral } from './common.js';

/** Every parameter with a default: positional-only, ordinary and keyword-only, typed or not. */
function check(node: Node, ctx: RuleContext): void {
  for (const p of node.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p?.type !== 'default_parameter' && p?.type !== 'typed_default_parameter') continue;
    const name = p.childForFieldName('name');
    const value = p.childForFieldName('value');
    if (!name || !value || !looksLikePassword(name.text) || !secretLiteral(ctx, value)) continue;
    ctx.report(value, {
      message: `Parameter '${name.text}' defaults to a hard-coded secret, which every caller that omits it silently uses; default to None and load the value from the environment or a secrets manager.`,
    });
  }
}

export const hardcodedPasswordDefault = defineRule({
  meta: {
    id: 'B107',
    name: 'hardcoded_password_default',
    severity: 'low',
    confidence: 'medium',
    cwe: 259,
    doc: {
      summary: 'Hard-coded password as the default value of a password-like parameter',
      why: 'A default password is used whenever a caller forgets to pass one, so deployments quietly run with a credential that everyone with access to the code knows. It also cannot be changed without a release.',
      bad: 'def connect(host, user="admin", password="admin123"):\n    ...',
      good: 'def connect(host, user="admin", password=None):\n    password = password or os.environ["DB_PASSWORD"]\n    ...',
      fix: 'Default the parameter to None and load the real secret at run time (environment, secrets manager); rotate the committed one.',
      references: PASSWORD_REFERENCES,
      banditDifferences: 'Also checks `async def`, lambdas, keyword-only (after `*`) and positional-only (before `/`) parameters, typed parameters, and defaults that are names bound to a string literal; Bandit only sees ordinary parameters of plain `def`. Never flags empty-string defaults. Reports every such parameter, not only the first, without repeating the secret.',
    },
  },
  visit: { function_definition: check, lambda: check },
});
