/**
 * A change review -> the `pyward` check run: conclusion, title, Markdown summary and annotations. Pure; the
 * publisher sends the annotations in batches (GitHub takes at most 50 a request) and GitHub's text limits
 * are kept here, so a huge pull request gets a shortened table instead of a 422.
 */
import type { Config } from '../config/schema.js';
import { severityRank, type AdvisoryRow, type ChangeReview, type Finding, type Severity } from '../engine/types.js';
import type { Rule } from '../rules/rule.js';
import { MAX_ANNOTATIONS_PER_CHECK, MAX_ANNOTATIONS_PER_REQUEST, MAX_CHECK_RUN_TEXT, MAX_CHECK_RUN_TITLE } from './github-limits.js';
import { flowSummary, oneEntryPerProblem } from './flow-steps.js';
import { pinName, pinProblemText } from './pin-advisories.js';
import { clip, compareFindings, severityBadge, SEVERITIES_DESCENDING } from './review-comments.js';
import { mdCell, mdCode, mdLink, mdMessage, mdText, mdUrl } from './markdown.js';
import { countBySeverity, cutSummary, failsAt, plural } from './summary.js';
import { INCOMPLETE_FIX, incompleteConclusion, notReviewed, type NotReviewed } from './completeness.js';

/** One entry of a check run's `output.annotations`, as GitHub names its fields. */
export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  /** Only when start_line === end_line (GitHub ignores columns on multi-line annotations). */
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

export interface CheckRunOptions {
  config: Config;
  rules: readonly Rule[];
  /** Where the config came from, e.g. "`.github/pyward.yml` on the default branch" or "defaults". */
  configSource: string;
  /** Link to a line of the head commit's file. */
  fileUrl: (path: string, line: number) => string;
  /** A rule's (or advisory's) documentation link for the table and annotations (see rule-links.ts). */
  ruleUrl?: (ruleId: string) => string | undefined;
  /** Findings the review did not comment inline, and why (see renderReview). */
  notCommented?: readonly { finding: Finding; reason: string }[];
}

/** Listed items per section beyond which only a count is shown, so the fixed sections stay small. */
const MAX_LISTED = 20;
const MAX_CELL = 300;

export function annotationLevel(severity: Severity, failOn: Severity): CheckAnnotation['annotation_level'] {
  if (severityRank(severity) >= severityRank(failOn)) return 'failure';
  return severity === 'low' ? 'notice' : 'warning';
}

/** Splits annotations into the batches one create/update call accepts (120 -> 50, 50, 20). */
export function annotationBatches<T>(items: readonly T[], size = MAX_ANNOTATIONS_PER_REQUEST): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** pyward could not do its job because of the trusted config (a user error to fix): neutral, never a silent pass. */
export function renderNeutral(title: string, summary: string): CheckRunOutput {
  return { conclusion: 'neutral', title: clip(title, MAX_CHECK_RUN_TITLE), summary: clip(summary, MAX_CHECK_RUN_TEXT), annotations: [] };
}

/**
 * The review did not happen or did not finish (timeout, GitHub or an internal error): nothing of the change
 * was vouched for, so it fails closed unless the config in force says `incomplete: neutral`. Without a
 * config (it could not be read) the default applies.
 */
export function renderNotReviewed(title: string, summary: string, config: Pick<Config, 'incomplete'> | undefined): CheckRunOutput {
  const conclusion = incompleteConclusion(config);
  const verdict = conclusion === 'failure' ? 'This check fails until a review completes (`incomplete: failure`, the default).' : 'This check is neutral (`incomplete: neutral`).';
  return { conclusion, title: clip(title, MAX_CHECK_RUN_TITLE), summary: clip(`${summary}\n\n${verdict}`, MAX_CHECK_RUN_TEXT), annotations: [] };
}

