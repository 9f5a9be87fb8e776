import type { Rule } from '../rule.js';

/** B3xx and B4xx: Bandit's blacklisted calls and imports. */
export const blacklistRules: Rule[] = [];
