/** Numbers every renderer shows: counts by severity and the fail-on verdict. */
import { SEVERITIES, severityRank, type Finding, type Review, type Severity } from '../engine/types.js';

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
