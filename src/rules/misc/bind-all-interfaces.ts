import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isBareStatement, isOnlyCompared, isWholeLiteral } from './common.js';

/** `"::"` is the IPv6 any-address, but also an ordinary separator: only flag it where a host is expected. */
function isHostPosition(node: Node): boolean {
  const p = node.parent;
  if (p?.type === 'keyword_argument') return p.childForFieldName('name')?.text === 'host' && p.childForFieldName('value')?.equals(node) === true;
  // sock.bind(("::", 8080))
  if (p?.type === 'tuple' && p.namedChildren[0]?.equals(node)) {
    const args = p.parent;
    const fn = args?.type === 'argument_list' ? args.parent?.childForFieldName('function') : undefined;
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'bind';
  }
  return false;
}

function check(node: Node, ctx: RuleContext): void {
  // The value first: it is computed once per literal for every rule, the position checks are not.
  const s = ctx.string(node);
  if (!s || s.dynamic || s.isBytes || (s.value !== '0.0.0.0' && s.value !== '::')) return;
  if (!isWholeLiteral(node) || isBareStatement(node) || isOnlyCompared(node)) return;
  if (s.value === '0.0.0.0' || isHostPosition(node)) {
    ctx.report(node, {
      message: `Binding to "${s.value}" listens on every network interface, exposing the service to any network the host is on; bind to ${s.value === '::' ? '"::1"' : '"127.0.0.1"'} or a specific address taken from configuration.`,
    });
  }
}

export const bindAllInterfaces = defineRule({
  meta: {
    id: 'B104',
    name: 'hardcoded_bind_all_interfaces',
    severity: 'medium',
    confidence: 'medium',
    cwe: 605,
    doc: {
      summary: 'Hard-coded "0.0.0.0": binding to all network interfaces',
      why: 'A server bound to 0.0.0.0 accepts connections on every interface of the host, including public ones, not just the one it was meant for. Debug servers, admin endpoints and databases bound this way become reachable from networks their authors never intended.',
      bad: 'sock.bind(("0.0.0.0", 8080))\napp.run(host="0.0.0.0")',
      good: 'sock.bind((settings.LISTEN_ADDRESS, 8080))  # e.g. "127.0.0.1"\napp.run(host="127.0.0.1")',
      fix: 'Bind to 127.0.0.1 or a specific interface address read from configuration.',
      references: ['https://cwe.mitre.org/data/definitions/605.html', 'https://docs.python.org/3/library/socket.html#socket.socket.bind'],
      banditDifferences: 'Also flags the IPv6 any-address "::" where a host is expected (`host="::"`, `sock.bind(("::", port))`). Does not flag "0.0.0.0" in comparisons (`if host == "0.0.0.0":`), in `startswith` checks, or in docstrings, where the code is checking for the value rather than binding to it.',
    },
  },
  visit: { string: check, concatenated_string: check },
});
