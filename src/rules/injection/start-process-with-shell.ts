import { defineRule } from '../rule.js';
import { isLiteralCommand, launchCallNames, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC } from './process-launch.js';

export const startProcessWithShell = defineRule({
  meta: {
    id: 'B605',
    name: 'start_process_with_a_shell',
    severity: 'high',
    confidence: 'high',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'A process is started through a shell (os.system, os.popen, asyncio.create_subprocess_shell, ...)',
      why: 'These functions hand the whole string to /bin/sh (cmd.exe on Windows), which interprets `;`, `|`, `&&`, `$(...)` and globs. If any part of the string comes from outside, an attacker can run their own commands with the rights of the process. A literal command is safe as written but becomes injectable once a variable is formatted into it.',
      bad: 'os.system("ping -c 1 " + host)',
      good: 'subprocess.run(["ping", "-c", "1", host], check=True)',
      fix: 'Use subprocess.run (or asyncio.create_subprocess_exec) with an argument list and no shell.',
      references: [
        'https://docs.python.org/3/library/os.html#os.system',
        'https://docs.python.org/3/library/asyncio-subprocess.html#asyncio.create_subprocess_shell',
        'https://security.openstack.org/guidelines/dg_avoid-shell-true.html',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: `Also flags asyncio's shell launchers, \`asyncio.create_subprocess_shell(cmd)\` and \`loop.subprocess_shell(factory, cmd)\` (on any loop object in a file that imports asyncio), which Bandit does not know. Names are resolved (\`from os import system as run\`, \`launch = os.system\`; a local \`def system\` is not matched), as in Bandit only a command written as literal text is LOW, and commands passed by keyword are checked. ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const launch = processLaunch(ctx, ctx.call(node));
      if (launch?.family !== 'shell' || !launch.command) return;
      if (isLiteralCommand(ctx, launch.command)) {
        ctx.report(node, {
          severity: 'low',
          message: `${launch.name}() runs a literal command through the shell: safe as written, but use subprocess.run with an argument list before anyone formats a variable into it`,
        });
      } else {
        ctx.report(node, {
          message: `${launch.name}() runs a command built at runtime through the shell: anything an attacker controls in it can add commands; use subprocess.run with an argument list`,
        });
      }
    },
  },
});
