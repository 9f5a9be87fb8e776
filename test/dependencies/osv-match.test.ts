import { readFileSync } from 'node:fs';
import {
  lowestSafeVersion,
  matchAdvisories,
  recordAffects,
  recordSeverity,
} from '../../src/dependencies/osv/match.js';
import { OsvRecordSchema, parseOsvRecord, recordProblems, type OsvRecord, type OsvRecordInput } from '../../src/dependencies/osv/schema.js';

/** Hand-written ranges x many versions; answers from packaging (scripts/gen-osv-cases.py). */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/osv-cases.json', import.meta.url), 'utf8')) as {
  records: unknown[];
  cases: [string, string, string, boolean, number][];
};
const fixtureRecords = new Map(fixture.records.map((r) => {
  const record = OsvRecordSchema.parse(r);
  return [record.id, record] as const;
}));

describe('OSV range evaluation, against packaging', () => {
  it('has the generated cases', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(200);
    expect(fixture.cases.some((c) => c[3])).toBe(true);
  });

  it.each(fixture.cases)('%s: %s %j -> affected %s (unparseable ranges %d)', (id, name, version, affected, notes) => {
    const record = fixtureRecords.get(id)!;
    const verdict = recordAffects(record, name, version);
    expect(verdict.affected).toBe(affected);
    expect(verdict.unparseable).toHaveLength(notes);
    const matches = matchAdvisories({ name, version }, [record]);
    expect(matches.map((m) => m.id)).toEqual(affected ? [id] : []);
    expect(matches.unparseable.filter((u) => u.id === id)).toHaveLength(notes);
  });
});

// ---------------------------------------------------------------------------------------------
// Real advisories (facts from the PyPA advisory database and GHSA/NVD; no text copied).

function osv(id: string, name: string, events: Record<string, string>[], extra: Partial<OsvRecordInput> = {}): OsvRecord {
  return OsvRecordSchema.parse({
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
    ...extra,
  });
}
const CRITICAL_98 = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];

const pyyaml = [
  osv('PYSEC-2018-49', 'pyyaml', [{ introduced: '0' }, { fixed: '5.1' }], { aliases: ['CVE-2017-18342', 'GHSA-rprw-h62v-c2w7'] }),
  osv('PYSEC-2020-96', 'pyyaml', [{ introduced: '5.1' }, { fixed: '5.3.1' }], { aliases: ['CVE-2020-1747', 'GHSA-6757-jp84-gxfx'] }),
  osv('PYSEC-2020-176', 'pyyaml', [{ introduced: '5.1' }, { fixed: '5.2b1' }], { aliases: ['CVE-2019-20477', 'GHSA-3pqx-4fqf-j49f'] }),
  osv('PYSEC-2021-142', 'pyyaml', [{ introduced: '0' }, { fixed: '5.4' }], {
    aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'],
    summary: 'Arbitrary code execution in full_load / FullLoader',
    severity: CRITICAL_98,
  }),
];
const django = [
  osv('PYSEC-2021-98', 'django', [{ introduced: '0' }, { fixed: '2.2.24' }, { introduced: '3.0' }, { fixed: '3.1.12' }, { introduced: '3.2' }, { fixed: '3.2.4' }], {
    aliases: ['CVE-2021-33203', 'GHSA-68w8-qjq3-2gfm'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N' }],
  }),
  osv('PYSEC-2022-190', 'django', [{ introduced: '4.0' }, { fixed: '4.0.4' }, { introduced: '3.2' }, { fixed: '3.2.13' }, { introduced: '2.2' }, { fixed: '2.2.28' }], {
    aliases: ['CVE-2022-28346', 'GHSA-2gwj-7jmv-h26r'],
    severity: CRITICAL_98,
  }),
  osv('PYSEC-2022-213', 'django', [{ introduced: '3.2' }, { fixed: '3.2.14' }, { introduced: '4.0' }, { fixed: '4.0.6' }], {
    aliases: ['CVE-2022-34265', 'GHSA-p64x-8rxx-wf6q'],
  }),
  osv('PYSEC-2023-61', 'django', [{ introduced: '3.2' }, { fixed: '3.2.19' }, { introduced: '4.0' }, { fixed: '4.1.9' }, { introduced: '4.2' }, { fixed: '4.2.1' }], {
    aliases: ['CVE-2023-31047'],
  }),
];
const jinja2 = [
  osv('PYSEC-2019-217', 'jinja2', [{ introduced: '0' }, { fixed: '2.10.1' }], {
    aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }],
  }),
  osv('PYSEC-2021-66', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }], {
    aliases: ['CVE-2020-28493', 'SNYK-PYTHON-JINJA2-1012994', 'GHSA-g3rq-g295-4j3m'],
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' }],
  }),
  osv('PYSEC-2019-220', 'jinja2', [{ introduced: '0' }, { fixed: '2.8.1' }], { aliases: ['CVE-2016-10745', 'GHSA-hj2j-77xm-mc5v'] }),
];
const all = [...pyyaml, ...django, ...jinja2];

