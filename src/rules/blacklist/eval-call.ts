/** B307 eval: the built-in eval, with a `ast.literal_eval` edit when the call is the one-argument form. */
import type { Fix } from '../../engine/types.js';
import type { CallInfo } from '../../python/resolve.js';
import type { Scope } from '../../python/scopes.js';
import type { RuleContext } from '../rule.js';
import { nodeRange } from '../fixes.js';
import { blacklistedCall } from './blacklisted-call.js';

/** What the name `ast` refers to where the edit would put it: the module, nothing yet, or something else. */
function astBinding(scope: Scope): 'module' | 'unbound' | 'other' {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const list = s.bindings.get('ast');
    if (list) return list.every((b) => b.kind === 'import' && b.qname === 'ast') ? 'module' : 'other';
  }
  return 'unbound';
}

/** `eval(expr)` with one plain argument -> `ast.literal_eval(expr)`; anything else (globals, *args) is advice. */
function literalEvalFix(call: CallInfo, ctx: RuleContext): Fix {
  const description = 'Use ast.literal_eval() when the string should only hold a Python literal (numbers, strings, lists, dicts, ...); otherwise parse the input explicitly.';
  const arg = call.positional[0];
  const simple = call.positional.length === 1 && call.keywords.size === 0 && !call.hasStarArgs && !call.hasUnknownKwargs;
  if (!simple || arg.node.type === 'generator_expression') return { description };
  const ast = astBinding(ctx.scope);
  if (ast === 'other') return { description };
  const f = call.func;
  return {
    description: `Replace eval() with ast.literal_eval(), which only accepts literals${ast === 'unbound' ? '; add `import ast` at the top of the module' : ''}. Input that is not a literal now raises ValueError.`,
    edit: { range: nodeRange(f), text: 'ast.literal_eval' },
  };
}

export const evalCall = blacklistedCall({
  meta: {
    id: 'B307',
    name: 'eval',
    severity: 'medium',
    confidence: 'high',
    cwe: 78,
    doc: {
      summary: 'Use of eval(): the string it evaluates is arbitrary Python code',
      why: 'eval() evaluates any Python expression with the rights of the process; `__import__("os").system(...)` is an expression. If any part of the string comes from a request, a file or a message, an attacker runs code on the server. Restricting globals/builtins does not make it safe.',
      bad: 'limit = eval(request.args["limit"])',
      good: 'import ast\n\nlimit = ast.literal_eval(request.args["limit"])  # or int(request.args["limit"])',
      fix: 'Use ast.literal_eval() for literals, int()/float()/json.loads() for data, or a dict of allowed operations instead of eval().',
      references: [
        'https://docs.python.org/3/library/ast.html#ast.literal_eval',
        'https://docs.python.org/3/library/functions.html#eval',
        'https://cwe.mitre.org/data/definitions/78.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b307-eval',
      ],
      banditDifferences: 'Resolves the name: `builtins.eval` and names bound to it are flagged, while a local `def eval`, an imported function called eval, `ast.literal_eval` and methods called eval (`model.eval()`) are not. Offers an edit to `ast.literal_eval(x)` for the one-argument form (its description says when `import ast` must be added; no edit when the name `ast` is bound to something else).',
    },
  },
  qualnames: ['eval', 'builtins.eval'],
  message: () => 'eval() runs arbitrary Python code; use ast.literal_eval() for literals or parse the input explicitly',
  fix: literalEvalFix,
});
