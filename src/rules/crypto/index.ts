import type { Rule } from '../rule.js';
import { ecbMode } from './ecb-mode.js';
import { hardCodedSigningKey } from './hard-coded-signing-key.js';
import { insecureRandomForSecret } from './insecure-random-for-secret.js';
import { jwtAlgorithmsNotPinned } from './jwt-algorithms-not-pinned.js';
import { jwtSignatureNotVerified } from './jwt-signature-not-verified.js';
import { requestWithoutCertValidation } from './request-without-cert-validation.js';
import { snmpInsecureVersion } from './snmp-insecure-version.js';
import { snmpWeakCryptography } from './snmp-weak-cryptography.js';
import { sshNoHostKeyVerification } from './ssh-no-host-key-verification.js';
import { sslWithBadDefaults } from './ssl-bad-defaults.js';
import { sslWithBadVersion } from './ssl-bad-version.js';
import { sslWithNoVersion } from './ssl-no-version.js';
import { staticIvOrNonce } from './static-iv-or-nonce.js';
import { timingUnsafeComparison } from './timing-unsafe-comparison.js';
import { weakCryptographicKey } from './weak-cryptographic-key.js';
import { weakPasswordHashing } from './weak-password-hashing.js';
import { yamlLoad } from './yaml-load.js';

/** B5xx: cryptography and transport security; PW3xx: cryptography and authentication (JWT, keys, IVs, modes, password hashing). */
export const cryptoRules: Rule[] = [
  requestWithoutCertValidation,
  sslWithBadVersion,
  sslWithBadDefaults,
  sslWithNoVersion,
  weakCryptographicKey,
  yamlLoad,
  sshNoHostKeyVerification,
  snmpInsecureVersion,
  snmpWeakCryptography,
  jwtSignatureNotVerified,
  jwtAlgorithmsNotPinned,
  hardCodedSigningKey,
  staticIvOrNonce,
  weakPasswordHashing,
  insecureRandomForSecret,
  ecbMode,
  timingUnsafeComparison,
];
