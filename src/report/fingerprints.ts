/**
 * Finding fingerprints that survive line shifts: rule id + path + the flagged line's code with whitespace
 * squeezed + its occurrence number among identical (rule, code) pairs in the file.
 */
import { createHash } from 'node:crypto';

export function normaliseCode(line: string): string {
  return line.replace(/\s+/g, ' ').trim();
}

export interface FingerprintInput {
  ruleId: string;
  path: string;
  code: string;
}

/** Fingerprints for findings of one file, in order; identical inputs get distinct occurrence numbers. */
export function fingerprintAll(inputs: FingerprintInput[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((f) => {
    const key = `${f.ruleId}\u0000${f.path}\u0000${normaliseCode(f.code)}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return createHash('sha256').update(`${key}\u0000${n}`).digest('hex').slice(0, 20);
  });
}
