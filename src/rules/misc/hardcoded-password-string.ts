import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { looksLikePassword, PASSWORD_FIX, PASSWORD_REFERENCES, passwordTarget, secretLiteral } from './common.js';

const EQUALITY = new Set(['==', '!=', 'is', 'is not']);
const SEQUENCES = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'expression_list', 'tuple', 'list']);

function reportAssigned(ctx: RuleContext, value: Node, name: string): void {
  ctx.report(value, {
    message: `Hard-coded secret assigned to '${name}': anyone who can read the code or its history has it, and it cannot be rotated without a release; load it from the environment or a secrets manager.`,
  });
}

function reportCompared(ctx: RuleContext, value: Node, name: string): void {
  ctx.report(value, {
    message: `'${name}' is checked against a hard-coded string, a built-in credential anyone reading the code can use; compare against a stored hash (hmac.compare_digest) or a secret loaded at run time.`,
  });
}

/** `target = value`, also `user, password = "u", "p"` element by element. */
function checkTarget(ctx: RuleContext, target: Node, value: Node): void {
  if (SEQUENCES.has(target.type) && SEQUENCES.has(value.type)) {
    const ts = target.namedChildren.filter((c) => c?.type !== 'comment');
    const vs = value.namedChildren.filter((c) => c?.type !== 'comment');
    if (ts.length === vs.length) ts.forEach((t, i) => t && vs[i] && checkTarget(ctx, t, vs[i]!));
    return;
  }
  const name = passwordTarget(ctx, target);
  if (!name) return;
  // `password = "dev-pass" if DEBUG else os.environ["PASSWORD"]`: each branch is a value the name can take
  for (const branch of branches(value)) if (secretLiteral(ctx, branch)) reportAssigned(ctx, branch, name);
}

/** The values an expression can evaluate to without a call: both arms of `a if c else b` (nested), or itself. */
function branches(value: Node): Node[] {
  let v = value;
  while (v.type === 'parenthesized_expression' && v.namedChildCount === 1) v = v.namedChildren[0];
  if (v.type !== 'conditional_expression') return [v];
  const [whenTrue, , whenFalse] = v.namedChildren.filter((c) => c.type !== 'comment');
  return [...(whenTrue ? branches(whenTrue) : []), ...(whenFalse ? branches(whenFalse) : [])];
}

/** A dict literal spread into a call (`f(**{"password": "x"})`) is a keyword argument: B106 reports it. */
function isSplattedIntoCall(dict: Node | null): boolean {
  return dict?.parent?.type === 'dictionary_splat' && dict.parent.parent?.type === 'argument_list';
}

export const hardcodedPasswordString = defineRule({
  meta: {
    id: 'B105',
    name: 'hardcoded_password_string',
    severity: 'low',
    confidence: 'medium',
    cwe: 259,
    doc: {
      summary: 'Hard-coded password: a string literal assigned to, stored under, or compared with a password-like name',
      why: 'A password, token or secret in the source is known to everyone with access to the repository, its history, build artefacts and backups, and it cannot be changed without a release. Attackers search public and leaked code for exactly these.',
      bad: 'DB_PASSWORD = "s3cr3t!"\nif password == "letmein":\n    grant_access()',
      good: 'DB_PASSWORD = os.environ["DB_PASSWORD"]\nif hmac.compare_digest(hash_password(password), stored_hash):\n    grant_access()',
      fix: PASSWORD_FIX,
      references: PASSWORD_REFERENCES,
      banditDifferences: 'Never flags empty strings (`password = ""`, `if password == "":` mean "no password"). Also catches annotated assignments (`password: str = "x"`), chained and tuple assignments, either arm of a conditional expression (`password = "dev" if DEBUG else env`), walrus, `match password: case "x":`, comparisons written either way round, bytes literals, and names bound to a string (`password = DEFAULT`). Only equality comparisons count (not `<` or `in`). The message names the variable but does not repeat the secret, so it does not leak into CI logs.',
    },
  },
  visit: {
    assignment(node, ctx) {
      if (node.parent?.type === 'assignment') return; // the outermost one handles `a = b = "x"`
      const targets: Node[] = [];
      let value: Node | null = node;
      while (value?.type === 'assignment') {
        const left = value.childForFieldName('left');
        if (left) targets.push(left);
        value = value.childForFieldName('right');
      }
      if (value) for (const t of targets) checkTarget(ctx, t, value);
    },
    named_expression(node, ctx) {
      const name = node.childForFieldName('name');
      const value = node.childForFieldName('value');
      if (name && value) checkTarget(ctx, name, value);
    },
    pair(node, ctx) {
      if (node.parent?.type !== 'dictionary' || isSplattedIntoCall(node.parent)) return;
      const key = node.childForFieldName('key');
      const value = node.childForFieldName('value');
      if (!key || !value) return;
      const k = ctx.string(key);
      // a string key names its value: {"password": "x"}
      if (k && !k.dynamic && looksLikePassword(k.value) && secretLiteral(ctx, value)) reportAssigned(ctx, value, k.value);
    },
    comparison_operator(node, ctx) {
      const operators = node.childrenForFieldName('operators');
      if (!operators.some((o) => EQUALITY.has(o.type))) return; // `<`, `in`, ...: nothing to check
      const operands = node.namedChildren.filter((c) => c.type !== 'comment' && !operators.includes(c));
      for (let i = 0; i < operators.length && i + 1 < operands.length; i++) {
        if (!EQUALITY.has(operators[i].type)) continue;
        const [a, b] = [operands[i], operands[i + 1]];
        const an = passwordTarget(ctx, a);
        const bn = passwordTarget(ctx, b);
        if (an && secretLiteral(ctx, b)) reportCompared(ctx, b, an);
        else if (bn && secretLiteral(ctx, a)) reportCompared(ctx, a, bn);
      }
    },
    match_statement(node, ctx) {
      const subject = node.childForFieldName('subject');
      const name = subject ? passwordTarget(ctx, subject) : undefined;
      if (!name) return;
      for (const clause of node.childForFieldName('body')?.namedChildren ?? []) {
        const pattern = clause?.type === 'case_clause' ? clause.namedChildren.find((c) => c?.type === 'case_pattern') : undefined;
        const literal = pattern?.namedChildren[0];
        if (pattern?.namedChildCount === 1 && literal && secretLiteral(ctx, literal)) reportCompared(ctx, literal, name);
      }
    },
  },
});
