import { argument } from '../arguments.js';
import { stringLiteral } from '../../python/strings.js';
import { defineRule } from '../rule.js';
import { lastSegments } from '../call-names.js';

const RAW_SQL = new Set(['django.db.models.RawSQL', 'django.db.models.expressions.RawSQL']);

export const djangoRawSql = defineRule({
  meta: {
    id: 'B611',
    name: 'django_rawsql_used',
    severity: 'medium',
    confidence: 'medium',
    cwe: 89,
    doc: {
      summary: 'RawSQL() with SQL that is not literal text',
      why: 'RawSQL puts its SQL string into the query unchanged. If the string is built from request data, an attacker can rewrite the query: read other rows, bypass filters, or change data.',
      bad: 'qs.annotate(rank=RawSQL(f"SELECT rank FROM scores WHERE user = {uid}", []))',
      good: 'qs.annotate(rank=RawSQL("SELECT rank FROM scores WHERE user = %s", [uid]))',
      fix: 'Keep the SQL of RawSQL literal and pass every value in its params list.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions',
        'https://cwe.mitre.org/data/definitions/89.html',
      ],
      banditDifferences: 'Resolves RawSQL to `django.db.models.RawSQL` (or `django.db.models.expressions.RawSQL`) however it is imported; a RawSQL from elsewhere is not matched. As in Bandit, any SQL not written in place is flagged, including a name bound to literal text.',
    },
  },
  callNames: lastSegments(RAW_SQL),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !RAW_SQL.has(call.qname)) return;
      const sql = argument(call, 'sql', 0);
      if (!sql) return;
      // As in Bandit, only SQL written in place is literal: a name bound to text may be rebound or built elsewhere.
      const literal = (sql.node.type === 'string' || sql.node.type === 'concatenated_string') && stringLiteral(sql.node)?.dynamic === false;
      if (literal) return;
      ctx.report(node, { message: 'RawSQL() gets SQL that is not literal text: anything from the request in it can rewrite the query; keep the SQL literal and pass values in params' });
    },
  },
});
