import { defineRule } from '../rule.js';
import { launchCallNames, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC } from './process-launch.js';

export const startProcessWithoutShell = defineRule({
  meta: {
    id: 'B606',
    name: 'start_process_with_no_shell',
    severity: 'low',
    confidence: 'medium',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'A process is started without a shell (os.exec*, os.spawn*, os.posix_spawn*, os.startfile): an audit point',
      why: 'No shell means no metacharacter injection, but whoever controls the path or arguments chooses what program runs and with which options, with the rights of the process. os.startfile opens any file with its associated application.',
      bad: 'os.execvp(tool, [tool, user_arg])',
      good: 'os.execv("/usr/bin/convert", ["convert", "--", validated_path])',
      fix: 'Run a fixed program by absolute path and validate every argument that comes from outside.',
      references: [
        'https://docs.python.org/3/library/os.html#process-management',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: `Names are resolved (\`from os import execvp as ex\`; a local function of the same name is not matched). \`os.posix_spawn\` and \`os.posix_spawnp\` are in the default \`no_shell\` list. ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const launch = processLaunch(ctx, ctx.call(node));
      if (launch?.family !== 'no_shell') return;
      ctx.report(node, { message: `${launch.name}() starts a process without a shell: check that the program and its arguments cannot come from untrusted input` });
    },
  },
});
