import { keywordIsTrue, keywordAnchor } from '../arguments.js';
import { defineRule } from '../rule.js';
import { launchCallNames, literalText, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC } from './process-launch.js';

/** Commands whose options can be smuggled in as file names (`--checkpoint-action=exec=...`, `--reference=...`, `-e sh`). */
const VULNERABLE = /(?:^|[\s/;&|(`'"])(chown|chmod|tar|rsync)(?=$|[\s;&|)`'"])/;

export const wildcardInShellCommand = defineRule({
  meta: {
    id: 'B609',
    name: 'linux_commands_wildcard_injection',
    severity: 'high',
    confidence: 'medium',
    cwe: 155,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'chown, chmod, tar or rsync run through a shell with a `*` wildcard',
      why: 'The shell expands `*` into file names before the command sees them. A file named `--checkpoint-action=exec=sh x.sh` (tar), `--reference=owned` (chown/chmod) or `-e sh x.sh` (rsync) in that directory becomes an option: whoever can create files there runs commands or takes over files with the rights of the process, often root in cron jobs and deploy scripts.',
      bad: 'os.system("tar czf /backup/site.tgz *")',
      good: 'subprocess.run(["tar", "czf", "/backup/site.tgz", "--", *os.listdir(".")], check=True)',
      fix: 'Do not let the shell expand wildcards: list the files in Python and pass them after `--` without a shell.',
      references: [
        'https://www.exploit-db.com/papers/33930',
        'https://cwe.mitre.org/data/definitions/155.html',
      ],
      banditDifferences: `Matches chown/chmod/tar/rsync as whole command words (Bandit matches substrings, so \`start\` or \`guitar\` counted as \`tar\`). Reads the literal parts of commands built at runtime (f-strings, \`+\`, lists, names bound to them) and asyncio's shell launchers; \`shell=\` is evaluated as a constant (\`shell=USE_SHELL\`, \`**{"shell": True}\`). ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const launch = processLaunch(ctx, call);
      if (!launch?.command) return;
      if (launch.family === 'no_shell' || (launch.family === 'subprocess' && !keywordIsTrue(ctx, call, 'shell'))) return;
      const text = literalText(ctx, launch.command);
      const m = VULNERABLE.exec(text);
      if (!m || !text.includes('*')) return;
      ctx.report(node, { at: keywordAnchor(call, 'shell'), message: `${launch.name}() runs ${m[1]} with a * wildcard through the shell: a file named like an option (--checkpoint-action=..., --reference=...) becomes an argument; list the files in Python and pass them after --` });
    },
  },
});
