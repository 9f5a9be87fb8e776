import { defineRule } from '../rule.js';
import { launchCallNames, leadingText, processLaunch, SHELL_INJECTION_DEFAULTS, SHELL_INJECTION_OPTIONS_DOC } from './process-launch.js';

/** Absolute or explicitly relative: a drive letter, a slash or backslash, or a dot (Bandit's `full_path_match`). */
const FULL_PATH = /^(?:[A-Za-z](?=:)|[\\/.])/;

export const startProcessPartialPath = defineRule({
  meta: {
    id: 'B607',
    name: 'start_process_with_partial_path',
    severity: 'low',
    confidence: 'high',
    cwe: 78,
    options: SHELL_INJECTION_DEFAULTS,
    doc: {
      summary: 'A process is started by bare program name, so PATH decides which binary runs',
      why: 'A command like `git` or `["ls", "-l"]` is looked up in PATH (and on Windows the current directory first). Anyone who can change PATH or drop a file earlier in it, for example in a writable working directory, makes the program run their binary instead.',
      bad: 'subprocess.run(["git", "pull"], check=True)',
      good: 'GIT = shutil.which("git") or "/usr/bin/git"\nsubprocess.run([GIT, "pull"], check=True)',
      fix: 'Start the program by absolute path, or resolve it once with shutil.which and check the result.',
      references: [
        'https://docs.python.org/3/library/subprocess.html#subprocess.Popen',
        'https://docs.python.org/3/library/shutil.html#shutil.which',
        'https://cwe.mitre.org/data/definitions/426.html',
      ],
      banditDifferences: `Looks through names (\`cmd = ["git", "pull", url]; subprocess.run(cmd)\`), lists with non-literal elements, f-strings and \`+\`/\`%\` commands that start with literal text (\`f"git clone {url}"\`), and commands passed by keyword; commands whose program comes from a call (\`shutil.which("git")\`) or a variable are not partial paths. For \`os.spawn*\` the program is the second argument (Bandit checks the mode and never fires). Includes asyncio's shell launchers. ${SHELL_INJECTION_OPTIONS_DOC}`,
    },
  },
  callNames: launchCallNames,
  visit: {
    call(node, ctx) {
      const launch = processLaunch(ctx, ctx.call(node));
      if (!launch?.command) return;
      const text = leadingText(ctx, launch.command);
      if (text === undefined || text.trim() === '' || FULL_PATH.test(text.trimStart())) return;
      const program = text.trim().split(/\s+/)[0];
      ctx.report(node, { message: `${launch.name}() starts "${program}" by partial path: PATH decides which binary runs; use an absolute path or shutil.which` });
    },
  },
});
