import { defineRule, type Visitor } from '../rule.js';
import { BAD_PROTOCOL_VERSIONS, badVersions, protocolName, SSL_REFERENCES } from './ssl-bad-version.js';

const DEFAULT_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter']);

const check: Visitor = (node, ctx) => {
  const params = node.childForFieldName('parameters');
  if (!params) return;
  const bad = badVersions(ctx);
  for (const p of params.namedChildren) {
    if (!p || !DEFAULT_PARAMETERS.has(p.type)) continue;
    const value = p.childForFieldName('value');
    const name = value && protocolName(ctx, value);
    if (!name || !bad.has(name)) continue;
    const param = p.childForFieldName('name')?.text ?? 'parameter';
    ctx.report(node.type === 'lambda' ? node : (node.childForFieldName('name') ?? node), {
      endNode: p,
      message: `Parameter '${param}' defaults to insecure SSL/TLS protocol ${name}; default to TLS 1.2 or later`,
    });
    return;
  }
};

export const sslWithBadDefaults = defineRule({
  meta: {
    id: 'B503',
    name: 'ssl_with_bad_defaults',
    severity: 'medium',
    confidence: 'medium',
    cwe: 327,
    options: { bad_protocol_versions: BAD_PROTOCOL_VERSIONS },
    doc: {
      summary: 'Function whose parameter defaults to a broken SSL/TLS protocol version',
      why: 'Every caller that does not pass the argument gets SSLv2/SSLv3/TLS 1.0/TLS 1.1, which can be downgraded and decrypted by an attacker on the network. The insecure choice is hidden in the signature, far from the connection.',
      bad: 'def open_tls(sock, version=ssl.PROTOCOL_TLSv1):\n    return ssl.wrap_socket(sock, ssl_version=version)',
      good: 'def open_tls(sock, host):\n    return ssl.create_default_context().wrap_socket(sock, server_hostname=host)',
      fix: 'Default to ssl.PROTOCOL_TLS_CLIENT (or SSL.TLS_METHOD) and enforce minimum_version = TLS 1.2.',
      references: SSL_REFERENCES,
      banditDifferences:
        'The default is resolved through aliases and variables; keyword-only parameters and lambdas are checked too (Bandit only looks at positional defaults of `def`). ' +
        'Uses the same `bad_protocol_versions` option as B502, set under this rule id.',
    },
  },
  visit: {
    function_definition: check,
    lambda: check,
  },
});
