/**
 * `--baseline FILE`, as Bandit's `-b`: a previous `--format json` report; findings whose fingerprint it
 * lists are known and not reported again. Fingerprints are stable across line shifts, so moving code does
 * not bring a known finding back. A file that is missing or not such a report is an error (exit 2), never
 * an empty baseline: that would report everything, or worse, an unreadable file taken as "all known".
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { JSON_FORMAT_VERSION } from '../report/json.js';
import type { Finding } from '../engine/types.js';

const report = z.object({
  formatVersion: z.literal(JSON_FORMAT_VERSION),
  tool: z.object({ name: z.literal('pyward') }),
  // Only the fingerprints decide; the rest of each finding is not read.
  findings: z.array(z.object({ fingerprint: z.string().min(1) }).passthrough()),
});

export type Baseline = { ok: true; fingerprints: Set<string> } | { ok: false; error: string };

export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `the baseline ${file} is not JSON (${(err as Error).message}); make it with pyward scan --format json --output ${file}` };
  }
  const parsed = report.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `the baseline ${file} is not a pyward JSON report (${issue.path.join('.') || 'top level'}: ${issue.message}); make it with pyward scan --format json --output ${file}` };
  }
  return { ok: true, fingerprints: new Set(parsed.data.findings.map((f) => f.fingerprint)) };
}

export function readBaseline(path: string, display: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, error: `cannot read the baseline ${display}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  return parseBaseline(text, display);
}

/** The findings not in the baseline, and how many were. */
export function withoutBaseline<T extends Pick<Finding, 'fingerprint'>>(findings: T[], fingerprints: ReadonlySet<string>): { findings: T[]; known: number } {
  const kept = findings.filter((f) => !fingerprints.has(f.fingerprint));
  return { findings: kept, known: findings.length - kept.length };
}