export function renderCheckRun(review: ChangeReview, options: CheckRunOptions): CheckRunOutput {
  const { config } = options;
  const failOn = config.fail_on;
  // One entry per problem: a Bandit finding a data-flow finding covers is shown through the latter (same or higher severity).
  const findings = oneEntryPerProblem(review.findings).sort(compareFindings);
  const failing = findings.filter((f) => severityRank(f.severity) >= severityRank(failOn)).length;
  const title = failing
    ? `${plural(failing, 'new finding')} at or above ${failOn}`
    : findings.length
      ? `${plural(findings.length, 'new finding')}, none at or above ${failOn}`
      : 'No new findings';
  const docs = new Map(options.rules.map((r) => [r.meta.id, r.meta.doc]));
  // Worst first (the sort above), at most MAX_ANNOTATIONS_PER_CHECK; the summary counts the rest by rule.
  const annotations = findings.slice(0, MAX_ANNOTATIONS_PER_CHECK).map((f): CheckAnnotation => {
    const { path, startLine, endLine, startColumn, endColumn } = f.location;
    const fix = f.fix?.description ?? docs.get(f.ruleId)?.fix;
    const why = docs.get(f.ruleId)?.why;
    const url = options.ruleUrl?.(f.ruleId);
    const pin = pinProblemText(f);
    return {
      path,
      start_line: startLine,
      end_line: endLine,
      // GitHub's end column is inclusive; ours is exclusive.
      ...(startLine === endLine ? { start_column: startColumn, end_column: Math.max(startColumn, endColumn - 1) } : {}),
      annotation_level: annotationLevel(f.severity, failOn),
      title: clip(pin ? `${pinName(f)}: ${f.advisories!.length} advisories (worst ${f.severity})` : `${f.ruleId} ${f.ruleName} (${f.severity})`, MAX_CHECK_RUN_TITLE),
      message: clip([pin ?? f.message, ...(f.flow?.length ? [`Data flow: ${f.flow.map((s) => `${s.label} (${s.location.path}:${s.location.startLine})`).join(' -> ')}`] : []), ...(fix ? [`How to fix: ${fix}`] : []), ...(url ? [`${f.ruleId}: ${url}`] : [])].join('\n\n'), 4_000),
      ...(why ? { raw_details: clip(why, 4_000) } : {}),
    };
  });
  // A review that could not cover the whole change is not a pass (fail closed): `incomplete` decides how hard.
  const missing = notReviewed(review);
  const conclusion = failsAt(review, failOn) ? 'failure' : missing.length ? incompleteConclusion(config) : 'success';
  return {
    conclusion,
    title: clip(missing.length ? `Incomplete review: ${plural(missing.length, 'item')} not reviewed; ${title.charAt(0).toLowerCase()}${title.slice(1)}` : title, MAX_CHECK_RUN_TITLE),
    summary: renderSummary(review, findings, options, missing),
    annotations,
  };
}

/** The "Not reviewed" section: what was left out, why, what it did to the conclusion and how to fix it. */
function notReviewedLines(missing: readonly NotReviewed[], config: Config): string[] {
  if (!missing.length) return [];
  const listed = missing.slice(0, MAX_LISTED).map((m) => `${m.path ? `${mdCode(m.path)}: ` : ''}${mdMessage(clip(m.reason.replace(/\s+/g, ' '), MAX_CELL))}`);
  if (missing.length > MAX_LISTED) listed.push(`… and ${count(missing.length - MAX_LISTED)} more.`);
  const verdict = incompleteConclusion(config) === 'failure' ? 'so this check fails (`incomplete: failure`, the default)' : 'so this check is neutral (`incomplete: neutral`)';
  return [`⚠️ **pyward could not review all of this change**, ${verdict}:`, ...listed, INCOMPLETE_FIX];
}

