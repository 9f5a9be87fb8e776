import { defineRule } from '../rule.js';

export const codeInjection = defineRule({
  meta: {
    id: 'PW103',
    name: 'code-injection',
    severity: 'high',
    confidence: 'high',
    cwe: 94,
    doc: {
      summary: 'Untrusted data reaches `eval`, `exec`, `compile` or a dynamic import.',
      why: 'The value runs as Python code in the server process: `__import__("os").system(...)` is one request away. Restricting builtins does not make `eval` safe.',
      bad: 'expr = request.args["expr"]\nresult = eval(expr)',
      good: 'expr = request.args["expr"]\nresult = ast.literal_eval(expr)  # data only',
      fix: 'Parse data with `ast.literal_eval` or `json.loads`; choose code from a fixed mapping (`HANDLERS[name]`) instead of importing or evaluating a name.',
      references: ['https://cwe.mitre.org/data/definitions/94.html', 'https://docs.python.org/3/library/ast.html#ast.literal_eval'],
      banditDifferences: 'Bandit\'s B307 and B102 flag every `eval`/`exec`; PW103 needs untrusted data to reach them. Where both fire, reviews show PW103 once.',
    },
  },
  visit: {},
  dataflow: { covers: ['B307', 'B102'], danger: 'runs as Python code' },
});
