/** Numbers every renderer shows: counts by severity and the fail-on verdict. */
import { SEVERITIES, severityRank, type Finding, type FindingsCut, type Review, type Severity } from '../engine/types.js';
import { MAX_FINDINGS_PER_FILE } from '../engine/cap-findings.js';

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** True when some finding is at or above the fail-on severity. */
export function failsAt(review: Pick<Review, 'findings'>, failOn: Severity): boolean {
  return review.findings.some((f) => severityRank(f.severity) >= severityRank(failOn));
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** One line for a report: "12,345 findings over the cap of 1,000 per file not listed (a.py: 12,000 B101, ...)". */
export function cutSummary(cut: readonly FindingsCut[]): string | undefined {
  if (!cut.length) return undefined;
  const total = cut.reduce((n, c) => n + c.omitted, 0);
  const files = cut.slice(0, 3).map((c) => `${c.path}: ${Object.entries(c.byRule).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, n]) => `${n.toLocaleString('en-US')} ${r}`).join(', ')}`);
  return `${total.toLocaleString('en-US')} more ${total === 1 ? 'finding' : 'findings'} not listed (at most ${MAX_FINDINGS_PER_FILE.toLocaleString('en-US')} per file, the most severe kept): ${files.join('; ')}${cut.length > 3 ? '; …' : ''}`;
}
