import type { Rule } from '../rule.js';
import { marshalCall, pickleCall } from './deserialization-calls.js';
import { evalCall } from './eval-call.js';
import { hashlibWeakHash } from './hashlib.js';
import { ftplibImport, httpoxyImport, pickleImport, pycryptoImport, pyghmiImport, subprocessImport, telnetlibImport } from './imports.js';
import { markSafeCall, mktempCall, randomCall } from './misc-calls.js';
import { ftpCall, telnetCall, unverifiedContextCall, urlopenCall } from './network-calls.js';
import { ecbModeCall, weakCipherCall, weakHashCall } from './weak-crypto-calls.js';
import { xmlCElementTreeCall, xmlElementTreeCall, xmlExpatBuilderCall, xmlExpatReaderCall, xmlMinidomCall, xmlPulldomCall, xmlSaxCall } from './xml-calls.js';
import { xmlEtreeImport, xmlExpatImport, xmlMinidomImport, xmlPulldomImport, xmlrpcImport, xmlSaxImport } from './xml-imports.js';

/** B3xx and B4xx: Bandit's blacklisted calls and imports (B309, B320, B322, B325, B410, B414 were removed from Bandit). */
export const blacklistRules: Rule[] = [
  pickleCall, marshalCall, weakHashCall, weakCipherCall, ecbModeCall, mktempCall, evalCall, markSafeCall,
  urlopenCall, randomCall, telnetCall,
  xmlCElementTreeCall, xmlElementTreeCall, xmlExpatReaderCall, xmlExpatBuilderCall, xmlSaxCall, xmlMinidomCall, xmlPulldomCall,
  ftpCall, unverifiedContextCall, hashlibWeakHash,
  telnetlibImport, ftplibImport, pickleImport, subprocessImport,
  xmlEtreeImport, xmlSaxImport, xmlExpatImport, xmlMinidomImport, xmlPulldomImport, xmlrpcImport,
  httpoxyImport, pycryptoImport, pyghmiImport,
];
