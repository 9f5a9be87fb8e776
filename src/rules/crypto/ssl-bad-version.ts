import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg, CallInfo } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type RuleContext } from '../rule.js';

/** Bandit's `bad_protocol_versions` default, shared with B503. */
export const BAD_PROTOCOL_VERSIONS = [
  'PROTOCOL_SSLv2',
  'SSLv2_METHOD',
  'SSLv23_METHOD',
  'PROTOCOL_SSLv3',
  'PROTOCOL_TLSv1',
  'SSLv3_METHOD',
  'TLSv1_METHOD',
  'PROTOCOL_TLSv1_1',
  'TLSv1_1_METHOD',
];

export const SSL_REFERENCES = [
  'https://docs.python.org/3/library/ssl.html#protocol-versions',
  'https://www.rfc-editor.org/rfc/rfc8996',
  'https://en.wikipedia.org/wiki/POODLE',
  'https://cwe.mitre.org/data/definitions/327.html',
];

/** The protocol constant an expression names (`PROTOCOL_SSLv2` for `ssl.PROTOCOL_SSLv2`, an alias of it, or a name bound to it). */
export function protocolName(ctx: RuleContext, node: Node): string | undefined {
  if (node.type !== 'identifier' && node.type !== 'attribute') return undefined;
  const q = ctx.qname(node);
  return q?.split('.').pop();
}

/** The bad-protocol list from the options (Bandit's name), tolerating a malformed value. */
export function badVersions(ctx: RuleContext): Set<string> {
  let set = badVersionSets.get(ctx.options);
  if (!set) {
    const v = ctx.options.bad_protocol_versions;
    set = new Set(Array.isArray(v) ? v.map(String) : BAD_PROTOCOL_VERSIONS);
    badVersionSets.set(ctx.options, set);
  }
  return set;
}

/** Made once per rule options, not once per call. */
const badVersionSets = new WeakMap<Record<string, unknown>, Set<string>>();

/** Calls whose protocol argument Bandit treats as certain (HIGH/HIGH): keyword and position. */
const KNOWN: Record<string, { keyword: string; index: number }> = {
  'ssl.wrap_socket': { keyword: 'ssl_version', index: 5 },
  'ssl.SSLContext': { keyword: 'protocol', index: 0 },
  'OpenSSL.SSL.Context': { keyword: 'method', index: 0 },
  'pyOpenSSL.SSL.Context': { keyword: 'method', index: 0 },
};

function badArgument(ctx: RuleContext, call: CallInfo, bad: Set<string>): { arg: Arg; name: string; known: boolean } | undefined {
  const known = call.qname ? KNOWN[call.qname] : undefined;
  // Every call is seen: most have neither a protocol keyword nor a known protocol-taking callee
  if (!known && !call.keywords.has('method') && !call.keywords.has('ssl_version')) return undefined;
  const candidates = known ? [argument(call, known.keyword, known.index)] : [call.keywords.get('method'), call.keywords.get('ssl_version')];
  for (const arg of candidates) {
    const name = arg && protocolName(ctx, arg.node);
    if (arg && name && bad.has(name)) return { arg, name, known: known !== undefined };
  }
  return undefined;
}

export const sslWithBadVersion = defineRule({
  meta: {
    id: 'B502',
    name: 'ssl_with_bad_version',
    severity: 'high',
    confidence: 'high',
    cwe: 327,
    options: { bad_protocol_versions: BAD_PROTOCOL_VERSIONS },
    doc: {
      summary: 'SSL/TLS connection pinned to a broken protocol version (SSLv2, SSLv3, TLS 1.0, TLS 1.1)',
      why: 'SSLv2 and SSLv3 are broken (DROWN, POODLE) and TLS 1.0/1.1 are deprecated (RFC 8996, BEAST, weak MACs). A connection forced to one of them can be downgraded and decrypted by an attacker on the network, exposing credentials and session data.',
      bad: 'ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)\nSSL.Context(SSL.TLSv1_METHOD)',
      good: 'context = ssl.create_default_context()\ncontext.minimum_version = ssl.TLSVersion.TLSv1_2\ntls = context.wrap_socket(sock, server_hostname=host)',
      fix: 'Use ssl.create_default_context() (or PROTOCOL_TLS_CLIENT / SSL.TLS_METHOD) and set minimum_version to TLS 1.2 or later.',
      references: SSL_REFERENCES,
      banditDifferences:
        'The protocol constant is resolved through aliases and variables (`from ssl import PROTOCOL_SSLv2 as P`, `proto = ssl.PROTOCOL_TLSv1`). ' +
        'Also flags the positional protocol of `ssl.SSLContext(...)`, `OpenSSL.SSL.Context(...)` (the real module name; Bandit checks `pyOpenSSL.SSL.Context`) and `ssl.wrap_socket`, with HIGH/HIGH. ' +
        'As in Bandit, the finding is on the line of a protocol passed by keyword; a positional one is reported where the call starts.',
    },
  },
  // the known protocol-taking constructors, and any call passing a protocol keyword
  callNames: lastSegments(Object.keys(KNOWN)),
  callKeywords: ['method', 'ssl_version'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const hit = badArgument(ctx, call, badVersions(ctx));
      if (!hit) return;
      // As Bandit: on the line of the protocol argument when it is passed by keyword
      const at = hit.arg.node.parent?.type === 'keyword_argument' ? hit.arg.node.parent : undefined;
      if (hit.known) {
        ctx.report(node, { at, message: `${call.qname} with insecure protocol ${hit.name}; use a TLS 1.2+ context (ssl.create_default_context())` });
      } else {
        ctx.report(node, {
          at,
          severity: 'medium',
          confidence: 'medium',
          message: `Call passes insecure SSL/TLS protocol ${hit.name}; use TLS 1.2 or later`,
        });
      }
    },
  },
});
