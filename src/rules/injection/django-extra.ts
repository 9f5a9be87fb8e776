import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { stringLiteral } from '../../python/strings.js';
import { defineRule, type RuleContext } from '../rule.js';

/** Literal text written in place (as Bandit requires): a name bound to text is not trusted, it may be rebound. */
function isText(_ctx: RuleContext, arg: Arg): boolean {
  const { node } = arg;
  if (node.type === 'none') return true;
  if (node.type !== 'string' && node.type !== 'concatenated_string') return false;
  const s = stringLiteral(node);
  return s !== undefined && !s.dynamic;
}

function items(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** `where=[...]` / `tables=[...]`: safe when every entry is literal text. */
function literalList(ctx: RuleContext, arg: Arg): boolean {
  const { node, scope } = arg;
  if (node.type === 'none') return true;
  return (node.type === 'list' || node.type === 'tuple') && items(node).every((e) => isText(ctx, { node: e, scope }));
}

/** `select={...}`: safe when every key and value is literal text. */
function literalDict(ctx: RuleContext, arg: Arg): boolean {
  const { node, scope } = arg;
  if (node.type === 'none') return true;
  if (node.type !== 'dictionary') return false;
  return items(node).every((pair) => {
    if (pair.type !== 'pair') return false;
    return [pair.childForFieldName('key'), pair.childForFieldName('value')].every((n) => n !== null && isText(ctx, { node: n, scope }));
  });
}

export const djangoExtra = defineRule({
  meta: {
    id: 'B610',
    name: 'django_extra_used',
    severity: 'medium',
    confidence: 'medium',
    cwe: 89,
    doc: {
      summary: 'QuerySet.extra() with SQL that is not literal text',
      why: 'extra() pastes its `select`, `where` and `tables` strings into the query as raw SQL. If one of them is built from request data, an attacker can rewrite the query: read other users\' rows, bypass filters, or change data.',
      bad: 'User.objects.extra(where=[f"username = \'{name}\'"])',
      good: 'User.objects.extra(where=["username = %s"], params=[name])  # better: User.objects.filter(username=name)',
      fix: 'Use the ORM (filter, annotate, F/Func expressions); if extra() is unavoidable, keep its SQL literal and pass values through `params`/`select_params`.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra',
        'https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection',
        'https://cwe.mitre.org/data/definitions/89.html',
      ],
      banditDifferences: 'As in Bandit, only text written in place counts as literal (a name bound to text is flagged: it may be rebound or built elsewhere); `None` parts are ignored. Only method calls (`qs.extra(...)`) are checked, not a plain function named `extra`.',
    },
  },
  callNames: ['extra'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.name !== 'extra' || call.func.type !== 'attribute') return;
      const select = argument(call, 'select', 0);
      const where = argument(call, 'where', 1);
      const tables = argument(call, 'tables', 3);
      const unsafe = [where, tables].some((a) => a && !literalList(ctx, a)) || (select !== undefined && !literalDict(ctx, select));
      if (unsafe) ctx.report(node, { message: 'extra() gets SQL that is not literal text: anything from the request in it can rewrite the query; use the ORM, or literal SQL with values in params' });
    },
  },
});
