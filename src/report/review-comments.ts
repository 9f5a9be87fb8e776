/**
 * Findings -> one pull-request review: inline comments anchored only on lines the change added (one anchor
 * outside the diff makes GitHub reject the whole review), worst first, capped, each ending in a hidden
 * fingerprint marker so a later push does not comment the same problem again.
 */
import type { AddedLines } from '../diff/patch.js';
import { SEVERITIES, severityRank, type Finding, type Severity } from '../engine/types.js';
import type { Rule } from '../rules/rule.js';
import { fingerprintMarker } from './fingerprint-marker.js';
import { coversNote, flowMarkdown, oneEntryPerProblem } from './flow-steps.js';
import { CHECK_RUN_NAME } from './github-limits.js';
import { pinAdvisoriesMarkdown } from './pin-advisories.js';
import { mdCode, mdFence, mdLink, mdMessage, mdText, UNSAFE_CHARS } from './markdown.js';
import { isAdvisoryId } from './rule-links.js';
import { cweLink } from './rules-doc.js';
import { countBySeverity, plural } from './summary.js';

/** A comment of `pulls.createReview`'s `comments[]`, plus the fingerprint it marks. */
export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
  fingerprint: string;
}

export type NotCommentedReason = 'already-commented' | 'over-limit' | 'not-on-added-line';

export interface ReviewOptions {
  rules: readonly Rule[];
  added: AddedLines;
  maxComments: number;
  /** Fingerprints found in pyward's earlier comments on this pull request. */
  alreadyCommented: ReadonlySet<string>;
  /** Head content of a file, split into lines; undefined when unknown (then no suggestion is offered). */
  sourceLines: (path: string) => readonly string[] | undefined;
  /** A finding's documentation link (see rule-links.ts); undefined: none (no address known to exist). */
  docsUrl: (ruleId: string) => string | undefined;
  /** Link to a line of the head commit's file, for the steps of a data flow (plain `path:line` without it). */
  fileUrl?: (path: string, line: number) => string;
}

export interface RenderedReview {
  comments: ReviewComment[];
  notCommented: { finding: Finding; reason: NotCommentedReason }[];
  body: string;
}

const BADGES: Record<Severity, string> = { critical: '⛔ Critical', high: '🔴 High', medium: '🟠 Medium', low: '🟡 Low' };
/** Worst first. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();
/** Beyond these a suggestion is more noise than help (and bloats the comment). */
const MAX_SUGGESTION_LINES = 40;
const MAX_SUGGESTION_CHARS = 8_000;
/** Texts in a comment are clipped so a comment stays a few kB, far below MAX_COMMENT_BODY. */
const MAX_TEXT = 2_000;

