import { defineRule } from '../rule.js';
import { launchCallNames, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC, shellArgument } from './process-launch.js';

export const subprocessWithoutShell = defineRule({
  meta: {
    id: 'B603',
    name: 'subprocess_without_shell_equals_true',
    severity: 'low',
    confidence: 'high',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'subprocess call without a shell: an audit point for the program and arguments it runs',
      why: 'Without a shell there is no command injection through metacharacters, but the program still runs with the rights of the process. If an attacker picks the executable or an option (`--output=/etc/passwd`, `-o ProxyCommand=...`), they can still read or write files or run code.',
      bad: 'subprocess.run([tool, user_arg])',
      good: 'subprocess.run(["/usr/bin/git", "log", "--", validated_path], check=True)',
      fix: 'Use an absolute, fixed executable; validate arguments against an allow-list and put `--` before user-supplied operands.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://security.openstack.org/guidelines/dg_use-subprocess-securely.html',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: `Names are resolved (aliases, from-imports with \`as\`, names assigned from \`subprocess.Popen\`; a local function of the same name is not matched), and \`shell=\` is evaluated as a constant (\`shell=USE_SHELL\` with \`USE_SHELL = False\` is still this rule). ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const launch = processLaunch(ctx, call);
      if (launch?.family !== 'subprocess' || shellArgument(ctx, call) !== false) return;
      ctx.report(node, { message: `${launch.name}() without a shell: check that no part of the program or its arguments comes from untrusted input` });
    },
  },
});
