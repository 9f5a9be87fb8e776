import type { Rule } from '../rule.js';
import { hardCodedCredential } from './hard-coded-credential.js';
import { passwordInConnectionString } from './password-in-connection-string.js';
import { privateKeyInSource } from './private-key-in-source.js';

/** PW4xx: credentials in code and configuration files, recognised by their structure (see detect.ts). */
export const secretRules: Rule[] = [hardCodedCredential, privateKeyInSource, passwordInConnectionString];