const count = (n: number) => n.toLocaleString('en-US');
/** Untrusted text in a table cell: clipped first (an escape is never cut in half), then escaped. */
const cell = (text: string, max = MAX_CELL) => mdCell(mdMessage(clip(text, max), { table: true }));
/** A pin's row lists several advisories, each with its summary. */
const MAX_PIN_CELL = 1_500;
const code = (text: string) => mdCode(text, { table: true });

function renderSummary(review: ChangeReview, findings: readonly Finding[], options: CheckRunOptions, missing: readonly NotReviewed[]): string {
  const { config } = options;
  const counts = countBySeverity(findings);
  const head = [
    findings.length
      ? `**${plural(findings.length, 'new finding')}** on lines this change added: ${SEVERITIES_DESCENDING.map((s) => `${severityBadge(s)} ${count(counts[s])}`).join(' · ')}.`
      : '**No new findings** on lines this change added.',
    `The check fails at **${config.fail_on}** or above (\`fail_on\`).`,
  ].join(' ');

  const notCommented = options.notCommented ?? [];
  const overLimit = new Set(notCommented.filter((n) => n.reason === 'over-limit').map((n) => n.finding.fingerprint));
  const offDiff = notCommented.filter((n) => n.reason === 'not-on-added-line').length;
  const KNOWN_REASONS = new Set(['over-limit', 'not-on-added-line', 'already-commented']);
  const otherReasons = notCommented.filter((n) => !KNOWN_REASONS.has(n.reason));
  const elsewhere = new Set(otherReasons.map((n) => n.finding.fingerprint));
  const rules = new Map(options.rules.map((r) => [r.meta.id, r]));
  const rows = findings.map((f) => {
    const { path, startLine } = f.location;
    const marked = overLimit.has(f.fingerprint) || elsewhere.has(f.fingerprint);
    const where = `${mdLink(`${path}:${startLine}`, options.fileUrl(path, startLine))}${marked ? ' *(not commented)*' : ''}`;
    // A data-flow finding: source -> sink and what the sink does with the data (the message says the same at length).
    const flow = flowSummary(f);
    const danger = rules.get(f.ruleId)?.dataflow?.danger;
    // Rule messages quote the pull request (names, URLs, package names): the whole message is shown as plain text.
    const pin = pinProblemText(f);
    const problem = flow && danger ? mdCell(`${flow}: ${mdMessage(`${danger}${f.covers?.length ? ` (also ${f.covers.join(', ')})` : ''}`)}`) : pin ? cell(pin, MAX_PIN_CELL) : cell(f.message);
    // A pin's row names every advisory (worst first); its other advisories have no row of their own.
    const url = options.ruleUrl?.(f.ruleId);
    const ids = f.advisories && f.advisories.length > 1 ? f.advisories.map((a) => code(clip(a.id, MAX_CELL))).join(' ') : url ? `[${code(f.ruleId)}](${mdUrl(url)})` : code(f.ruleId);
    return `| ${severityBadge(f.severity)} | ${mdCell(`${ids} ${mdText(clip(f.ruleName, MAX_CELL))}`)} | ${mdCell(where)} | ${problem} |`;
  });
  const commentNotes = [
    ...(overLimit.size
      ? [`${plural(overLimit.size, 'finding')} marked *not commented* did not get an inline comment: a review holds at most ${plural(config.review.max_comments, 'comment')} (\`review.max_comments\`).`]
      : []),
    ...(offDiff ? [`${plural(offDiff, 'finding')} could not be commented inline: GitHub shows no diff for ${offDiff === 1 ? 'its file' : 'their files'}.`] : []),
    // Reasons the publisher adds (e.g. GitHub refusing an anchor), grouped by reason.
    ...[...new Set(otherReasons.map((n) => n.reason))].map((reason) => `${plural(otherReasons.filter((n) => n.reason === reason).length, 'finding')} marked *not commented*: ${reason}.`),
  ];

  const unannotated = notAnnotated(findings);
  const sections = [
    section('Not reviewed', notReviewedLines(missing, config)),
    section('Suppressed', suppressedLines(review, options)),
    section('Also in the touched files', alsoSeen(review)),
    section('Dependencies', dependencyLines(review, options)),
    section('Scanned', scanned(review)),
    section('Configuration', [`${options.configSource}: ${configInForce(config)}.`]),
  ];
  const build = (shown: readonly string[]) => {
    const table = shown.length ? ['| Severity | Rule | Where | Problem |', '| --- | --- | --- | --- |', ...shown].join('\n') : '';
    const hidden = rows.length - shown.length;
    const more = hidden ? `_… ${count(hidden)} more ${hidden === 1 ? 'finding' : 'findings'} not shown (a check-run summary holds at most ${count(MAX_CHECK_RUN_TEXT)} characters)${unannotated ? '.' : '; every finding is annotated on its file.'}_` : '';
    return [head, table, more, unannotated, commentNotes.join(' '), ...sections].filter(Boolean).join('\n\n');
  };
  const full = build(rows);
  if (full.length <= MAX_CHECK_RUN_TEXT) return full;
  // Keep as many rows as fit beside the fixed parts and the "more" note (whose length grows with the count).
  let budget = MAX_CHECK_RUN_TEXT - build([]).length - 200;
  let n = 0;
  while (n < rows.length && budget >= rows[n].length + 1) budget -= rows[n++].length + 1;
  return clip(build(rows.slice(0, n)), MAX_CHECK_RUN_TEXT);
}

