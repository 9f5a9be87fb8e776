import { defineRule } from '../rule.js';

export const sqlInjection = defineRule({
  meta: {
    id: 'PW101',
    name: 'sql-injection',
    severity: 'high',
    confidence: 'high',
    cwe: 89,
    doc: {
      summary: 'Untrusted data reaches the text of an SQL query.',
      why: 'Whoever controls the value can change the query itself: read other users\' rows, bypass a login check, modify or drop tables. Quoting by hand is not enough; drivers bind parameters safely.',
      bad: 'name = request.args["name"]\ncursor.execute(f"SELECT * FROM users WHERE name = \'{name}\'")',
      good: 'name = request.args["name"]\ncursor.execute("SELECT * FROM users WHERE name = %s", (name,))',
      fix: 'Keep the SQL text constant and pass the value as a bound parameter (`execute(sql, params)`, `text(sql).bindparams(...)`, `raw(sql, [value])`).',
      references: ['https://cwe.mitre.org/data/definitions/89.html', 'https://owasp.org/www-community/attacks/SQL_Injection', 'https://peps.python.org/pep-0249/#paramstyle'],
      banditDifferences: 'Bandit\'s B608 flags any SQL-looking string built with formatting, whatever the data; PW101 needs untrusted data to reach the query text, and shows the path. Where both fire, reviews show PW101 once.',
    },
  },
  visit: {},
  dataflow: { covers: ['B608', 'B610', 'B611'], danger: 'is used as SQL text' },
});
