import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';

export const loggingConfigListen = defineRule({
  meta: {
    id: 'B612',
    name: 'logging_config_insecure_listen',
    severity: 'medium',
    confidence: 'high',
    cwe: 94,
    doc: {
      summary: 'logging.config.listen() without a verify function',
      why: 'listen() opens a socket that accepts new logging configurations and applies them; configurations can name classes and factories to import and call, so whoever can connect to the port (any local user or process, or more if the port is forwarded) can run code in the process.',
      bad: 'thread = logging.config.listen(9999)',
      good: 'thread = logging.config.listen(9999, verify=check_hmac_signature)',
      fix: 'Pass verify= a function that checks a signature (or decrypts) the received bytes and returns None for anything else.',
      references: [
        'https://docs.python.org/3/library/logging.config.html#logging.config.listen',
        'https://cwe.mitre.org/data/definitions/94.html',
      ],
      banditDifferences: 'Names are resolved (`from logging.config import listen`, aliases). `verify` passed positionally counts, and `verify=None` is flagged (it disables verification); a call with `**kwargs` that might carry verify is not flagged.',
    },
  },
  callNames: ['listen'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.qname !== 'logging.config.listen') return;
      const verify = argument(call, 'verify', 1);
      if (verify ? ctx.constant(verify) !== null : call.hasUnknownKwargs || call.hasStarArgs) return;
      ctx.report(node, { message: 'logging.config.listen() without verify applies any configuration sent to its port, and configurations can run code; pass verify= a function that checks a signature' });
    },
  },
});