describe('matchAdvisories on real advisories', () => {
  it('PyYAML 5.3.1 is hit by CVE-2020-14343 only', () => {
    const [m, ...rest] = matchAdvisories({ name: 'PyYAML', version: '5.3.1' }, all);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      id: 'PYSEC-2021-142',
      aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'],
      summary: 'Arbitrary code execution in full_load / FullLoader',
      severity: 'critical',
      severityInfo: { source: 'cvss', score: 9.8 },
      package: 'pyyaml',
      ranges: ['<5.4'],
      matchedBy: { kind: 'range', range: '<5.4' },
      fixedVersions: ['5.4'],
      fixedIn: '5.4',
    });
  });

  it.each([
    ['PyYAML', '5.1', ['PYSEC-2020-96', 'PYSEC-2020-176', 'PYSEC-2021-142']],
    ['pyyaml', '5.0', ['PYSEC-2018-49', 'PYSEC-2021-142']],
    ['PyYAML', '5.2b1', ['PYSEC-2020-96', 'PYSEC-2021-142']],
    ['PyYAML', '5.4b2', ['PYSEC-2021-142']], // a pre-release of the fix is below it
    ['PyYAML', '5.4', []],
    ['PyYAML', '5.4+local', []],
    ['Django', '3.2.12', ['PYSEC-2022-190', 'PYSEC-2022-213', 'PYSEC-2023-61']],
    ['Django', '3.2rc1', []], // above 3.1.12, below every `introduced: 3.2`
    ['Django', '3.1.12rc1', ['PYSEC-2021-98']], // a pre-release of a fix is still affected
    ['django', '4.0.5', ['PYSEC-2022-213', 'PYSEC-2023-61']],
    ['Django', '4.2', ['PYSEC-2023-61']],
    ['Django', '4.2.1', []],
    ['Jinja2', '2.10', ['PYSEC-2019-217', 'PYSEC-2021-66']],
    ['jinja2', '2.8', ['PYSEC-2019-217', 'PYSEC-2021-66', 'PYSEC-2019-220']],
    ['Jinja2', '2.11.3', []],
    ['Jinja2', '2.11.3rc1', ['PYSEC-2021-66']],
  ])('%s %s', (name, version, ids) => {
    expect(matchAdvisories({ name, version }, all).map((m) => m.id)).toEqual(ids);
  });

  it('Django ranges are listed in version order with their text', () => {
    const [m] = matchAdvisories({ name: 'django', version: '4.0.1' }, [django[1]!]);
    expect(m!.ranges).toEqual(['>=2.2, <2.2.28', '>=3.2, <3.2.13', '>=4.0, <4.0.4']);
    expect(m!.matchedBy).toEqual({ kind: 'range', range: '>=4.0, <4.0.4' });
    expect(m!.fixedVersions).toEqual(['2.2.28', '3.2.13', '4.0.4']);
    expect(m!.fixedIn).toBe('4.0.4');
  });
});

