import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';
import { SSL_REFERENCES } from './ssl-bad-version.js';

export const sslWithNoVersion = defineRule({
  meta: {
    id: 'B504',
    name: 'ssl_with_no_version',
    severity: 'low',
    confidence: 'medium',
    cwe: 327,
    doc: {
      summary: 'ssl.wrap_socket without ssl_version: the negotiated protocol may be a broken one',
      why: 'ssl.wrap_socket() without a protocol uses PROTOCOL_TLS with no minimum version and no certificate or hostname checks, so depending on the OpenSSL build it can negotiate SSLv3/TLS 1.0 and accept any server. ssl.wrap_socket was deprecated in Python 3.7 and removed in 3.12.',
      bad: 'tls = ssl.wrap_socket(sock)',
      good: 'context = ssl.create_default_context()\ncontext.minimum_version = ssl.TLSVersion.TLSv1_2\ntls = context.wrap_socket(sock, server_hostname=host)',
      fix: 'Replace ssl.wrap_socket() with ssl.create_default_context().wrap_socket(sock, server_hostname=host).',
      references: ['https://docs.python.org/3/library/ssl.html#ssl.create_default_context', ...SSL_REFERENCES],
      banditDifferences:
        'Resolves aliases (`from ssl import wrap_socket as wrap`); the protocol also counts when passed positionally (6th argument) or through `**kwargs` that may hold it, ' +
        'so `ssl.wrap_socket(sock, **options)` is not flagged.',
    },
  },
  callNames: ['wrap_socket'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.qname !== 'ssl.wrap_socket') return;
      if (argument(call, 'ssl_version', 5) || call.hasUnknownKwargs || call.hasStarArgs) return;
      ctx.report(node, {
        message: 'ssl.wrap_socket() without ssl_version may negotiate a broken SSL/TLS version; use ssl.create_default_context().wrap_socket()',
      });
    },
  },
});
