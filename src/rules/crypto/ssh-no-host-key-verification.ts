import { replaceNode } from '../fixes.js';
import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';

const TRUSTING_POLICIES = new Set(['AutoAddPolicy', 'WarningPolicy']);

export const sshNoHostKeyVerification = defineRule({
  meta: {
    id: 'B507',
    name: 'ssh_no_host_key_verification',
    severity: 'high',
    confidence: 'medium',
    cwe: 295,
    doc: {
      summary: 'Paramiko client set to trust unknown SSH host keys (AutoAddPolicy / WarningPolicy)',
      why: 'The host key is what proves the SSH server is the one you meant to reach. AutoAddPolicy and WarningPolicy accept any key from a host not in known_hosts, so an attacker on the network path can impersonate the server and capture the password or key-authenticated session, commands and data.',
      bad: 'client = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())',
      good: 'client = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())',
      fix: 'Load known host keys (load_system_host_keys / load_host_keys) and use RejectPolicy (the default).',
      references: [
        'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy',
        'https://cwe.mitre.org/data/definitions/295.html',
      ],
      banditDifferences:
        'The policy is resolved by qualified name: paramiko\'s AutoAddPolicy/WarningPolicy are found as a class or an instance, through aliases ' +
        '(`from paramiko.client import AutoAddPolicy as Trust`), variables (`policy = paramiko.AutoAddPolicy()`) and the `policy=` keyword; ' +
        'a class of the same name that is not paramiko\'s is not flagged. Bandit only requires paramiko to be imported and compares the bare name.',
    },
  },
  callNames: ['set_missing_host_key_policy'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.name !== 'set_missing_host_key_policy' || call.func.type !== 'attribute') return;
      const policy = argument(call, 'policy', 0);
      const q = policy && ctx.qname(policy.node)?.replace(/\(\)$/, '');
      if (!q?.startsWith('paramiko.')) return;
      const name = q.split('.').pop()!;
      if (!TRUSTING_POLICIES.has(name)) return;
      // `paramiko.AutoAddPolicy()` written in place: the same module's RejectPolicy (an imported name would need an import)
      const fn = policy?.node.type === 'call' ? policy.node.childForFieldName('function') : null;
      const attribute = fn?.type === 'attribute' ? fn.childForFieldName('attribute') : null;
      const description = 'Load the known hosts (client.load_system_host_keys()) and reject unknown keys with RejectPolicy';
      ctx.report(node, {
        message: `Paramiko ${name} trusts unknown SSH host keys, allowing man-in-the-middle attacks; load known hosts and use RejectPolicy`,
        fix: attribute?.text === name ? replaceNode(attribute, 'RejectPolicy', description) : { description },
      });
    },
  },
});