describe('lowestSafeVersion', () => {
  it.each([
    ['3.13', pyyaml, '5.4'], // 5.1, 5.2b1 and 5.3.1 each still fall in another advisory
    ['5.1', pyyaml, '5.4'],
    ['5.4b2', pyyaml, '5.4'],
    ['5.4', pyyaml, undefined], // not affected
    ['3.2.12', django, '3.2.19'],
    ['4.0.3', django, '4.1.9'], // 4.0.4 and 4.0.6 are still inside PYSEC-2023-61's 4.0 -> 4.1.9 range
    ['2.2.10', django, '2.2.28'],
    ['2.10', jinja2, '2.11.3'],
    ['2.7', jinja2, '2.11.3'],
    ['not a version', jinja2, undefined],
  ])('%s -> %s', (version, records, expected) => {
    expect(lowestSafeVersion(version, records)).toBe(expected);
  });

  it('only counts the named package when a name is given', () => {
    expect(lowestSafeVersion('2.2', all, 'Django')).toBe('2.2.28');
    expect(lowestSafeVersion('2.2', all, 'jinja2')).toBe('2.11.3');
  });

  it('is undefined when no fixed version escapes every advisory', () => {
    const open = osv('X-1', 'demo', [{ introduced: '2.0' }]);
    const fixedEarly = osv('X-2', 'demo', [{ introduced: '0' }, { fixed: '2.1' }]);
    expect(lowestSafeVersion('1.0', [open, fixedEarly])).toBeUndefined();
  });
});

