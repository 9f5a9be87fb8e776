import { defineRule } from '../rule.js';

export const commandInjection = defineRule({
  meta: {
    id: 'PW102',
    name: 'command-injection',
    severity: 'high',
    confidence: 'high',
    cwe: 78,
    doc: {
      summary: 'Untrusted data reaches a shell command or the name of a program to run.',
      why: 'In a shell command, `;`, `|`, `$(...)` and backticks start new commands: whoever controls the value runs programs on the server with its privileges. As a program name, the value picks what runs.',
      bad: 'host = request.args["host"]\nsubprocess.run(f"ping -c 1 {host}", shell=True)',
      good: 'host = request.args["host"]\nsubprocess.run(["ping", "-c", "1", host], check=True)',
      fix: 'Pass a list of arguments without `shell=True` and a fixed program; if a shell is unavoidable, quote every value with `shlex.quote`.',
      references: ['https://cwe.mitre.org/data/definitions/78.html', 'https://docs.python.org/3/library/subprocess.html#security-considerations', 'https://docs.python.org/3/library/shlex.html#shlex.quote'],
      banditDifferences: 'Bandit\'s B602/B605 flag every shell call with a non-literal command; PW102 needs untrusted data to reach it and shows the path. Where both fire, reviews show PW102 once.',
    },
  },
  visit: {},
  dataflow: { covers: ['B602', 'B603', 'B604', 'B605', 'B606', 'B609', 'B601'], danger: 'runs as a command' },
});
