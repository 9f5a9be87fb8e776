import { defineRule } from '../rule.js';

export const paramikoExecCommand = defineRule({
  meta: {
    id: 'B601',
    name: 'paramiko_calls',
    severity: 'medium',
    confidence: 'medium',
    cwe: 78,
    doc: {
      summary: 'Paramiko exec_command(): the command runs in the remote user\'s shell',
      why: 'SSHClient.exec_command sends the string to the remote host, where the login shell interprets it. If any part comes from outside, an attacker can chain their own commands (`; rm -rf ~`) and run them on the remote machine with that account\'s rights.',
      bad: 'client.exec_command(f"cat /var/log/{name}")',
      good: 'client.exec_command("cat /var/log/" + shlex.quote(name))',
      fix: 'Build remote commands from fixed text and shlex.quote() every value, or validate values against an allow-list.',
      references: [
        'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.exec_command',
        'https://docs.python.org/3/library/shlex.html#shlex.quote',
        'https://cwe.mitre.org/data/definitions/78.html',
      ],
      banditDifferences: 'Only method calls (`client.exec_command(...)`) in files that import paramiko are checked, so a plain function named `exec_command` is not flagged.',
    },
  },
  callNames: ['exec_command'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.name !== 'exec_command' || call.func.type !== 'attribute' || !ctx.imports('paramiko')) return;
      ctx.report(node, {
        message: 'exec_command() runs the string in the remote shell: quote every value with shlex.quote or keep the command literal',
      });
    },
  },
});
