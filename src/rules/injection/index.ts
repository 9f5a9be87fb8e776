import type { Rule } from '../rule.js';

/** B6xx: injection. */
export const injectionRules: Rule[] = [];
