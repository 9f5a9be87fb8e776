/**
 * The rules reference (docs/rules.md), generated from the rules' own metadata so it cannot drift from them.
 * Pure: rules in, Markdown out. `scripts/gen-rules-doc.mjs` writes it; a test fails when the file is stale.
 */
import type { Rule } from '../rules/rule.js';
import { renderFlowModels } from './flow-models-doc.js';
import { codeBlock, inlineCode } from './rules-doc-text.js';

export { codeBlock, inlineCode } from './rules-doc-text.js';

export const RULES_DOC_PATH = 'docs/rules.md';
export const REGENERATE_COMMAND = 'npm run build && npm run docs';

/** Table cells are one line and must not close the cell early. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

export function cweLink(cwe: number): string {
  return `[CWE-${cwe}](https://cwe.mitre.org/data/definitions/${cwe}.html)`;
}

/** The anchor of a rule's section; SARIF `helpUri`s point here. */
export function ruleAnchor(id: string): string {
  return id.toLowerCase();
}

/** JSON with a space after commas, so long default lists wrap and read well. */
export function formatValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${formatValue(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

function byId(a: Rule, b: Rule): number {
  return a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0;
}

export function renderRulesDoc(rules: readonly Rule[]): string {
  const sorted = [...rules].sort(byId);
  const parts = [
    '# pyward rules',
    `<!-- Generated from the rule metadata in src/rules by \`${REGENERATE_COMMAND}\`. Do not edit by hand. -->`,
    [
      `pyward has ${sorted.length} rule${sorted.length === 1 ? '' : 's'}. Rules with a \`B\` id are Bandit's checks under Bandit's id and`,
      "name, so existing `# nosec B602` comments and skip lists keep working; `PW` rules are pyward's own.",
      'Severity and confidence are the defaults; a finding may lower them where the evidence is weaker.',
      'Select or disable rules by id, name or id prefix under `rules.select` / `rules.disable`, and set a',
      "rule's options under `rules.options.<ID>` in `.github/pyward.yml`.",
    ].join('\n'),
    renderIndex(sorted),
    ...sorted.map(renderRule),
  ];
  return `${parts.join('\n\n')}\n`;
}

function renderIndex(rules: readonly Rule[]): string {
  const rows = rules.map(({ meta }) =>
    `| [${meta.id}](#${ruleAnchor(meta.id)}) | ${cell(inlineCode(meta.name))} | ${meta.severity} | ${meta.confidence} | ${cweLink(meta.cwe)} | ${cell(meta.doc.summary)} |`,
  );
  return ['| ID | Name | Severity | Confidence | CWE | Summary |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function renderRule(rule: Rule): string {
  const { meta } = rule;
  const { doc } = meta;
  const parts = [
    `<a id="${ruleAnchor(meta.id)}"></a>\n\n## ${meta.id} ${meta.name}`,
    `**${doc.summary.trim()}**`,
    `Severity: ${meta.severity} · Confidence: ${meta.confidence} · ${cweLink(meta.cwe)}`,
    doc.why.trim(),
    `### Example\n\nFlagged:\n\n${codeBlock(doc.bad)}\n\nInstead:\n\n${codeBlock(doc.good)}`,
    `### Fix\n\n${doc.fix.trim()}`,
  ];
  const options = Object.entries(meta.options ?? {});
  if (options.length > 0) {
    const rows = options.map(([name, value]) => `| ${cell(inlineCode(name))} | ${cell(inlineCode(formatValue(value)))} |`);
    parts.push(
      [
        '### Options',
        '',
        `Set under \`rules.options.${meta.id}\`.`,
        '',
        '| Option | Default |',
        '|---|---|',
        ...rows,
      ].join('\n'),
    );
  }
  if (rule.dataflow) parts.push(renderFlowModels(rule));
  if (rule.covers?.length) parts.push(`Where Bandit's ${rule.covers.map(inlineCode).join(', ')} ${rule.covers.length === 1 ? 'flags' : 'flag'} the same call, JSON and SARIF keep both results; reviews and the check-run table show this finding once, and \`# nosec ${rule.covers[0]}\` silences both.`);
  if (doc.banditDifferences?.trim()) parts.push(`### Difference from Bandit\n\n${doc.banditDifferences.trim()}`);
  parts.push(`### References\n\n${doc.references.map((r) => `- <${r}>`).join('\n')}`);
  return parts.join('\n\n');
}
