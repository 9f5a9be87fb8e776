/**
 * The index of the rule pages (/pyward/rules): every rule in a table, with a search by id, name or summary.
 * Without JavaScript the form asks the server (`?q=`), which hides the rows that do not match; with it, the
 * page's script applies the same filter as the user types.
 */
import type { Rule } from '../rules/rule.js';
import { escapeHtml, inlineHtml } from './markdown-html.js';
import { renderPage } from './rule-page-layout.js';

/** From the index (`/pyward/rules`): a rule's page. */
const ruleHref = (id: string) => `rules/${encodeURIComponent(id)}`;

/** What the search looks in: id, name and summary, lower-cased. */
export function searchText(rule: Rule): string {
  return `${rule.meta.id} ${rule.meta.name} ${rule.meta.doc.summary}`.toLowerCase();
}

export function matchesQuery(rule: Rule, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || searchText(rule).includes(q);
}

export function renderRuleIndex(rules: readonly Rule[], query = ''): string {
  const sorted = [...rules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0));
  const q = query.trim();
  const shown = sorted.filter((r) => matchesQuery(r, q)).length;
  const rows = sorted.map((rule) => {
    const { meta } = rule;
    const hidden = matchesQuery(rule, q) ? '' : ' hidden';
    return `<tr data-search="${escapeHtml(searchText(rule))}"${hidden}><td><a href="${ruleHref(meta.id)}"><code>${escapeHtml(meta.id)}</code></a></td><td>${escapeHtml(meta.name)}</td><td>${escapeHtml(meta.severity)}</td><td>${inlineHtml(meta.doc.summary.trim())}</td></tr>`;
  });
  const count = q ? `${shown} of ${sorted.length} rules match` : `${sorted.length} rules`;
  const main = [
    '<h1>pyward rules</h1>',
    "<p>Rules with a <code>B</code> id are Bandit's checks under Bandit's id and name, so <code># nosec B602</code> comments and skip lists keep working; <code>PW</code> rules are pyward's own (PW1xx data flow, PW2xx web frameworks, PW3xx crypto, PW4xx secrets, PW5xx dependency hygiene). Each page says what the rule flags, why it matters, how to fix it and the configuration that tunes it.</p>",
    `<form role="search" method="get" action="rules"><label for="q">Search by id or name</label><input id="q" name="q" type="search" value="${escapeHtml(q)}" autocomplete="off"><button type="submit">Search</button></form>`,
    `<p id="count" role="status">${escapeHtml(count)}</p>`,
    `<table id="rules"><caption>Every rule, by id</caption><thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Severity</th><th scope="col">Summary</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`,
    '<h2>Dependency advisories</h2>',
    `<p>A pin of a package version with a published advisory is reported under the advisory's own id, and each has a page here that links to the advisory, for example <a href="${ruleHref('PYSEC-2021-142')}">PYSEC-2021-142</a>.</p>`,
  ];
  return renderPage({ title: 'pyward rules', indexHref: 'rules', main: main.join('\n'), search: true });
}
