import { argument } from '../arguments.js';
import { defineRule } from '../rule.js';

/** `pysnmp.hlapi.CommunityData` and its re-exports (`pysnmp.hlapi.asyncio`, `pysnmp.hlapi.v3arch`, ...). */
export function isPysnmpHlapi(qname: string | undefined, name: string): boolean {
  return qname !== undefined && qname.startsWith('pysnmp.hlapi.') && qname.endsWith(`.${name}`);
}

export const SNMP_REFERENCES = [
  'https://www.rfc-editor.org/rfc/rfc3414',
  'https://docs.lextudio.com/pysnmp/v7.1/docs/api-reference#security-parameters',
  'https://cwe.mitre.org/data/definitions/319.html',
];

export const snmpInsecureVersion = defineRule({
  meta: {
    id: 'B508',
    name: 'snmp_insecure_version',
    severity: 'medium',
    confidence: 'high',
    cwe: 319,
    doc: {
      summary: 'SNMPv1/v2c (pysnmp CommunityData): community string and data travel in clear text',
      why: 'SNMPv1 and v2c authenticate with a community string sent in clear text and do not encrypt anything. Anyone who can sniff the network learns the community (often granting write access to network devices) and all the management data.',
      bad: "auth = CommunityData('public', mpModel=0)",
      good: "auth = UsmUserData('monitor', authKey=AUTH_KEY, privKey=PRIV_KEY,\n                   authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)",
      fix: 'Use SNMPv3 with authentication and privacy: UsmUserData(user, authKey, privKey) with SHA and AES.',
      references: SNMP_REFERENCES,
      banditDifferences:
        'Also flags CommunityData without mpModel (its default, 1, is SNMPv2c) and mpModel given positionally, through a constant or `**{...}`; ' +
        'resolves aliases and the `pysnmp.hlapi.*` re-exports (asyncio, v3arch, v1arch). An mpModel pyward cannot resolve is not flagged.',
    },
  },
  callNames: ['CommunityData'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!isPysnmpHlapi(call.qname, 'CommunityData')) return;
      const model = argument(call, 'mpModel', 2);
      let version: string;
      if (model) {
        const v = ctx.constant(model);
        if (v !== 0 && v !== 1) return;
        version = v === 0 ? 'SNMPv1' : 'SNMPv2c';
      } else {
        if (call.hasUnknownKwargs || call.hasStarArgs) return;
        version = 'SNMPv2c (the default mpModel=1)';
      }
      ctx.report(node, { message: `${version} sends the community string and data in clear text; use SNMPv3 (UsmUserData with authKey and privKey)` });
    },
  },
});
