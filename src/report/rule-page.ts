/**
 * Rule docs -> the HTML pages the App serves under /pyward/rules: one per rule, one per dependency advisory
 * id, the index, and the "no such rule" page. Pure: rules and a path segment in, status and HTML out. The
 * text is the rules' own documentation and the generated data-flow sections of docs/rules.md
 * (flow-models-doc.ts), so the pages say what the reference says. Links between pages are relative, so the
 * App can sit behind a proxy under any path.
 */
import type { Rule } from '../rules/rule.js';
import { renderFlowModels } from './flow-models-doc.js';
import { escapeHtml, inlineHtml, markdownHtml, safeHref } from './markdown-html.js';
import { advisoryUrl, isAdvisoryId } from './rule-links.js';
import { renderPage } from './rule-page-layout.js';
import { formatValue } from './rules-doc.js';

export type RulePageResult = { status: 200 | 404; html: string } | { status: 301; location: string };

/** From a rule page (`/pyward/rules/B602`): the index and the other pages. */
const INDEX_FROM_PAGE = '../rules';
const pageHref = (id: string) => encodeURIComponent(id);
const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const cweHref = (cwe: number) => `https://cwe.mitre.org/data/definitions/${cwe}.html`;

/** The page for one path segment below /pyward/rules: a rule id, a rule name, or an advisory id. */
export function rulePageFor(segment: string, rules: readonly Rule[]): RulePageResult {
  const rule = rules.find((r) => r.meta.id === segment);
  if (rule) return { status: 200, html: renderRulePage(rule) };
  // `b602` and `subprocess_popen_with_shell_equals_true` are the same rule: one address for it.
  const alias = rules.find((r) => r.meta.id === segment.toUpperCase() || r.meta.name.toLowerCase() === segment.toLowerCase());
  if (alias) return { status: 301, location: pageHref(alias.meta.id) };
  if (isAdvisoryId(segment)) return { status: 200, html: renderAdvisoryPage(segment) };
  return { status: 404, html: renderNotFoundPage(segment) };
}

