/**
 * Inline suppression, one model for code, data flow and dependency pins:
 * - Bandit's `# nosec`, `#nosec`, `# nosec B602, B607`, `# nosec: B602`, `# nosec subprocess_popen_with_shell_equals_true`;
 * - pyward's `# pyward: ignore[B602, B603] reason="input is a fixed enum" until=2027-03-31` (`ignore` without
 *   ids: every rule on that line; advisory ids and their aliases in requirements files).
 * pyward honours the comment on any line of the statement that holds the finding (Bandit only reads the
 * flagged line). Whether a matching comment still suppresses is decided against the review's date and the
 * config (`suppressionVerdict`): past its `until` it has expired, and with `suppressions.require_reason` one
 * without a reason (every bare `# nosec`) is not honoured; both findings are reported, saying why.
 */
import { asSentence } from '../dependencies/osv/summary-text.js';
import type { Finding, SuppressedFinding } from './types.js';
import { redactCredentials } from '../rules/secrets/detect.js';

export interface Suppression {
  kind: 'nosec' | 'pyward';
  /** Upper-cased rule ids and lower-cased names; empty = every rule. */
  targets: Set<string>;
  comment: string;
  reason?: string;
  /** Last day (YYYY-MM-DD) the suppression applies. */
  until?: string;
  /** An `until=` that is not a date: such a comment suppresses nothing. */
  invalidUntil?: string;
}

/** Kept for Bandit's vocabulary: a `# nosec` comment is a suppression. */
export type Nosec = Suppression;

const NOSEC = /#\s*nosec\b:?\s*([^#]*)/i;
const PYWARD = /#\s*pyward:\s*ignore\b(?:\[([^\]]*)\])?(.*)$/i;
const ID_SHAPED = /^[A-Za-z]{1,3}\d{3,}$/;

/**
 * As in Bandit, only words that are rule ids or names count as targets; other words are prose
 * (`# nosec -- reviewed by security`), and a comment with no target silences every rule.
 */
export function parseNosec(comment: string, isRuleWord: (word: string) => boolean): Suppression | undefined {
  return parseSuppression(comment, isRuleWord);
}

/** The suppression a comment states (pyward's form first, then Bandit's), or undefined. */
export function parseSuppression(comment: string, isRuleWord: (word: string) => boolean): Suppression | undefined {
  const p = PYWARD.exec(comment);
  if (p) return parsePyward(p, comment);
  const m = NOSEC.exec(comment);
  if (!m) return undefined;
  const targets = new Set<string>();
  for (const raw of m[1].split(/[\s,]+/)) {
    const word = raw.trim();
    // An id-shaped word always narrows the comment, even for a rule this version lacks: never widen it to all.
    if (!word || !(isRuleWord(word) || ID_SHAPED.test(word))) continue;
    targets.add(ID_SHAPED.test(word) ? word.toUpperCase() : word.toLowerCase());
  }
  return { kind: 'nosec', targets, comment: comment.trim() };
}

function parsePyward(m: RegExpExecArray, comment: string): Suppression {
  // Ids in brackets are taken as written: rule ids, rule names, advisory ids (PYSEC-…, GHSA-…, CVE-…).
  const targets = new Set<string>();
  for (const raw of (m[1] ?? '').split(/[\s,]+/)) {
    const word = raw.trim();
    if (word) targets.add(/^[A-Za-z]{1,5}[-\d]/.test(word) ? word.toUpperCase() : word.toLowerCase());
  }
  const rest = m[2] ?? '';
  const out: Suppression = { kind: 'pyward', targets, comment: comment.trim() };
  const reason = /\breason\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/i.exec(rest);
  const text = reason ? (reason[1] ?? reason[2] ?? reason[3] ?? '').trim() : '';
  if (text) out.reason = text;
  const until = /\buntil\s*=\s*(\S+)/i.exec(rest);
  if (until) {
    if (isDate(until[1])) out.until = until[1];
    else out.invalidUntil = until[1];
  }
  return out;
}

function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function nosecApplies(s: Suppression, ruleId: string, ruleName: string): boolean {
  return suppressionApplies(s, [ruleId], ruleName);
}

