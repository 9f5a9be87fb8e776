import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg } from '../../python/resolve.js';
import { defineRule, type RuleContext } from '../rule.js';
import { executedLater, isExecuteArgument, outer } from './sql-sinks.js';

/** Bandit's SIMPLE_SQL_RE, plus MySQL/SQLite's `INSERT table VALUES` and `REPLACE INTO ... VALUES`. */
const SQL = /(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s|insert\s+\w+\s+values[\s(]|replace\s+into\s.*values[\s(])/is;
const CHAIN_OPERATORS = new Set(['+', '%']);
const FORMAT_METHODS = new Set(['format', 'format_map', 'replace']);

function unwrap(node: Node): Node {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.namedChildren[0]) n = n.namedChildren[0];
  return n;
}

function isChain(node: Node | null): boolean {
  return node !== null && node.type === 'binary_operator' && CHAIN_OPERATORS.has(node.childForFieldName('operator')?.text ?? '');
}

function chainOperands(node: Node, out: Node[] = []): Node[] {
  const n = unwrap(node);
  if (isChain(n)) {
    chainOperands(n.childForFieldName('left')!, out);
    chainOperands(n.childForFieldName('right')!, out);
  } else out.push(n);
  return out;
}

/** The text of a string expression (f-strings as templates), through names bound to one. */
function stringText(ctx: RuleContext, arg: Arg): string | undefined {
  const target = ctx.expression(arg);
  const v = ctx.constant(target);
  if (typeof v === 'string') return v;
  return ctx.string({ node: unwrap(target.node), scope: target.scope })?.value;
}

/** For `q += <expr>`: the literal text `q` held before, so `q = "SELECT * FROM t"; q += f" WHERE id = {uid}"` is seen whole. */
function appendedTo(ctx: RuleContext, expr: Node): string {
  const o = outer(expr);
  const p = o.parent;
  if (p?.type !== 'augmented_assignment' || p.childForFieldName('operator')?.text !== '+=' || !p.childForFieldName('right')?.equals(o)) return '';
  const left = p.childForFieldName('left');
  return left?.type === 'identifier' ? (stringText(ctx, { node: left, scope: ctx.scope }) ?? '') : '';
}

/** The SQL-building expression around a `.format(...)`-style call, or undefined. */
function formatCall(node: Node): { object: Node; method: string } | undefined {
  const fn = node.childForFieldName('function');
  const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
  const object = fn?.childForFieldName('object');
  return method && object && FORMAT_METHODS.has(method) ? { object, method } : undefined;
}

function report(ctx: RuleContext, expr: Node, text: string, strReplace = false): void {
  const statement = appendedTo(ctx, expr) + text;
  if (!SQL.test(statement)) return;
  const executed = !strReplace && (isExecuteArgument(expr) || executedLater(ctx, expr));
  ctx.report(expr, {
    confidence: executed ? 'medium' : 'low',
    message: 'SQL query built by string formatting: a value containing a quote can rewrite the query (SQL injection); pass values as query parameters (cursor.execute(sql, params)) instead',
  });
}

export const sqlStringBuilding = defineRule({
  meta: {
    id: 'B608',
    name: 'hardcoded_sql_expressions',
    severity: 'medium',
    confidence: 'low',
    cwe: 89,
    doc: {
      summary: 'SQL query built with string formatting (f-string, %, +, .format)',
      why: 'When a value is pasted into SQL text, a quote in the value ends the literal and the rest is run as SQL: an attacker can read other rows, bypass a login check, or drop tables. The database driver can only keep data apart from code when values are sent as parameters.',
      bad: 'cursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
      good: 'cursor.execute("SELECT * FROM users WHERE name = %s", (name,))',
      fix: 'Keep the SQL text constant and pass values as parameters; for dynamic identifiers, check them against an allow-list.',
      references: [
        'https://peps.python.org/pep-0249/#paramstyle',
        'https://owasp.org/www-community/attacks/SQL_Injection',
        'https://cwe.mitre.org/data/definitions/89.html',
      ],
      banditDifferences:
        'Also recognises MySQL/SQLite\'s `REPLACE INTO ... VALUES` and `INSERT <table> VALUES`. Reports once per query on the whole expression (Bandit reports each string piece). SQL that is constant after evaluation (`"SELECT * FROM " + TABLE` with `TABLE = "users"`, `.format()` with literal arguments) is not flagged. Follows names: a SQL template in a variable formatted later (`sql % uid`, `sql.format(...)`), and `q += f" WHERE id = {x}"` after `q = "SELECT * FROM t"`. Confidence is MEDIUM also when the query is built into a variable that is then passed to `execute`/`executemany` in the same function (the finding stays on the line that builds it).',
    },
  },
  callNames: [...FORMAT_METHODS],
  visit: {
    binary_operator(node, ctx) {
      if (!isChain(node) || isChain(outer(node).parent)) return;
      let statement = '';
      const operands = chainOperands(node).map((operand) => ({ node: operand, scope: ctx.scope }));
      for (const arg of operands) {
        const text = stringText(ctx, arg);
        if (text !== undefined) statement += text;
      }
      // Whether a part is dynamic matters only for SQL (most `+` and `%` chains are not)
      if (!SQL.test(appendedTo(ctx, node) + statement)) return;
      if (operands.some((arg) => ctx.constant(arg) === undefined)) report(ctx, node, statement);
    },
    call(node, ctx) {
      const f = formatCall(node);
      if (!f) return;
      const statement = stringText(ctx, { node: f.object, scope: ctx.scope });
      if (statement === undefined) return;
      const call = ctx.call(node);
      const args = [...call.positional, ...call.keywords.values()];
      if (!call.hasStarArgs && !call.hasUnknownKwargs && args.every((a) => ctx.constant(a) !== undefined)) return;
      report(ctx, node, statement, f.method === 'replace');
    },
    string(node, ctx) {
      if (node.parent?.type === 'concatenated_string') return;
      fString(node, ctx);
    },
    concatenated_string(node, ctx) {
      fString(node, ctx);
    },
  },
});

/** An f-string on its own (not part of a `+`/`%` chain or a `.format()` call, which the other visitors see). */
function fString(node: Node, ctx: RuleContext): void {
  const s = ctx.string(node);
  if (!s?.dynamic) return;
  const o = outer(node);
  if (isChain(o.parent)) return;
  if (o.parent?.type === 'attribute' && o.parent.parent?.type === 'call' && formatCall(o.parent.parent)) return;
  report(ctx, node, s.value);
}
