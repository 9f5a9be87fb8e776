/** Where the CLI's reports link rules (read from the environment and package.json: the CLI's edge). */
import { packageRepository } from '../package-info.js';
import { linkBaseFromEnv, ruleUrl } from '../report/rule-links.js';
import { ALL_RULES } from '../rules/registry.js';

/** Where SARIF rule descriptors link: as the App's comments do (PYWARD_PUBLIC_URL, PYWARD_DOCS_URL, package.json's repository), else nowhere. */
export function sarifRuleUrl(): (id: string) => string | undefined {
  const base = linkBaseFromEnv(process.env, packageRepository());
  const ids = new Set(ALL_RULES.map((r) => r.meta.id));
  return (id) => ruleUrl(id, base, (x) => ids.has(x));
}