/** Does the comment name this finding (by id, an alias such as an advisory's CVE, or rule name)? */
export function suppressionApplies(s: Suppression, ids: readonly string[], ruleName: string): boolean {
  if (s.targets.size === 0) return true;
  if (ids.some((id) => s.targets.has(id.toUpperCase())) || s.targets.has(ruleName.toLowerCase())) return true;
  // Bandit's umbrella id for every blacklist check
  return s.targets.has('B001') && ids.some((id) => /^B[34]\d\d$/.test(id));
}

export interface SuppressionPolicy {
  /** The review's date, YYYY-MM-DD. */
  today: string;
  /** `suppressions.require_reason`: a suppression without a reason is not honoured. */
  requireReason: boolean;
}

export function suppressionPolicy(config: { suppressions: { require_reason: boolean } }, today: string): SuppressionPolicy {
  return { today, requireReason: config.suppressions.require_reason };
}

/** Whether a matching comment suppresses today; when not, the sentence the finding gains to say why. */
export function suppressionVerdict(s: Partial<Pick<Suppression, 'kind' | 'reason' | 'until' | 'invalidUntil'>>, line: number, policy: SuppressionPolicy): { active: true } | { active: false; note: string } {
  const what = s.kind === 'pyward' ? '`# pyward: ignore`' : '`# nosec`';
  if (s.invalidUntil !== undefined) {
    return { active: false, note: `The ${what} on line ${line} does not apply: its until=${s.invalidUntil} is not a date (YYYY-MM-DD).` };
  }
  if (s.until !== undefined && s.until < policy.today) {
    return { active: false, note: `The ${what} on line ${line} expired on ${s.until}${s.reason ? ` (reason: ${s.reason})` : ''}, so this is reported again.` };
  }
  if (policy.requireReason && !s.reason) {
    return {
      active: false,
      note: `The ${what} on line ${line} is not honoured: this repository requires a reason for every suppression (\`suppressions.require_reason: true\`); write \`# pyward: ignore[ID] reason="why it is safe" until=YYYY-MM-DD\` instead.`,
    };
  }
  return { active: true };
}

/**
 * How a suppressed finding records what silenced it. The comment is shown in summaries, JSON and SARIF: a
 * credential in it (`# old token ghp_...  # nosec`) is redacted like everywhere else.
 */
export function suppressionRecord(s: Suppression, line: number): SuppressedFinding['suppression'] {
  return { comment: redactCredentials(s.comment), line, kind: s.kind, ...(s.reason ? { reason: s.reason } : {}), ...(s.until ? { until: s.until } : {}), ...(s.invalidUntil ? { invalidUntil: s.invalidUntil } : {}) };
}

/**
 * The review's date and config applied to what the analysis suppressed: an expired comment, one with an
 * invalid date, or one without a reason where a reason is required stops suppressing, and its finding is
 * reported again saying why. Pure; the findings lists are new arrays.
 */
export function applySuppressionPolicy<T extends { findings: Finding[]; suppressed: SuppressedFinding[] }>(review: T, policy: SuppressionPolicy): T {
  const findings = [...review.findings];
  const suppressed: SuppressedFinding[] = [];
  const reinstated: Finding[] = [];
  for (const f of review.suppressed) {
    const verdict = suppressionVerdict(f.suppression, f.suppression.line, policy);
    if (verdict.active) {
      suppressed.push(f);
      continue;
    }
    const { suppression, ...finding } = f;
    const reported: Finding = {
      ...finding,
      message: `${asSentence(finding.message)} ${verdict.note}`,
      properties: { ...finding.properties, suppression: { comment: suppression.comment, line: suppression.line, ...(suppression.until ? { until: suppression.until } : {}), honoured: false } },
    };
    findings.push(reported);
    reinstated.push(reported);
  }
  // A covering finding reported again stands for the Bandit findings on its call again (one comment for the problem).
  for (const r of reinstated) {
    if (!r.covers?.length) continue;
    findings.forEach((g, i) => {
      if (g !== r && r.covers!.includes(g.ruleId) && g.location.path === r.location.path && g.location.startLine === r.location.startLine) findings[i] = { ...g, coveredBy: r.ruleId };
    });
  }
  return { ...review, findings, suppressed };
}