/** Findings beyond the annotation cap, counted by rule (they are in the table as far as it fits, and in JSON/SARIF). */
function notAnnotated(findings: readonly Finding[]): string {
  const rest = findings.slice(MAX_ANNOTATIONS_PER_CHECK);
  if (!rest.length) return '';
  const byRule = new Map<string, number>();
  for (const f of rest) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const listed = [...byRule].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_LISTED).map(([id, n]) => `${mdCode(id)} ×${count(n)}`);
  return `_Only the ${count(MAX_ANNOTATIONS_PER_CHECK)} most severe findings are annotated on their files; ${count(rest.length)} more ${rest.length === 1 ? 'finding' : 'findings'} by rule: ${listed.join(', ')}${byRule.size > MAX_LISTED ? ', …' : ''}._`;
}

function section(heading: string, items: readonly string[]): string {
  return items.length ? `### ${heading}\n\n${items.map((i) => `- ${i}`).join('\n')}` : '';
}

function alsoSeen(review: ChangeReview): string[] {
  const items: string[] = [];
  if (review.preExisting.length) {
    items.push(`${plural(review.preExisting.length, 'pre-existing finding')} on lines this change did not add (not commented, not failing the check).`);
  }
  return items;
}

/**
 * Active inline suppressions on lines this change added: what each silences, where its comment is, its reason
 * and end date, so a reviewer sees every exception the change asks for. Counted by rule beyond the list.
 */
function suppressedLines(review: ChangeReview, options: CheckRunOptions): string[] {
  if (!review.suppressed.length) return [];
  const sorted = [...review.suppressed].sort((a, b) => (a.location.path < b.location.path ? -1 : a.location.path > b.location.path ? 1 : 0) || a.suppression.line - b.suppression.line || (a.ruleId < b.ruleId ? -1 : 1));
  const items = sorted.slice(0, MAX_LISTED).map((f) => {
    const { path } = f.location;
    const { line, reason, until, kind } = f.suppression;
    const by = kind === 'pyward' ? '`# pyward: ignore`' : '`# nosec`';
    const why = reason ? `reason: ${mdMessage(clip(reason, MAX_CELL))}` : '*no reason given*';
    return `${mdCode(f.ruleId)} ${mdText(f.ruleName)} (${f.severity}) by ${by} at ${mdLink(`${path}:${line}`, options.fileUrl(path, line))}: ${why}${until ? `; until ${mdText(until)}` : '; no end date'}.`;
  });
  if (sorted.length > MAX_LISTED) {
    const byRule = new Map<string, number>();
    for (const f of sorted.slice(MAX_LISTED)) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
    items.push(`… and ${count(sorted.length - MAX_LISTED)} more: ${[...byRule].slice(0, MAX_LISTED).map(([id, n]) => `${mdCode(id)} ×${n}`).join(', ')}${byRule.size > MAX_LISTED ? ', …' : ''}.`);
  }
  return [`${plural(review.suppressed.length, 'finding')} on lines this change added ${review.suppressed.length === 1 ? 'is' : 'are'} suppressed inline (not failing the check):`, ...items];
}

