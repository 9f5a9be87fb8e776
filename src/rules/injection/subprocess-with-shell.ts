import { keywordAnchor } from '../arguments.js';
import { defineRule } from '../rule.js';
import { isLiteralCommand, launchCallNames, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC, shellArgument } from './process-launch.js';

export const subprocessWithShell = defineRule({
  meta: {
    id: 'B602',
    name: 'subprocess_popen_with_shell_equals_true',
    severity: 'high',
    confidence: 'high',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'subprocess call with shell=True: the command line is interpreted by /bin/sh',
      why: 'With shell=True the command string goes to the system shell, which expands `;`, `&&`, `|`, `$(...)`, backticks and globs. If any part of the string comes from a user, a file or the network, an attacker can append their own commands and run them with the rights of the process. A literal command is safe today but becomes injectable the day someone formats a variable into it.',
      bad: 'subprocess.run(f"convert {upload_path} out.png", shell=True)',
      good: 'subprocess.run(["convert", upload_path, "out.png"], check=True)',
      fix: 'Pass the command as a list of arguments and drop shell=True; use shlex.quote only if a shell is truly needed.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#security-considerations',
        'https://security.openstack.org/guidelines/dg_avoid-shell-true.html',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: `Names are resolved: \`import subprocess as sp\`, \`from subprocess import run as r\` and \`runner = subprocess.Popen\` are matched, a local function of the same name is not. \`shell=\` is evaluated as a constant (\`USE_SHELL = True; shell=USE_SHELL\`, \`shell=1\`, \`**{"shell": True}\`); a \`shell=\` expression that cannot be evaluated is still reported, as Bandit does, with confidence MEDIUM. A command passed as \`args=\` is checked too (Bandit needs a positional command). As in Bandit, only a command written as literal text is LOW (a name bound to text is HIGH: it may be rebound), and the finding is on the line of \`shell=\`. asyncio's shell launchers are reported by B605, not here. \`functools.partial(subprocess.run, shell=True)\` is reported where the partial is made (Bandit reports it as B604). ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const launch = processLaunch(ctx, call);
      if (launch?.family !== 'subprocess') return;
      const shell = shellArgument(ctx, call);
      if (shell === false) return;
      const confidence = shell === 'unknown' ? 'medium' : 'high';
      const at = keywordAnchor(call, 'shell');
      if (isLiteralCommand(ctx, launch.command)) {
        ctx.report(node, {
          at,
          severity: 'low',
          confidence,
          message: `${launch.name}() with shell=True runs a literal command through the shell: safe as written, but pass an argument list without shell=True before anyone formats a variable into it`,
        });
      } else if (call.via === 'functools.partial' && !launch.command) {
        ctx.report(node, {
          at,
          severity: 'high',
          confidence,
          message: `functools.partial(${launch.name}, shell=True): every call of it runs its command through the shell, where anything an attacker controls can add commands; pass argument lists without shell=True`,
        });
      } else {
        ctx.report(node, {
          at,
          severity: 'high',
          confidence,
          message: `${launch.name}() with shell=True runs a command built at runtime through the shell: anything an attacker controls in it can add commands; pass an argument list without shell=True`,
        });
      }
    },
  },
});
