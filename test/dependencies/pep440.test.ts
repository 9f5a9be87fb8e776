import { readFileSync } from 'node:fs';
import {
  InvalidVersionError,
  compareVersions,
  isPrerelease,
  isValidVersion,
  normalizeVersion,
  parseVersion,
  publicVersion,
  sortVersions,
  versionsEqual,
} from '../../src/dependencies/pep440/version.js';

/** Expected answers generated from Python's `packaging` by scripts/gen-pep440-cases.py. */
interface ParseCase {
  input: string;
  valid: boolean;
  normalized?: string;
  public?: string;
  base?: string;
  epoch?: number;
  release?: number[] | null;
  pre?: [string, number] | null;
  post?: number | null;
  dev?: number | null;
  local?: string | null;
  isPrerelease?: boolean;
}
const cases = JSON.parse(readFileSync(new URL('../fixtures/pep440-cases.json', import.meta.url), 'utf8')) as {
  packaging: string;
  parse: ParseCase[];
  compare: [string, string, -1 | 0 | 1][];
  sorted: string[];
};

describe('PEP 440 parsing, against packaging', () => {
  it('has the generated cases', () => {
    expect(cases.parse.length).toBeGreaterThan(50);
    expect(cases.compare.length).toBeGreaterThanOrEqual(200);
  });

  it.each(cases.parse.map((c) => [JSON.stringify(c.input), c] as const))('%s', (_name, c) => {
    expect(isValidVersion(c.input)).toBe(c.valid);
    const v = parseVersion(c.input);
    if (!c.valid) {
      expect(v).toBeUndefined();
      expect(() => compareVersions(c.input, '1.0')).toThrow(InvalidVersionError);
      expect(versionsEqual(c.input, c.input)).toBe(false);
      return;
    }
    expect(v).toBeDefined();
    expect(normalizeVersion(c.input)).toBe(c.normalized);
    expect(publicVersion(c.input)).toBe(c.public);
    expect(Number(v!.epoch)).toBe(c.epoch);
    if (c.release) expect(v!.release.map(Number)).toEqual(c.release);
    expect(v!.pre ? [v!.pre[0], Number(v!.pre[1])] : null).toEqual(c.pre);
    expect(v!.post === undefined ? null : Number(v!.post)).toBe(c.post);
    expect(v!.dev === undefined ? null : Number(v!.dev)).toBe(c.dev);
    expect(v!.local ? v!.local.join('.') : null).toBe(c.local);
    expect(isPrerelease(c.input)).toBe(c.isPrerelease);
    expect(versionsEqual(c.input, c.normalized!)).toBe(true);
  });
});

describe('PEP 440 ordering, against packaging', () => {
  it.each(cases.compare)('%s vs %s -> %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(expected === 0 ? 0 : -expected);
    expect(versionsEqual(a, b)).toBe(expected === 0);
  });

  it('sorts like sorted(key=Version)', () => {
    const sorted = sortVersions([...cases.sorted].reverse());
    expect(sorted).toHaveLength(cases.sorted.length);
    // equal versions (1.0, 1.0.0) may swap places, so compare position by position by PEP 440 equality
    sorted.forEach((v, i) => expect([v, compareVersions(v, cases.sorted[i]!)]).toEqual([v, 0]));
  });
});

describe('PEP 440 points the advisory data exercises', () => {
  it.each([
    ['2.0rc1', '2.0', -1],
    ['2.0.dev0', '2.0a1', -1],
    ['2.0a1', '2.0rc1', -1],
    ['1.0', '1.0+local', -1],
    ['1.0+local', '1.0.post1', -1],
    ['1.0.post1', '1.0.1', -1],
    ['1!0.1', '99999.0', 1],
    ['4.2.9', '4.2.10', -1],
    ['0.9', '0.10', -1],
    ['1.8c1', '1.8rc1', 0],
    ['3.8-rc', '3.8rc0', 0],
    ['0.1.7a', '0.1.7a0', 0],
    ['2019.11.09', '2019.11.9', 0],
    ['0.1.2-1', '0.1.2.post1', 0],
    ['1.0-beta', '1.0b0', 0],
    ['1.0', '1.0.0.0', 0],
    ['18446744073709551616', '18446744073709551617', -1],
  ] as const)('%s vs %s -> %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('equality is version equality, not string equality', () => {
    expect(versionsEqual('0.5', '0.5.0')).toBe(true);
    expect(versionsEqual('1.0+local', '1.0')).toBe(false);
    expect(versionsEqual('trunk', 'trunk')).toBe(false);
  });
});