function dependencyLines(review: ChangeReview, options: CheckRunOptions): string[] {
  const deps = review.dependencies;
  if (!deps || deps.status.state === 'no-dependencies') return [];
  const { status } = deps;
  const items: string[] = [];
  if (status.state === 'unavailable') {
    items.push(`⚠️ **Dependency check unavailable**: ${mdText(status.source ?? 'the advisory source')} could not be queried (${mdMessage(clip(status.message ?? 'unknown error', MAX_CELL))}). Vulnerable pins in this change may be missing from this check; re-run it later.`);
  } else if (status.state === 'disabled') {
    items.push('Advisory checks are off (`dependencies.enabled: false`).');
  } else {
    const fresh = deps.advisories.filter((a) => a.isNew && !a.ignored);
    items.push(`${plural(status.packages, 'pinned package')} checked against ${mdText(status.source ?? 'OSV')}: ${fresh.length ? `**${plural(fresh.length, 'advisory', 'advisories')}** on pins this change added or changed` : 'no advisory on the pins this change added or changed'}.`);
    const pins = pinRows(deps.advisories);
    const rows = pins.slice(0, MAX_LISTED * 2).map((pin) => {
      const [worst] = pin;
      // Worst first; each advisory with its aliases and fixed version, an ignored one with its reason.
      const advisories = pin.map((a) => {
        const aliases = a.aliases.length ? `(${a.aliases.slice(0, 3).join(', ')}), ` : '';
        const fixed = a.fixedIn ? `fixed in ${a.fixedIn}` : 'no fix yet';
        return `${code(clip(a.id, MAX_CELL))} ${a.severity}: ${cell(`${aliases}${fixed}${a.ignored ? `; ignored: ${a.ignored}` : ''}`)}`;
      });
      const active = pin.filter((a) => !a.ignored);
      const state = !active.length ? 'ignored' : worst.isNew ? 'new' : 'already pinned';
      const upgrade = worst.upgradeTo ? code(clip(worst.upgradeTo, MAX_CELL)) : active.some((a) => a.fixedIn) ? 'no version fixes all' : 'no fix yet';
      return `| ${severityBadge(worst.severity)} | ${mdCell(mdLink(clip(`${worst.package} ${worst.version}`, MAX_CELL), options.fileUrl(worst.path, worst.line)))} | ${advisories.join('<br>')} | ${upgrade} | ${state} |`;
    });
    if (rows.length) items.push(['Advisories (one row per pin, worst first):', '', '| Severity | Package | Advisories | Upgrade to | |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'));
    if (pins.length > rows.length) items.push(`… and ${count(pins.length - rows.length)} more pins with advisories (all new ones are annotated).`);
  }
  for (const note of deps.notes.slice(0, MAX_LISTED)) items.push(mdMessage(clip(note, MAX_CELL * 2)));
  return items;
}