describe('severity', () => {
  const base = { id: 'S-1', modified: '2024-01-01T00:00:00Z', affected: [] };
  it.each([
    ['CVSS v3.1 vector', { severity: CRITICAL_98 }, { level: 'critical', source: 'cvss', score: 9.8 }],
    ['CVSS v3.0 vector', { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }] }, { level: 'high', score: 8.6 }],
    ['highest of several vectors', {
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N' },
      ],
    }, { level: 'medium', score: 5.3 }],
    ['vector beats database label', { severity: CRITICAL_98, database_specific: { severity: 'LOW' } }, { level: 'critical', source: 'cvss' }],
    ['GHSA database label MODERATE', { database_specific: { severity: 'MODERATE' } }, { level: 'medium', source: 'database' }],
    ['GHSA database label HIGH', { database_specific: { severity: 'HIGH' } }, { level: 'high', source: 'database' }],
    ['CVSS v4 with a database label', {
      severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }],
      database_specific: { severity: 'HIGH' },
    }, { level: 'high', source: 'database' }],
    ['CVSS v4 alone', {
      severity: [{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }],
    }, { level: 'critical', source: 'cvss-approximation' }],
    ['zero score', { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' }] }, { level: 'low', score: 0 }],
    ['CVSS v2 only', { severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' }] }, { level: 'unknown', source: 'none' }],
    ['nothing', {}, { level: 'unknown', source: 'none' }],
  ])('%s', (_name, extra, expected) => {
    expect(recordSeverity(OsvRecordSchema.parse({ ...base, ...extra }))).toMatchObject(expected);
  });

  it('reads severity from the package entry too', () => {
    const record = OsvRecordSchema.parse({
      ...base,
      affected: [{ package: { ecosystem: 'PyPI', name: 'demo' }, severity: CRITICAL_98, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
    });
    expect(matchAdvisories({ name: 'demo', version: '1.0' }, [record])[0]!.severity).toBe('critical');
  });
});

describe('matchAdvisories details', () => {
  it('skips withdrawn records and other ecosystems', () => {
    const withdrawn = osv('W-1', 'redis', [{ introduced: '0' }], { withdrawn: '2023-05-01T00:00:00Z' });
    const npm = OsvRecordSchema.parse({
      id: 'N-1', modified: 'x', affected: [{ package: { ecosystem: 'npm', name: 'redis' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
    });
    expect(matchAdvisories({ name: 'redis', version: '4.5.3' }, [withdrawn, npm])).toHaveLength(0);
  });

  it('folds records sharing an alias into one match, keeping the highest severity', () => {
    const pysec = osv('PYSEC-1', 'demo', [{ introduced: '0' }, { fixed: '2.0' }], { aliases: ['CVE-1', 'GHSA-a'] });
    const ghsa = osv('GHSA-a', 'demo', [{ introduced: '0' }, { fixed: '2.0' }], { aliases: ['CVE-1'], database_specific: { severity: 'HIGH' } });
    const other = osv('PYSEC-2', 'demo', [{ introduced: '0' }, { fixed: '3.0' }], { aliases: ['CVE-2'] });
    const matches = matchAdvisories({ name: 'demo', version: '1.0' }, [pysec, ghsa, other]);
    expect(matches.map((m) => [m.id, m.aliases, m.severity, m.duplicates])).toEqual([
      ['PYSEC-1', ['CVE-1', 'GHSA-a'], 'high', ['GHSA-a']],
      ['PYSEC-2', ['CVE-2'], 'unknown', undefined],
    ]);
    expect(matchAdvisories({ name: 'demo', version: '1.0' }, [pysec, ghsa, other], { dedupeByAlias: false })).toHaveLength(3);
  });

  it('reports a pinned version that is not PEP 440 instead of matching it', () => {
    const record = osv('R-1', 'demo', [{ introduced: '0' }]);
    const matches = matchAdvisories({ name: 'demo', version: '2.0.0-final' }, [record]);
    expect(matches).toHaveLength(0);
    expect(matches.unparseable).toEqual([expect.objectContaining({ package: 'demo', value: '2.0.0-final' })]);
  });

  it('reports ranges whose bounds are not PEP 440 (binderhub PYSEC-2021-371)', () => {
    const record = osv('PYSEC-2021-371', 'binderhub', [{ introduced: '0' }, { fixed: '0.2.0-n653' }], { aliases: ['CVE-2021-39159'] });
    const matches = matchAdvisories({ name: 'binderhub', version: '0.1.0' }, [record]);
    expect(matches).toHaveLength(0);
    expect(matches.unparseable).toEqual([{ id: 'PYSEC-2021-371', package: 'binderhub', value: '0.2.0-n653', reason: expect.stringContaining('not a PEP 440') }]);
    expect(recordProblems(record)).toEqual([expect.objectContaining({ id: 'PYSEC-2021-371', event: 'fixed', value: '0.2.0-n653' })]);
  });

  it('matches versions lists by PEP 440 equality and only identical strings otherwise', () => {
    const record = OsvRecordSchema.parse({
      id: 'V-1', modified: 'x', affected: [{ package: { ecosystem: 'PyPI', name: 'demo' }, versions: ['0.5', '1.0-beta', 'trunk'] }],
    });
    expect(matchAdvisories({ name: 'demo', version: '0.5.0' }, [record])[0]?.matchedBy).toEqual({ kind: 'versions', version: '0.5' });
    expect(matchAdvisories({ name: 'demo', version: '1.0b0' }, [record])).toHaveLength(1);
    expect(matchAdvisories({ name: 'demo', version: 'trunk' }, [record])).toHaveLength(1);
    expect(matchAdvisories({ name: 'demo', version: '0.5+local' }, [record])).toHaveLength(0);
  });
});

describe('OSV schema', () => {
  const ok = { id: 'A-1', modified: '2024-01-01T00:00:00Z' };
  it('fills absent collections and keeps unknown keys', () => {
    const parsed = parseOsvRecord({ ...ok, credits: [{ name: 'x' }], affected: [{ package: { ecosystem: 'PyPI', name: 'a' } }] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.record).toMatchObject({ aliases: [], severity: [], references: [], credits: [{ name: 'x' }] });
    expect(parsed.record.affected[0]).toMatchObject({ ranges: [], versions: [], severity: [] });
  });

  it.each([
    ['event with two keys', [{ introduced: '1.0', fixed: '1.2' }]],
    ['event with no key', [{}]],
    ['unknown event kind', [{ removed: '1.0' }]],
    ['event value not a string', [{ introduced: 1 }]],
  ])('rejects %s', (_name, events) => {
    const parsed = parseOsvRecord({ ...ok, affected: [{ package: { ecosystem: 'PyPI', name: 'a' }, ranges: [{ type: 'ECOSYSTEM', events }] }] });
    expect(parsed).toMatchObject({ ok: false, id: 'A-1' });
  });

  it('rejects a record without an id', () => {
    expect(parseOsvRecord({ modified: 'x' })).toMatchObject({ ok: false });
    expect(parseOsvRecord(null)).toMatchObject({ ok: false });
  });
});
