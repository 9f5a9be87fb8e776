/**
 * pyward's OSV matcher against the shared PyPA advisory database snapshot, with packaging's answers
 * computed at run time (scripts/gen-shared-osv-expectations.py); the data stays in ../shared.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseVersion, normalizeVersion, publicVersion, compareVersions, versionsEqual } from '../../src/dependencies/pep440/version.js';
import { lowestSafeVersion, matchAdvisories, recordAffects } from '../../src/dependencies/osv/match.js';
import { parseOsvRecord, recordProblems, isPyPI, eventEntry, type OsvRecord } from '../../src/dependencies/osv/schema.js';
import { scoreCvssVector } from '../../src/dependencies/osv/cvss.js';
import { normalizeName } from '../../src/dependencies/types.js';

const DB = `${process.cwd()}/../shared/advisory-db/pypa-osv.json`;
const PYTHON = '/usr/bin/python3';
const SCRIPT = `${process.cwd()}/scripts/gen-shared-osv-expectations.py`;
const present = existsSync(DB);

/** Versions around a bound: itself, normal form, one below/above, pre/dev/post/local/epoch neighbours. */
function neighbours(raw: string): string[] {
  const v = parseVersion(raw);
  if (!v) return [raw];
  const epoch = v.epoch === 0n ? '' : `${v.epoch}!`;
  const release = [...v.release];
  const base = `${epoch}${release.join('.')}`;
  const pub = publicVersion(v);
  const above = [...release];
  above[above.length - 1]! += 1n;
  const out = [raw, normalizeVersion(v), `${epoch}${above.join('.')}`, `${base}.dev0`, `${base}rc1`,
    `${pub}.post1`, `${pub}+local.7`, `${base}.0`, base];
  const nz = release.map((x) => x !== 0n).lastIndexOf(true);
  if (nz >= 0) {
    const below = release.slice(0, nz + 1);
    below[nz]! -= 1n;
    out.push(`${epoch}${below.join('.')}${nz < release.length - 1 ? '.999' : ''}`);
  }
  if (v.epoch === 0n) out.push(`1!${pub}`);
  return out;
}

const nameVariants = (name: string) => [name, name.toUpperCase(), name.replace(/[-.]/g, '_'), normalizeName(name)];