/** Advisory rows grouped by pin (file, line, package, version), worst advisory first; new pins first, then worst. */
function pinRows(rows: readonly AdvisoryRow[]): AdvisoryRow[][] {
  const byPin = new Map<string, AdvisoryRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.path, r.line, r.package, r.version]);
    byPin.set(key, [...(byPin.get(key) ?? []), r]);
  }
  const rank = (r: AdvisoryRow) => (r.ignored ? -1 : severityRank(r.severity));
  const pins = [...byPin.values()].map((pin) => pin.sort((a, b) => rank(b) - rank(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  return pins.sort((a, b) => Number(b[0].isNew) - Number(a[0].isNew) || rank(b[0]) - rank(a[0]));
}

function scanned(review: ChangeReview): string[] {
  const { stats } = review;
  const items = [`${plural(stats.filesAnalysed, 'file')} analysed (${count(stats.lines)} ${stats.lines === 1 ? 'line' : 'lines'}) in ${(stats.durationMs / 1000).toFixed(2)} s.`];
  if (review.truncated) items.push(`⚠️ Not every file was seen: ${mdMessage(review.truncated)}`);
  if (review.context?.files) items.push(`Data flow also read ${plural(review.context.files, 'unchanged project module')} that the changed files import, to follow calls into them.`);
  if (review.context?.note) items.push(`⚠️ ${mdMessage(clip(review.context.note, MAX_CELL * 2))}`);
  const cut = cutSummary(stats.findingsCut ?? []);
  if (cut) items.push(`⚠️ ${mdMessage(clip(cut, MAX_CELL * 2))}.`);
  const df = stats.dataflow;
  if (df && (df.functionsOverBudget || df.filesOverBudget.length)) {
    items.push(`⚠️ Analysed without data flow (over its time or step budget; the other rules ran): ${plural(df.functionsOverBudget, 'function')}${df.filesOverBudget.length ? ` (files: ${df.filesOverBudget.slice(0, 3).map((p) => mdCode(p)).join(', ')}${df.filesOverBudget.length > 3 ? ', …' : ''})` : ''}.`);
  }
  if (review.skipped.length) {
    const byReason = new Map<string, string[]>();
    for (const s of review.skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.path]);
    const reasons = [...byReason].slice(0, MAX_LISTED).map(([reason, paths]) => {
      const examples = paths.slice(0, 3).map((p) => mdCode(p)).join(', ');
      return `${mdMessage(reason)} (${count(paths.length)}: ${examples}${paths.length > 3 ? ', …' : ''})`;
    });
    items.push(`${plural(review.skipped.length, 'file')} skipped: ${reasons.join('; ')}${byReason.size > MAX_LISTED ? '; …' : ''}.`);
  }
  const kinds = { syntax: 'syntax error', skipped: 'skipped', internal: 'internal error' } as const;
  for (const e of review.errors.slice(0, MAX_LISTED)) {
    const where = e.line ? `${e.path}:${e.line}` : e.path;
    items.push(`Not fully analysed: ${mdCode(where)} (${kinds[e.kind]}): ${mdMessage(clip(e.message.replace(/\s+/g, ' '), MAX_CELL))}`);
  }
  if (review.errors.length > MAX_LISTED) items.push(`… and ${count(review.errors.length - MAX_LISTED)} more analysis errors.`);
  return items;
}

function configInForce(config: Config): string {
  const list = (ids: readonly string[], none: string) => (ids.length ? ids.slice(0, MAX_LISTED).map((id) => mdCode(id)).join(', ') + (ids.length > MAX_LISTED ? ', …' : '') : none);
  return [
    `\`fail_on: ${config.fail_on}\``,
    `\`min_severity: ${config.min_severity}\``,
    `\`min_confidence: ${config.min_confidence}\``,
    `rules selected: ${list(config.rules.select, 'all')}`,
    `rules disabled: ${list(config.rules.disable, 'none')}`,
    `paths ignored: ${list(config.paths.ignore, 'none')}`,
    `\`# nosec\` ${config.suppressions.nosec ? 'honoured' : 'ignored'}`,
    `inline comments: ${config.review.enabled ? `up to ${config.review.max_comments}` : 'off'}`,
  ].join(', ');
}