export function severityBadge(severity: Severity): string {
  return BADGES[severity];
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Worst first, then by place: the order of comments, annotations and table rows. */
export function compareFindings(a: Finding, b: Finding): number {
  const [p, q] = [a.location, b.location];
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (p.path < q.path ? -1 : p.path > q.path ? 1 : 0) ||
    p.startLine - q.startLine ||
    p.startColumn - q.startColumn ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

/**
 * The lines a comment on `finding` covers: the first added line of its span, widened to the last added line
 * of the span only when every line between was added (GitHub needs a range inside one hunk). A file without
 * a patch counts as wholly added, but GitHub shows no diff to anchor on, so it gets no comment.
 */
export function commentAnchor(finding: Finding, added: AddedLines): { start: number; end: number } | undefined {
  const { path, startLine, endLine } = finding.location;
  if (added.wholeFile(path)) return undefined;
  const first = added.firstAddedIn(path, startLine, endLine);
  if (first === undefined) return undefined;
  let last = first;
  for (let line = endLine; line > first; line--) {
    if (added.has(path, line)) {
      last = line;
      break;
    }
  }
  for (let line = first + 1; line < last; line++) if (!added.has(path, line)) return { start: first, end: first };
  return { start: first, end: last };
}

/**
 * The commented lines with the finding's edit applied: a GitHub suggestion replaces exactly the commented
 * lines, so none when the edit reaches outside them, does not fit the source, or changes nothing.
 */
export function suggestedLines(finding: Finding, anchor: { start: number; end: number }, source: readonly string[] | undefined): string[] | undefined {
  const edit = finding.fix?.edit;
  if (!edit || !source || anchor.end > source.length) return undefined;
  const r = edit.range;
  if (r.startLine < anchor.start || r.endLine > anchor.end || r.endLine < r.startLine) return undefined;
  const original = source.slice(anchor.start - 1, anchor.end).map((l) => l.replace(/\r$/, ''));
  const first = original[r.startLine - anchor.start];
  const last = original[r.endLine - anchor.start];
  const [from, to] = [r.startColumn - 1, r.endColumn - 1];
  if (from < 0 || from > first.length || to < 0 || to > last.length || (r.startLine === r.endLine && to < from)) return undefined;
  const edited = `${first.slice(0, from)}${edit.text}${last.slice(to)}`.split(/\r?\n/);
  const lines = [...original.slice(0, r.startLine - anchor.start), ...edited, ...original.slice(r.endLine - anchor.start + 1)];
  if (lines.join('\n') === original.join('\n')) return undefined;
  // A CR (or another control) is a line break to Markdown or a terminal: the suggestion would not be the line.
  if (lines.some((l) => new RegExp(UNSAFE_CHARS.source).test(l))) return undefined;
  if (lines.length > MAX_SUGGESTION_LINES || lines.join('\n').length > MAX_SUGGESTION_CHARS) return undefined;
  return lines;
}

/** A ```suggestion block whose fence outgrows any backtick run inside. */
export function suggestionBlock(lines: readonly string[]): string {
  return mdFence(lines.join('\n'), 'suggestion');
}

/** One comment: what is wrong, why it matters, how to fix it (with a suggestion when safe), then the details. */
/** Advisory findings link where `docsUrl` says (the App's advisory page, else the OSV record: see rule-links.ts). */
export function findingDocsUrl(ruleId: string, docsUrl: (ruleId: string) => string | undefined): string | undefined {
  return docsUrl(ruleId);
}

function docsLink(ruleId: string, url: string | undefined): string[] {
  if (!url) return [];
  if (!isAdvisoryId(ruleId)) return [mdLink(`${ruleId} documentation`, url)];
  return [mdLink(url.startsWith('https://osv.dev/') ? `${ruleId} on osv.dev` : `${ruleId} advisory`, url)];
}

/** The findings worth an inline comment: at or above `review.min_severity` (the rest are annotations only). */
export function commentable(findings: readonly Finding[], minSeverity: Severity): Finding[] {
  return findings.filter((f) => severityRank(f.severity) >= severityRank(minSeverity));
}

export function commentBody(finding: Finding, rule: Rule | undefined, suggestion: readonly string[] | undefined, docsUrl: string | undefined, fileUrl?: (path: string, line: number) => string): string {
  const doc = rule?.meta.doc;
  // A finding's own fix text names what the PR wrote (a package, a value): plain text. The rule's doc is pyward's Markdown.
  const fix = finding.fix?.description !== undefined ? mdMessage(finding.fix.description) : doc?.fix;
  const details = [`Confidence: ${finding.confidence}`, ...(finding.cwe ? [cweLink(finding.cwe)] : [])];
  // A pin with several advisories: one comment listing them all, each linked, with the one upgrade that fixes them.
  const pin = pinAdvisoriesMarkdown(finding);
  return [
    pin ? `**${severityBadge(finding.severity)}** ${mdText(finding.ruleName)}` : `**${severityBadge(finding.severity)}** ${mdCode(finding.ruleId)} ${mdText(finding.ruleName)}`,
    // Messages are trusted templates holding untrusted values (B607's program, B105's key, a lockfile's name):
    // plain text but for their `code` spans, so no part of a value is Markdown.
    pin ?? mdMessage(clip(finding.message, MAX_TEXT)),
    ...[flowMarkdown(finding, fileUrl)].filter((x): x is string => !!x).map((x) => clip(x, MAX_TEXT * 2)),
    ...[coversNote(finding)].filter((x): x is string => !!x),
    ...(doc?.why ? [`**Why it matters:** ${clip(doc.why, MAX_TEXT)}`] : []),
    ...(fix ? [`**How to fix:** ${clip(fix, MAX_TEXT)}`] : []),
    ...(suggestion ? [suggestionBlock(suggestion)] : []),
    ...(pin ? [] : docsLink(finding.ruleId, docsUrl)),
    `<sub>${details.join(' · ')}</sub>`,
    fingerprintMarker(finding.fingerprint),
  ].join('\n\n');
}

export function renderReview(findings: readonly Finding[], options: ReviewOptions): RenderedReview {
  const rules = new Map(options.rules.map((r) => [r.meta.id, r]));
  const comments: ReviewComment[] = [];
  const notCommented: RenderedReview['notCommented'] = [];
  const seen = new Set(options.alreadyCommented);
  for (const finding of oneEntryPerProblem(findings).sort(compareFindings)) {
    if (seen.has(finding.fingerprint)) {
      notCommented.push({ finding, reason: 'already-commented' });
      continue;
    }
    const anchor = commentAnchor(finding, options.added);
    if (!anchor) {
      notCommented.push({ finding, reason: 'not-on-added-line' });
      continue;
    }
    if (comments.length >= options.maxComments) {
      notCommented.push({ finding, reason: 'over-limit' });
      continue;
    }
    seen.add(finding.fingerprint);
    const { path } = finding.location;
    const suggestion = suggestedLines(finding, anchor, options.sourceLines(path));
    comments.push({
      path,
      ...(anchor.start < anchor.end ? { start_line: anchor.start, start_side: 'RIGHT' as const } : {}),
      line: anchor.end,
      side: 'RIGHT',
      body: commentBody(finding, rules.get(finding.ruleId), suggestion, findingDocsUrl(finding.ruleId, options.docsUrl), options.fileUrl),
      fingerprint: finding.fingerprint,
    });
  }
  return { comments, notCommented, body: reviewBody(oneEntryPerProblem(findings), notCommented, options.maxComments) };
}

/** The review's own text: how many problems, and where those without an inline comment are listed. */
function reviewBody(findings: readonly Finding[], notCommented: RenderedReview['notCommented'], maxComments: number): string {
  if (findings.length === 0) return 'pyward found no new problems in this pull request.';
  const counts = countBySeverity(findings);
  const bySeverity = SEVERITIES_DESCENDING.filter((s) => counts[s]).map((s) => `${counts[s]} ${s}`);
  const lines = [`pyward found ${plural(findings.length, 'new problem')} in this pull request (${bySeverity.join(', ')}).`];
  const count = (reason: NotCommentedReason) => notCommented.filter((n) => n.reason === reason).length;
  const isAre = (n: number) => (n === 1 ? 'is' : 'are');
  const overLimit = count('over-limit');
  if (overLimit) {
    lines.push(`${plural(overLimit, 'more problem')} beyond the limit of ${plural(maxComments, 'inline comment')} ${isAre(overLimit)} listed in the \`${CHECK_RUN_NAME}\` check run.`);
  }
  const offDiff = count('not-on-added-line');
  if (offDiff) {
    lines.push(`${plural(offDiff, 'problem')} on lines GitHub cannot comment on (no diff shown) ${isAre(offDiff)} listed in the \`${CHECK_RUN_NAME}\` check run.`);
  }
  const already = count('already-commented');
  if (already) lines.push(`${plural(already, 'problem')} ${already === 1 ? 'was' : 'were'} already commented on an earlier push.`);
  return lines.join(' ');
}
