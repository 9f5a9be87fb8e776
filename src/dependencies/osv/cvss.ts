/**
 * CVSS base scores from vector strings, and the qualitative severity bands.
 *
 * - CVSS 3.0 / 3.1: the base score exactly as the FIRST specification defines it
 *   (https://www.first.org/cvss/v3.1/specification-document §7.1 and Appendix A for 3.1's Roundup;
 *   3.0 rounds up with `ceil(x * 10) / 10`). Temporal and environmental metrics are ignored.
 * - CVSS 4.0: NOT the FIRST macro-vector algorithm (that needs its 270-entry lookup table). An
 *   approximation, flagged `approximate: true`: the v4 base metrics are mapped onto 3.1 ones and
 *   scored with the 3.1 formula —
 *     AV -> AV; AC:H or AT:P -> AC:H, else AC:L; PR -> PR; UI:N -> UI:N, UI:P/A -> UI:R;
 *     VC/VI/VA -> C/I/A; scope changed (S:C) when a subsequent-system impact (SC/SI/SA) is H.
 *   Callers should prefer a database's own severity for v4 records when one is given.
 */

export type CvssSeverity = 'critical' | 'high' | 'medium' | 'low' | 'none';

export interface CvssScore {
  version: '3.0' | '3.1' | '4.0';
  baseScore: number;
  /** True when the score is the CVSS 4.0 approximation described above. */
  approximate: boolean;
}

const AV: Record<string, number> = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC: Record<string, number> = { L: 0.77, H: 0.44 };
const PR_UNCHANGED: Record<string, number> = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED: Record<string, number> = { N: 0.85, L: 0.68, H: 0.5 };
const UI: Record<string, number> = { N: 0.85, R: 0.62 };
const CIA: Record<string, number> = { H: 0.56, L: 0.22, N: 0 };
const SCOPE = new Set(['U', 'C']);

const V3_BASE: Record<string, Record<string, unknown> | Set<string>> = {
  AV, AC, PR: PR_UNCHANGED, UI, S: SCOPE, C: CIA, I: CIA, A: CIA,
};

/** Splits `CVSS:3.1/AV:N/...` into its prefix version and metrics; undefined when malformed or repeated. */
function splitVector(vector: string): { version: string; metrics: Map<string, string> } | undefined {
  const parts = vector.trim().split('/');
  const head = /^CVSS:(\d+\.\d+)$/.exec(parts[0] ?? '');
  if (!head) return undefined;
  const metrics = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m || metrics.has(m[1]!)) return undefined;
    metrics.set(m[1]!, m[2]!);
  }
  return { version: head[1]!, metrics };
}

/** CVSS 3.1 Roundup (Appendix A): avoids floating-point artefacts such as 4.000000000000001 -> 4.1. */
function roundUp31(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

function roundUp30(x: number): number {
  return Math.ceil(x * 10) / 10;
}

interface V3Metrics { AV: string; AC: string; PR: string; UI: string; S: string; C: string; I: string; A: string }

function v3Score(m: V3Metrics, roundUp: (x: number) => number): number {
  const changed = m.S === 'C';
  const iss = 1 - (1 - CIA[m.C]!) * (1 - CIA[m.I]!) * (1 - CIA[m.A]!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const pr = (changed ? PR_CHANGED : PR_UNCHANGED)[m.PR]!;
  const exploitability = 8.22 * AV[m.AV]! * AC[m.AC]! * pr * UI[m.UI]!;
  if (impact <= 0) return 0;
  return changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
}

/** The CVSS 3.0/3.1 base score of a vector (`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` -> 9.8). */
export function cvss3BaseScore(vector: string): number | undefined {
  const parsed = splitVector(vector);
  if (!parsed || (parsed.version !== '3.0' && parsed.version !== '3.1')) return undefined;
  const m: Record<string, string> = {};
  for (const [key, allowed] of Object.entries(V3_BASE)) {
    const value = parsed.metrics.get(key);
    if (value === undefined) return undefined;
    const ok = allowed instanceof Set ? allowed.has(value) : value in allowed;
    if (!ok) return undefined;
    m[key] = value;
  }
  return v3Score(m as unknown as V3Metrics, parsed.version === '3.1' ? roundUp31 : roundUp30);
}

const V4_VALUES: Record<string, string[]> = {
  AV: ['N', 'A', 'L', 'P'], AC: ['L', 'H'], AT: ['N', 'P'], PR: ['N', 'L', 'H'], UI: ['N', 'P', 'A'],
  VC: ['H', 'L', 'N'], VI: ['H', 'L', 'N'], VA: ['H', 'L', 'N'], SC: ['H', 'L', 'N'], SI: ['H', 'L', 'N'], SA: ['H', 'L', 'N'],
};

/** The approximate base score of a CVSS 4.0 vector (see the module comment); undefined when malformed. */
export function cvss4ApproximateScore(vector: string): number | undefined {
  const parsed = splitVector(vector);
  if (!parsed || parsed.version !== '4.0') return undefined;
  const v: Record<string, string> = {};
  for (const [key, allowed] of Object.entries(V4_VALUES)) {
    const value = parsed.metrics.get(key);
    if (value === undefined || !allowed.includes(value)) return undefined;
    v[key] = value;
  }
  const subsequentHigh = v.SC === 'H' || v.SI === 'H' || v.SA === 'H';
  return v3Score(
    {
      AV: v.AV!, AC: v.AC === 'H' || v.AT === 'P' ? 'H' : 'L', PR: v.PR!, UI: v.UI === 'N' ? 'N' : 'R',
      S: subsequentHigh ? 'C' : 'U', C: v.VC!, I: v.VI!, A: v.VA!,
    },
    roundUp31,
  );
}

/** Scores a CVSS 3.x or 4.0 vector; undefined for anything else (CVSS 2, malformed). */
export function scoreCvssVector(vector: string): CvssScore | undefined {
  const version = /^\s*CVSS:(\d+\.\d+)\//.exec(vector)?.[1];
  if (version === '3.0' || version === '3.1') {
    const baseScore = cvss3BaseScore(vector);
    return baseScore === undefined ? undefined : { version, baseScore, approximate: false };
  }
  if (version === '4.0') {
    const baseScore = cvss4ApproximateScore(vector);
    return baseScore === undefined ? undefined : { version, baseScore, approximate: true };
  }
  return undefined;
}

/** The CVSS qualitative rating: 0 none, 0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10 critical. */
export function severityFromScore(score: number): CvssSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'none';
}
