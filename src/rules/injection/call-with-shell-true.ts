import { keywordAnchor } from '../arguments.js';
import { defineRule } from '../rule.js';
import { isSubprocessCall, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC, shellArgument } from './process-launch.js';

export const callWithShellTrue = defineRule({
  meta: {
    id: 'B604',
    name: 'any_other_function_with_shell_equals_true',
    severity: 'medium',
    confidence: 'low',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'A call other than subprocess passes shell=True: probably a wrapper that runs a shell command',
      why: 'Helpers like `run_cmd(cmd, shell=True)` or `utils.execute(..., shell=True)` usually hand their command to a shell. Whatever reaches the command string from outside can inject extra commands, just as with subprocess.',
      bad: 'run_command(f"tar xf {archive}", shell=True)',
      good: 'run_command(["tar", "xf", archive])',
      fix: 'Call the wrapper with an argument list and without shell=True, and make the wrapper refuse shell=True.',
      references: [
        'https://security.openstack.org/guidelines/dg_avoid-shell-true.html',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: `\`shell=\` is evaluated as a constant, so \`shell=USE_SHELL\` with \`USE_SHELL = True\`, \`shell=1\` and \`**{"shell": True}\` are flagged and \`shell=USE_SHELL\` with \`USE_SHELL = False\` is not. Calls that resolve to the \`subprocess\` list (also through aliases) are left to B602, and \`dict(shell=True)\` (building keyword arguments) is not a call that runs anything. ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callKeywords: ['shell'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      // dict(shell=True) builds keyword arguments; the call they are splatted into is the one reported
      if (isSubprocessCall(ctx, call.qname) || call.qname === 'dict') return;
      if (shellArgument(ctx, call) === false) return;
      const name = call.qname ?? call.func.text.replace(/\s+/g, '');
      ctx.report(node, { at: keywordAnchor(call, 'shell'), message: `${name}() is called with shell=True: if it runs a shell command, anything untrusted in it can add commands; pass an argument list without a shell` });
    },
  },
});
