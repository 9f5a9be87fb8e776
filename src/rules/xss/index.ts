import type { Rule } from '../rule.js';

/** B7xx: cross-site scripting and templating. */
export const xssRules: Rule[] = [];
