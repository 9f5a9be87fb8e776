import type { Rule } from '../rule.js';
import { requestWithoutCertValidation } from './request-without-cert-validation.js';
import { snmpInsecureVersion } from './snmp-insecure-version.js';
import { snmpWeakCryptography } from './snmp-weak-cryptography.js';
import { sshNoHostKeyVerification } from './ssh-no-host-key-verification.js';
import { sslWithBadDefaults } from './ssl-bad-defaults.js';
import { sslWithBadVersion } from './ssl-bad-version.js';
import { sslWithNoVersion } from './ssl-no-version.js';
import { weakCryptographicKey } from './weak-cryptographic-key.js';
import { yamlLoad } from './yaml-load.js';

/** B5xx: cryptography and transport security. */
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
];
