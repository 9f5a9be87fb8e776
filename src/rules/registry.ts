/** Every rule pyward has, by family. The registry test checks each entry's shape and documentation. */
import type { Config, ConfigError } from '../config/schema.js';
import { blacklistRules } from './blacklist/index.js';
import { cryptoRules } from './crypto/index.js';
import { dependencyRules } from './dependencies/index.js';
import { injectionRules } from './injection/index.js';
import { miscRules } from './misc/index.js';
import { regexRules } from './regex/index.js';
import type { Rule } from './rule.js';
import { settingsRules } from './settings/index.js';
import { secretRules } from './secrets/index.js';
import { taintRules } from './taint/index.js';
import { xssRules } from './xss/index.js';

export const RULE_FAMILIES: Readonly<Record<string, Rule[]>> = {
  misc: miscRules,
  blacklist: blacklistRules,
  crypto: cryptoRules,
  injection: injectionRules,
  xss: xssRules,
  dependencies: dependencyRules,
  regex: regexRules,
  taint: taintRules,
  settings: settingsRules,
  secrets: secretRules,
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

/**
 * Rules that run under a config: `rules.select` (ids, names, or prefixes like `B6`) then minus
 * `rules.disable`; `rules.enable` wins over both (a repository turning back on what its org defaults disable).
 */
export function selectRules(config: Pick<Config, 'rules'>, rules: readonly Rule[] = ALL_RULES): Rule[] {
  const { select, disable, enable } = config.rules;
  return rules.filter((r) => matches(r, enable) || ((select.length === 0 || matches(r, select)) && !matches(r, disable)));
}

/** Words in a select/disable list that name no rule: reported as config errors, so typos are not silent. */
export function unknownRuleWords(words: string[], rules: readonly Rule[] = ALL_RULES): string[] {
  return words.filter((w) => !rules.some((r) => matches(r, [w])));
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? 'a list of strings' : 'a list';
  return typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'true or false' : typeof value === 'string' ? 'a string' : 'a mapping';
}

/**
 * Config problems only the rule registry can see: rule ids/names that do not exist in `rules.select` /
 * `rules.disable` / `rules.enable`, and `rules.options` for unknown rules, unknown option names, or values of the wrong type.
 */
export function ruleConfigErrors(config: Pick<Config, 'rules'>, rules: readonly Rule[] = ALL_RULES): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const key of ['select', 'disable', 'enable'] as const) {
    const unknown = unknownRuleWords(config.rules[key], rules);
    if (unknown.length) errors.push({ key: `rules.${key}`, message: `unknown rule id or name: ${unknown.join(', ')} (pyward rules lists them)` });
  }
  for (const [id, options] of Object.entries(config.rules.options)) {
    const rule = rules.find((r) => r.meta.id === id.toUpperCase() || r.meta.name.toLowerCase() === id.toLowerCase());
    if (!rule) {
      errors.push({ key: `rules.options.${id}`, message: 'no rule has this id or name' });
      continue;
    }
    const defaults = rule.meta.options ?? {};
    for (const [name, value] of Object.entries(options)) {
      if (!(name in defaults)) {
        const known = Object.keys(defaults);
        errors.push({ key: `rules.options.${id}.${name}`, message: known.length ? `${rule.meta.id} has no option '${name}' (it has: ${known.join(', ')})` : `${rule.meta.id} takes no options` });
      } else if (typeOf(value) !== typeOf(defaults[name])) {
        errors.push({ key: `rules.options.${id}.${name}`, message: `must be ${typeOf(defaults[name])}` });
      }
    }
  }
  return errors;
}

/** `rules.options` keyed by rule id, whether the user wrote ids or names (call after ruleConfigErrors is empty). */
export function withRuleIdOptions(config: Config, rules: readonly Rule[] = ALL_RULES): Config {
  const options = Object.fromEntries(
    Object.entries(config.rules.options).map(([key, value]) => {
      const rule = rules.find((r) => r.meta.id === key.toUpperCase() || r.meta.name.toLowerCase() === key.toLowerCase());
      return [rule?.meta.id ?? key, value];
    }),
  );
  return { ...config, rules: { ...config.rules, options } };
}
