/**
 * A dependency pin with several advisories, as reviews show it: one comment and one check-run row listing
 * every advisory worst first (id, aliases, summary, fixed version), with the pin's single fix.
 */
import { asSentence, trimOnWord } from '../dependencies/osv/summary-text.js';
import type { Finding, PinAdvisory } from '../engine/types.js';
import { mdCode, mdLink, mdMessage } from './markdown.js';

/** Summaries quoted in a grouped comment or row: long enough to say what is wrong, short enough to list several. */
const MAX_SUMMARY = 160;
const MAX_ALIASES = 3;
/** Advisories listed in one comment (Django pins can carry dozens); a comment stays a few kB. */
const MAX_LISTED = 15;

export function osvUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

/** `package version` of an advisory finding. */
export function pinName(f: Finding): string {
  const p = f.properties ?? {};
  return [p.package, p.version].filter((x) => typeof x === 'string').join(' ');
}

/** `(CVE-…, GHSA-…)`, or '' without aliases. */
function aliasesText(a: PinAdvisory): string {
  if (!a.aliases.length) return '';
  const more = a.aliases.length > MAX_ALIASES ? `, +${a.aliases.length - MAX_ALIASES}` : '';
  return `(${a.aliases.slice(0, MAX_ALIASES).join(', ')}${more})`;
}

function summaryText(a: PinAdvisory): string {
  return a.summary ? asSentence(trimOnWord(a.summary, MAX_SUMMARY)) : 'No summary published.';
}

/** Plain text, one advisory: `PYSEC-… (CVE-…), high: summary. Fixed in 1.2.` */
export function advisoryLine(a: PinAdvisory): string {
  return `${a.id}${a.aliases.length ? ` ${aliasesText(a)}` : ''}, ${a.severity}: ${summaryText(a)} ${a.fixedIn ? `Fixed in ${a.fixedIn}.` : 'No fixed version.'}`;
}

/** Plain text for an annotation or a table cell: the pin, then every advisory. */
export function pinProblemText(f: Finding): string | undefined {
  if (!f.advisories || f.advisories.length < 2) return undefined;
  return `${pinName(f)} has ${f.advisories.length} advisories: ${f.advisories.map(advisoryLine).join(' ')}`;
}

/** Markdown for a review comment: what is wrong with the pin and the list of advisories, each linked to osv.dev. */
export function pinAdvisoriesMarkdown(f: Finding): string | undefined {
  if (!f.advisories || f.advisories.length < 2) return undefined;
  const items = f.advisories.slice(0, MAX_LISTED).map((a) => {
    const fixed = a.fixedIn ? `fixed in ${mdCode(a.fixedIn)}` : 'no fixed version';
    return `- **${a.severity}** ${mdLink(a.id, osvUrl(a.id))}${a.aliases.length ? ` ${mdMessage(aliasesText(a))}` : ''}: ${mdMessage(summaryText(a))} (${fixed})`;
  });
  if (f.advisories.length > MAX_LISTED) items.push(`- … and ${f.advisories.length - MAX_LISTED} more (JSON and SARIF list every one).`);
  return `${mdCode(pinName(f))} is affected by ${f.advisories.length} known advisories, worst first:\n\n${items.join('\n')}`;
}
