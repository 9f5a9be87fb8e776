import type { Rule } from '../rule.js';
import { execUsed } from './exec-used.js';

/** B1xx and B2xx: miscellaneous checks and framework settings. */
export const miscRules: Rule[] = [execUsed];
