/** How severe an OSV record is: CVSS 3.x scored, CVSS 4.0 approximated, or the database's own label. */
import { scoreCvssVector, severityFromScore } from './cvss.js';
import type { OsvAffected, OsvRecord } from './schema.js';

export type AdvisorySeverity = 'critical' | 'high' | 'medium' | 'low' | 'unknown';

export interface SeverityInfo {
  level: AdvisorySeverity;
  /** Where the level comes from. */
  source: 'cvss' | 'cvss-approximation' | 'database' | 'none';
  /** The CVSS vector used, when there is one. */
  vector?: string;
  /** The CVSS base score (approximate for CVSS 4.0, see cvss.ts). */
  score?: number;
}

const DB_SEVERITY: Record<string, AdvisorySeverity> = {
  critical: 'critical', high: 'high', important: 'high', moderate: 'medium', medium: 'medium', low: 'low',
};

function databaseSeverity(record: OsvRecord, entries: OsvAffected[]): AdvisorySeverity | undefined {
  const candidates: unknown[] = [record.database_specific?.severity];
  for (const e of entries) candidates.push(e.database_specific?.severity, e.ecosystem_specific?.severity);
  for (const c of candidates) {
    if (typeof c === 'string' && DB_SEVERITY[c.trim().toLowerCase()]) return DB_SEVERITY[c.trim().toLowerCase()];
  }
  return undefined;
}

/**
 * The severity of a record: the highest CVSS 3.x base score among its vectors (record-level and the
 * package's entries); else, for CVSS 4.0, the database's own severity when given, otherwise the v4
 * approximation; else the database's severity (`database_specific.severity`: CRITICAL, HIGH,
 * MODERATE, LOW); else `unknown`. A CVSS score of 0.0 reads as `low`.
 */
export function recordSeverity(record: OsvRecord, entries: OsvAffected[] = record.affected): SeverityInfo {
  const all = [...record.severity, ...entries.flatMap((e) => e.severity)];
  let best: SeverityInfo | undefined;
  let bestV4: SeverityInfo | undefined;
  for (const s of all) {
    const scored = scoreCvssVector(s.score);
    if (!scored) continue;
    const level = toLevel(scored.baseScore);
    const info: SeverityInfo = {
      level,
      source: scored.approximate ? 'cvss-approximation' : 'cvss',
      vector: s.score,
      score: scored.baseScore,
    };
    if (scored.approximate) {
      if (!bestV4 || scored.baseScore > bestV4.score!) bestV4 = info;
    } else if (!best || scored.baseScore > best.score!) {
      best = info;
    }
  }
  if (best) return best;
  const db = databaseSeverity(record, entries);
  if (db) return { level: db, source: 'database' };
  if (bestV4) return bestV4;
  return { level: 'unknown', source: 'none' };
}

function toLevel(score: number): AdvisorySeverity {
  const band = severityFromScore(score);
  return band === 'none' ? 'low' : band;
}
