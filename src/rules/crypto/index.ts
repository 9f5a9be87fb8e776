import type { Rule } from '../rule.js';

/** B5xx: cryptography and transport security. */
export const cryptoRules: Rule[] = [];