function facts(rows: readonly [string, string][]): string {
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function section(title: string, html: string): string {
  return `<section aria-labelledby="${slug(title)}"><h2 id="${slug(title)}">${escapeHtml(title)}</h2>\n${html}</section>`;
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function linkList(urls: readonly string[]): string {
  return `<ul>${urls.map((u) => {
    const href = safeHref(u);
    return `<li>${href ? `<a href="${escapeHtml(href)}">${escapeHtml(u)}</a>` : escapeHtml(u)}</li>`;
  }).join('')}</ul>`;
}

export function renderRulePage(rule: Rule): string {
  const { meta } = rule;
  const { doc } = meta;
  const bandit = meta.id.startsWith('B');
  const main = [
    `<h1>${code(meta.id)} ${escapeHtml(meta.name)}</h1>`,
    `<p class="summary">${inlineHtml(doc.summary.trim())}</p>`,
    facts([
      ['Severity', escapeHtml(meta.severity)],
      ['Confidence', escapeHtml(meta.confidence)],
      ['CWE', `<a href="${cweHref(meta.cwe)}">CWE-${meta.cwe}</a>`],
      ['Origin', bandit ? "Bandit's check, under Bandit's id and name" : "pyward's own rule"],
    ]),
    section('Why it matters', markdownHtml(doc.why)),
    section(
      'Example',
      `<h3>Flagged</h3>\n<pre class="bad"><code>${escapeHtml(doc.bad.replace(/\n+$/, ''))}</code></pre>\n<h3>Instead</h3>\n<pre class="good"><code>${escapeHtml(doc.good.replace(/\n+$/, ''))}</code></pre>`,
    ),
    section('How to fix', markdownHtml(doc.fix)),
    // The generated section starts with its own `### Data flow` heading: one level up, as a section of this page.
    ...(rule.dataflow ? [`<section aria-label="Data flow">${markdownHtml(renderFlowModels(rule), -1)}</section>`] : []),
    section('Configuration', configurationHtml(rule)),
    section('Differences from Bandit', banditHtml(rule)),
    section('References', linkList([cweHref(meta.cwe), ...doc.references.filter((r) => r !== cweHref(meta.cwe))])),
  ];
  return renderPage({ title: `${meta.id} ${meta.name} · pyward rules`, indexHref: INDEX_FROM_PAGE, main: main.join('\n') });
}

function banditHtml(rule: Rule): string {
  const { meta } = rule;
  const text = meta.doc.banditDifferences?.trim();
  if (text) return markdownHtml(text);
  if (meta.id.startsWith('B')) return `<p>None known: same id, name and findings as Bandit's ${code(meta.id)}, and <code># nosec ${escapeHtml(meta.id)}</code> silences it.</p>`;
  return `<p>Bandit has no such check; ${code(meta.id)} is pyward's own.</p>`;
}

function configurationHtml(rule: Rule): string {
  const { meta } = rule;
  const id = escapeHtml(meta.id);
  const items = [
    `${code(`rules.disable: [${meta.id}]`)} turns it off (its name ${code(meta.name)} works too); ${code('rules.select')} runs only the rules listed; ${code(`rules.enable: [${meta.id}]`)} turns it back on over the organisation's defaults.`,
    `${code('fail_on')}, ${code('min_severity')}, ${code('min_confidence')} and ${code('review.min_severity')} decide whether its findings (severity ${escapeHtml(meta.severity)}, confidence ${escapeHtml(meta.confidence)} by default) fail the check, are reported, and get an inline comment.`,
    `<code># nosec ${id}</code> on the flagged line silences one finding (counted in the summary); ${code('suppressions.nosec: false')} stops honouring such comments.`,
  ];
  if (rule.dataflow) {
    items.push(
      `${code('dataflow.enabled: false')} turns off every data-flow rule; ${code('dataflow.sources')}, ${code(`dataflow.sinks.${meta.id}`)} and ${code('dataflow.sanitizers')} add the team's own models.`,
    );
  }
  const options = Object.entries(meta.options ?? {});
  const table = options.length
    ? `<table><caption>Options of ${id}, under ${code(`rules.options.${meta.id}`)}</caption><thead><tr><th scope="col">Option</th><th scope="col">Default</th></tr></thead><tbody>${options
        .map(([name, value]) => `<tr><td>${code(name)}</td><td>${code(formatValue(value))}</td></tr>`)
        .join('')}</tbody></table>`
    : '';
  const yaml = [
    '# .github/pyward.yml (the App reads it from the default branch)',
    'rules:',
    `  disable: [${meta.id}]`,
    ...(options.length ? ['  options:', `    ${meta.id}:`, ...options.map(([name, value]) => `      ${name}: ${formatValue(value)}`)] : []),
  ].join('\n');
  return `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>\n${table}\n<pre><code>${escapeHtml(yaml)}</code></pre>`;
}

/** The other places an advisory is published, beside OSV. */
function advisoryLinks(id: string): string[] {
  const upper = id.toUpperCase();
  const links = [advisoryUrl(id)];
  if (upper.startsWith('GHSA-')) links.push(`https://github.com/advisories/${encodeURIComponent(id)}`);
  if (upper.startsWith('CVE-')) links.push(`https://www.cve.org/CVERecord?id=${encodeURIComponent(upper)}`);
  return links;
}

export function renderAdvisoryPage(id: string): string {
  const main = [
    `<h1>${code(id)}: a dependency advisory</h1>`,
    `<p class="summary">A pin in a dependency file names a package version that the published advisory ${code(id)} lists as affected.</p>`,
    section('Read the advisory', `<p>What is vulnerable, the affected and fixed versions, and its aliases (CVE, GHSA) are in the advisory itself:</p>\n${linkList(advisoryLinks(id))}`),
    section(
      'What pyward reports',
      [
        '<p>pyward reads the dependency files a change touches (requirements files, <code>poetry.lock</code>, <code>Pipfile.lock</code>, <code>uv.lock</code>, <code>pdm.lock</code>, <code>pyproject.toml</code>, <code>setup.cfg</code>) and checks every pinned version against OSV, the open database of PyPI advisories. A pin the change added or changed that an advisory affects is a finding whose rule id is the advisory id; its severity comes from the advisory\'s CVSS score (medium when it has none).</p>',
        '<p>Pins that were already there are listed in the check-run summary, not commented.</p>',
      ].join('\n'),
    ),
    section('How to fix', '<p>Upgrade the pin to the first fixed version the finding names (the review comment suggests it when a fix exists). When no fix exists, or the vulnerable code is not reachable in your use, record that decision in the configuration with a reason and an end date, so it is looked at again.</p>'),
    section(
      'Configuration',
      `<pre><code>${escapeHtml(['# .github/pyward.yml', 'dependencies:', '  enabled: true          # false: no advisory checks at all', '  ignore:', `    - id: ${id}`, '      reason: "not reachable: we never call the affected function"', '      expires: 2026-12-31  # reported again after this date'].join('\n'))}</code></pre>`,
    ),
  ];
  return renderPage({ title: `${id} · pyward rules`, indexHref: INDEX_FROM_PAGE, main: main.join('\n') });
}

export function renderNotFoundPage(segment: string): string {
  const main = [
    '<h1>No such rule</h1>',
    `<p>No pyward rule or advisory has the id ${code(segment)}.</p>`,
    `<p><a href="${INDEX_FROM_PAGE}?q=${escapeHtml(encodeURIComponent(segment))}">Search the rules for it</a>, or see <a href="${INDEX_FROM_PAGE}">every rule</a>.</p>`,
  ];
  return renderPage({ title: 'No such rule · pyward rules', indexHref: INDEX_FROM_PAGE, main: main.join('\n') });
}