if (!present) {
  describe('PyPA advisory database (../shared/advisory-db)', () => {
    it.skip(`skipped: ${DB} not found — the shared PyPA OSV snapshot is needed for this test`, () => undefined);
  });
} else {
  describe('PyPA advisory database (../shared/advisory-db)', () => {
    const raw = JSON.parse(readFileSync(DB, 'utf8')) as unknown[];
    const parsed = raw.map((r) => parseOsvRecord(r));
    const records = parsed.flatMap((p) => (p.ok ? [p.record] : []));

    it('every record parses with the schema', () => {
      expect(parsed.filter((p) => !p.ok)).toEqual([]);
      expect(records.length).toBe(raw.length);
      expect(records.length).toBeGreaterThan(2000);
    });

    it('only the two documented bounds are not PEP 440 (binderhub, steam)', () => {
      expect(records.flatMap(recordProblems).map((p) => [p.id, p.package, p.value])).toEqual([
        ['PYSEC-2019-125', 'steam', '2019-09-12'],
        ['PYSEC-2021-371', 'binderhub', '0.2.0-n653'],
      ]);
    });

    it('every CVSS vector in the data scores', () => {
      const vectors = records.flatMap((r) => r.severity.filter((s) => s.type.startsWith('CVSS_V3')).map((s) => s.score));
      expect(vectors.length).toBeGreaterThan(100);
      expect(vectors.filter((v) => scoreCvssVector(v) === undefined)).toEqual([]);
    });

    // ---- pins and packaging's answers
    const recordPins: [number, string, string][] = [];
    const packagePins: [string, string][] = [];
    const byPackage = new Map<string, Set<string>>();
    records.forEach((record, index) => {
      const pins = new Set<string>(['0', '0.0.0', '9999', 'not-a-version']);
      let name = '';
      for (const a of record.affected) {
        if (!isPyPI(a.package.ecosystem)) continue;
        name = a.package.name;
        for (const range of a.ranges) {
          if (range.type !== 'ECOSYSTEM') continue;
          for (const e of range.events) for (const n of neighbours(eventEntry(e)[1])) pins.add(n);
        }
        // versions lists are long: every third entry, plus every entry that is unusual in some way
        a.versions.forEach((listed, i) => {
          const v = parseVersion(listed);
          const unusual = !v || v.pre || v.dev !== undefined || v.post !== undefined || v.local || v.epoch !== 0n || normalizeVersion(v) !== listed;
          if (i % 3 === 0 || unusual) pins.add(listed);
          if (v && normalizeVersion(v) !== listed) pins.add(normalizeVersion(v));
        });
      }
      const variants = nameVariants(name);
      [...pins].forEach((pin, i) => recordPins.push([index, variants[i % variants.length]!, pin]));
      const key = normalizeName(name);
      const set = byPackage.get(key) ?? new Set<string>();
      for (const pin of pins) if (parseVersion(pin)) set.add(pin);
      byPackage.set(key, set);
    });
    for (const [name, pins] of byPackage) {
      const sorted = [...pins].sort((a, b) => compareVersions(a, b));
      const step = Math.max(1, Math.ceil(sorted.length / 8));
      for (let i = 0; i < sorted.length; i += step) packagePins.push([name, sorted[i]!]);
    }

    let answers: { records: [boolean, number][]; packages: { ids: string[]; lowestSafe: string | null }[] };
    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'pyward-osv-'));
      try {
        const pinsFile = join(dir, 'pins.json');
        writeFileSync(pinsFile, JSON.stringify({ records: recordPins, packages: packagePins }));
        const out = execFileSync(PYTHON, [SCRIPT, DB, pinsFile], { maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
        answers = JSON.parse(out.toString('utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 120_000);

    it('covers boundaries, pre/post/local/epoch neighbours, withdrawn and versions-only records', () => {
      expect(recordPins.length).toBeGreaterThan(50_000);
      expect(answers.records).toHaveLength(recordPins.length);
      const affected = answers.records.filter((a) => a[0]).length;
      expect(affected).toBeGreaterThan(1000);
      expect(recordPins.length - affected).toBeGreaterThan(1000);
      const withdrawn = records.map((r, i) => (r.withdrawn ? i : -1)).filter((i) => i >= 0);
      expect(withdrawn.length).toBeGreaterThan(0);
      expect(recordPins.some(([i]) => withdrawn.includes(i))).toBe(true);
      const versionsOnly = records.findIndex((r) => r.affected.every((a) => a.ranges.length === 0) && r.affected.some((a) => a.versions.length > 0));
      expect(versionsOnly).toBeGreaterThanOrEqual(0);
      expect(recordPins.filter(([i], k) => i === versionsOnly && answers.records[k]![0]).length).toBeGreaterThan(0);
    });

    it('pyward and packaging agree for every (record, pin)', () => {
      const disagreements: string[] = [];
      recordPins.forEach(([index, name, pin], k) => {
        const record = records[index]!;
        const verdict = recordAffects(record, name, pin);
        const [affected, notes] = answers.records[k]!;
        if (verdict.affected !== affected || verdict.unparseable.length !== notes) {
          disagreements.push(`${record.id} ${name} ${JSON.stringify(pin)}: pyward ${verdict.affected}/${verdict.unparseable.length}, packaging ${affected}/${notes}`);
        }
      });
      expect(disagreements.slice(0, 20)).toEqual([]);
    });

    it('matchAdvisories and lowestSafeVersion agree with packaging over whole packages', () => {
      const byName = new Map<string, OsvRecord[]>();
      for (const r of records) {
        for (const a of r.affected) {
          if (!isPyPI(a.package.ecosystem)) continue;
          const list = byName.get(normalizeName(a.package.name)) ?? [];
          if (list[list.length - 1] !== r) list.push(r);
          byName.set(normalizeName(a.package.name), list);
        }
      }
      const disagreements: string[] = [];
      packagePins.forEach(([name, pin], k) => {
        const expected = answers.packages[k]!;
        const recs = byName.get(name) ?? [];
        const ids = matchAdvisories({ name, version: pin }, recs, { dedupeByAlias: false }).map((m) => m.id);
        if (JSON.stringify(ids) !== JSON.stringify(expected.ids)) disagreements.push(`${name} ${pin}: ids ${ids} vs ${expected.ids}`);
        const safe = lowestSafeVersion(pin, recs, name);
        const same = safe === undefined || expected.lowestSafe === null ? safe === (expected.lowestSafe ?? undefined) : versionsEqual(safe, expected.lowestSafe);
        if (!same) disagreements.push(`${name} ${pin}: lowest safe ${safe} vs ${expected.lowestSafe}`);
      });
      expect(packagePins.length).toBeGreaterThan(1000);
      expect(disagreements.slice(0, 20)).toEqual([]);
    });
  });
}
