/**
 * At most `MAX_FINDINGS_PER_FILE` findings are kept per file: a generated 1 MB file with 100,000 findings
 * would otherwise make reports of hundreds of MB. The most severe (then most confident, then first) are
 * kept, so the verdict never changes; the rest are counted by rule and said in every report. Pure.
 */
import { confidenceRank, severityRank, type Finding, type FindingsCut } from './types.js';

export const MAX_FINDINGS_PER_FILE = 1000;

const worstFirst = (a: Finding, b: Finding) =>
  severityRank(b.severity) - severityRank(a.severity) ||
  confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
  a.location.startLine - b.location.startLine ||
  a.location.startColumn - b.location.startColumn;

/** `findings` with at most `max` per path (order kept), and what was left out per path. */
export function capPerFile(findings: readonly Finding[], max: number = MAX_FINDINGS_PER_FILE): { kept: Finding[]; cut: FindingsCut[] } {
  const byPath = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byPath.get(f.location.path);
    if (list) list.push(f);
    else byPath.set(f.location.path, [f]);
  }
  const dropped = new Set<Finding>();
  const cut: FindingsCut[] = [];
  for (const [path, list] of byPath) {
    if (list.length <= max) continue;
    const out = [...list].sort(worstFirst).slice(max);
    const byRule: Record<string, number> = {};
    for (const f of out) {
      dropped.add(f);
      byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    }
    cut.push({ path, omitted: out.length, byRule });
  }
  return { kept: dropped.size ? findings.filter((f) => !dropped.has(f)) : [...findings], cut };
}

/** Two cut lists as one (the same path's counts added). */
export function mergeCuts(...lists: (FindingsCut[] | undefined)[]): FindingsCut[] {
  const out = new Map<string, FindingsCut>();
  for (const c of lists.flatMap((l) => l ?? [])) {
    const seen = out.get(c.path);
    if (!seen) out.set(c.path, { path: c.path, omitted: c.omitted, byRule: { ...c.byRule } });
    else {
      seen.omitted += c.omitted;
      for (const [rule, n] of Object.entries(c.byRule)) seen.byRule[rule] = (seen.byRule[rule] ?? 0) + n;
    }
  }
  return [...out.values()];
}
