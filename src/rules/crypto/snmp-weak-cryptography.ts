import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';
import { isPysnmpHlapi, SNMP_REFERENCES } from './snmp-insecure-version.js';

/** Protocols that switch authentication or privacy off, or encrypt with single DES. */
const WEAK_PROTOCOLS: Record<string, string> = {
  usmNoAuthProtocol: 'no authentication',
  usmNoPrivProtocol: 'no encryption',
  usmDESPrivProtocol: 'single-DES encryption',
  // pysnmp 7 names
  USM_AUTH_NONE: 'no authentication',
  USM_PRIV_NONE: 'no encryption',
  USM_PRIV_CBC56_DES: 'single-DES encryption',
};

export const snmpWeakCryptography = defineRule({
  meta: {
    id: 'B509',
    name: 'snmp_weak_cryptography',
    severity: 'medium',
    confidence: 'high',
    cwe: 319,
    doc: {
      summary: 'SNMPv3 user without encryption (noAuthNoPriv / authNoPriv) or with DES',
      why: 'An SNMPv3 user with no privacy key sends every request and response in clear text, and without an auth key anyone can forge requests. Network management data (device configuration, credentials in MIBs) is exposed to anyone on the path.',
      bad: "UsmUserData('monitor')\nUsmUserData('monitor', authKey=AUTH_KEY)",
      good: "UsmUserData('monitor', authKey=AUTH_KEY, privKey=PRIV_KEY,\n            authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)",
      fix: 'Pass both authKey and privKey (authPriv), with a SHA auth protocol and an AES privacy protocol.',
      references: SNMP_REFERENCES,
      banditDifferences:
        'Bandit counts positional arguments only, so `UsmUserData("u", authKey=a, privKey=p)` is a false positive there; pyward checks that authKey and privKey are present ' +
        '(by keyword or position, not None). Also flags an explicit usmNoAuthProtocol, usmNoPrivProtocol or usmDESPrivProtocol (or their pysnmp 7 names USM_AUTH_NONE, USM_PRIV_NONE, USM_PRIV_CBC56_DES), and resolves aliases and `pysnmp.hlapi.*` re-exports.',
    },
  },
  callNames: ['UsmUserData'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!isPysnmpHlapi(call.qname, 'UsmUserData')) return;
      if (call.hasUnknownKwargs || call.hasStarArgs) return;
      for (const [keyword, index] of [['authProtocol', 3], ['privProtocol', 4]] as const) {
        const p = argument(call, keyword, index);
        const name = p && ctx.qname(p.node)?.split('.').pop();
        if (name && name in WEAK_PROTOCOLS && ctx.qname(p.node)!.startsWith('pysnmp.')) {
          ctx.report(node, { message: `SNMPv3 user with ${name} (${WEAK_PROTOCOLS[name]}); use SHA authentication and AES privacy` });
          return;
        }
      }
      const missing = (['authKey', 'privKey'] as const).filter((k, i) => {
        const a = argument(call, k, i + 1);
        return !a || ctx.constant(a) === null;
      });
      if (missing.length === 0) return;
      const level = missing.includes('authKey') ? 'noAuthNoPriv' : 'authNoPriv';
      ctx.report(node, { message: `SNMPv3 without encryption (${level}: no ${missing.join(' or ')}) is insecure; pass authKey and privKey` });
    },
  },
});
