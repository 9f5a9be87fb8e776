/** Every rule pyward has, by family. The registry test checks each entry's shape and documentation. */
import type { Config } from '../config/schema.js';
import { blacklistRules } from './blacklist/index.js';
import { cryptoRules } from './crypto/index.js';
import { injectionRules } from './injection/index.js';
import { miscRules } from './misc/index.js';
import type { Rule } from './rule.js';
import { xssRules } from './xss/index.js';

export const RULE_FAMILIES: Readonly<Record<string, Rule[]>> = {
  misc: miscRules,
  blacklist: blacklistRules,
  crypto: cryptoRules,
  injection: injectionRules,
  xss: xssRules,
};

export const ALL_RULES: readonly Rule[] = Object.values(RULE_FAMILIES)
  .flat()
  .sort((a, b) => a.meta.id.localeCompare(b.meta.id));

function matches(rule: Rule, wanted: string[]): boolean {
  return wanted.some((w) => {
    const u = w.toUpperCase();
    return u === rule.meta.id || w.toLowerCase() === rule.meta.name.toLowerCase() || (u === 'B001' && /^B[34]\d\d$/.test(rule.meta.id)) || (/^[A-Z]+\d?$/.test(u) && u.length < 4 && rule.meta.id.startsWith(u));
  });
}

/** Rules that run under a config: `rules.select` (ids, names, or prefixes like `B6`) then minus `rules.disable`. */
export function selectRules(config: Pick<Config, 'rules'>, rules: readonly Rule[] = ALL_RULES): Rule[] {
  const { select, disable } = config.rules;
  return rules.filter((r) => (select.length === 0 || matches(r, select)) && !matches(r, disable));
}

/** Words in a select/disable list that name no rule: reported as config errors, so typos are not silent. */
export function unknownRuleWords(words: string[], rules: readonly Rule[] = ALL_RULES): string[] {
  return words.filter((w) => !rules.some((r) => matches(r, [w])));
}
