import { defineRule } from '../rule.js';

export const execUsed = defineRule({
  meta: {
    id: 'B102',
    name: 'exec_used',
    severity: 'medium',
    confidence: 'high',
    cwe: 78,
    doc: {
      summary: 'Use of exec: the string it runs is arbitrary Python code',
      why: 'exec() runs whatever code it is given with the full rights of the process. If any part of the string comes from a user, a file or the network, an attacker can run code on the server.',
      bad: 'exec(f"result = {expression}")',
      good: 'import ast\nresult = ast.literal_eval(expression)  # or dispatch to known functions',
      fix: 'Replace exec() with explicit code: a dict of allowed operations, ast.literal_eval for data, or importlib for plugins.',
      references: ['https://docs.python.org/3/library/functions.html#exec', 'https://cwe.mitre.org/data/definitions/78.html'],
      banditDifferences: 'Resolves the name: a local function or import named `exec` is not flagged, while `builtins.exec` and aliases of it are.',
    },
  },
  callNames: ['exec'],
  visit: {
    call(node, ctx) {
      const q = ctx.call(node).qname;
      if (q === 'exec' || q === 'builtins.exec') ctx.report(node, { message: 'exec() runs arbitrary Python code; make sure no part of its input can come from outside the program' });
    },
  },
});
