import type { Rule } from '../rule.js';
import { catastrophicBacktracking } from './catastrophic-backtracking.js';

/** PW111: regular expressions a crafted input can make backtrack catastrophically. */
export const regexRules: Rule[] = [catastrophicBacktracking];
