import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule } from '../rule.js';
import { looksLikePassword, PASSWORD_FIX, PASSWORD_REFERENCES, secretLiteral } from './common.js';

/** The value is written in this call: `f(password="x")` or `f(**{"password": "x"})`, not reached through a name. */
function writtenIn(value: Node, args: Node): boolean {
  const p = value.parent;
  if (p?.type === 'keyword_argument') return p.parent?.equals(args) === true;
  const splat = p?.type === 'pair' ? p.parent?.parent : undefined;
  return splat?.type === 'dictionary_splat' && splat.parent?.equals(args) === true;
}

export const hardcodedPasswordFuncarg = defineRule({
  meta: {
    id: 'B106',
    name: 'hardcoded_password_funcarg',
    severity: 'low',
    confidence: 'medium',
    cwe: 259,
    doc: {
      summary: 'Hard-coded password passed as a keyword argument with a password-like name',
      why: 'A password or token written into a call (`connect(password="...")`) is known to everyone with access to the repository and its history, and it cannot be changed without a release. Attackers search public and leaked code for exactly these.',
      bad: 'conn = psycopg2.connect(host=DB_HOST, user="app", password="s3cr3t!")',
      good: 'conn = psycopg2.connect(host=DB_HOST, user="app", password=os.environ["DB_PASSWORD"])',
      fix: PASSWORD_FIX,
      references: PASSWORD_REFERENCES,
      banditDifferences: 'Never flags empty strings (`password=""`). Also catches `**{"password": "x"}` spread into the call and names bound to a string literal (`password=DEFAULT`); a name that itself looks like a password is reported by B105 where it is assigned, not again at each use. Reports every such keyword of a call, not only the first. The message does not repeat the secret.',
    },
  },
  callKeywords: ['*'],
  visit: {
    call(node, ctx) {
      const args = node.childForFieldName('arguments');
      if (args?.type !== 'argument_list') return;
      for (const [name, arg] of ctx.call(node).keywords) {
        if (!looksLikePassword(name) || !writtenIn(arg.node, args) || !secretLiteral(ctx, arg.node)) continue;
        ctx.report(arg.node, {
          message: `Hard-coded secret passed as '${name}=': anyone who can read the code or its history has it, and it cannot be rotated without a release; pass a value loaded from the environment or a secrets manager.`,
        });
      }
    },
  },
});
