/**
 * One pin, several advisories: scanDependencies keeps one finding per advisory (JSON and SARIF show a result
 * per rule id) but makes the worst one the pin's lead, listing them all with the single upgrade that fixes
 * every one (or saying that none does); the others are covered by it. The OSV records restate real advisories
 * (PyPA advisory database):
 * - Django 3.1.x: PYSEC-2021-6 (CVE-2021-28658, fixed 3.1.8), PYSEC-2021-109 (CVE-2021-35042, fixed 3.1.13);
 * - py: PYSEC-2020-92 (CVE-2020-29651, fixed 1.10.0) and PYSEC-2022-42969 (CVE-2022-42969, last affected
 *   1.11.0, no fix);
 * - Zope: PYSEC-2021-104 (CVE-2021-32674), events listed unsorted: introduced 5.0, fixed 5.2.1, introduced
 *   4.0, fixed 4.6.1.
 */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { AdvisorySource, RawOsvRecord } from '../../src/dependencies/advisories/source.js';
import { normalizeName } from '../../src/dependencies/types.js';
import { AddedLines } from '../../src/diff/patch.js';
import { scanDependencies } from '../../src/engine/scan-dependencies.js';
import type { ChangedFile, Finding } from '../../src/engine/types.js';

const record = (id: string, name: string, aliases: string[], details: string, events: Record<string, string>[], severity?: string): RawOsvRecord => ({
  id,
  modified: '2022-11-04T11:00:00Z',
  aliases,
  details,
  ...(severity ? { severity: [{ type: 'CVSS_V3', score: severity }] } : {}),
  affected: [{ package: { name, ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events }] }],
  references: [],
});

const DJANGO_6 = record('PYSEC-2021-6', 'django', ['CVE-2021-28658'], 'In Django 2.2 before 2.2.20, 3.0 before 3.0.14, and 3.1 before 3.1.8, MultiPartParser allowed directory traversal via uploaded files with suitably crafted file names.', [
  { introduced: '3.1' }, { fixed: '3.1.8' },
]);
// Scored high here, so the lead is the worst advisory, not the first id.
const DJANGO_109 = record('PYSEC-2021-109', 'django', ['CVE-2021-35042'], 'Django 3.1.x before 3.1.13 and 3.2.x before 3.2.5 allows QuerySet.order_by SQL injection if order_by is untrusted input from a client of a web application.', [
  { introduced: '3.1' }, { fixed: '3.1.13' },
], 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
const PY_92 = record('PYSEC-2020-92', 'py', ['CVE-2020-29651'], 'A denial of service via regular expression in the py.path.svnwc component of py (aka python-py) through 1.9.0 could be used by attackers to cause a compute-time denial of service attack by supplying malicious input to the blame functionality.', [
  { introduced: '0' }, { fixed: '1.10.0' },
]);
const PY_42969 = record('PYSEC-2022-42969', 'py', ['CVE-2022-42969'], 'The py library through 1.11.0 for Python allows remote attackers to conduct a ReDoS (Regular expression Denial of Service) attack via a Subversion repository with crafted info data, because the InfoSvnCommand argument is mishandled.', [
  { introduced: '0' }, { last_affected: '1.11.0' },
]);
const ZOPE_104 = record('PYSEC-2021-104', 'zope', ['CVE-2021-32674'], 'Zope is an open-source web application server. This advisory extends the previous advisory at https://github.com/zopefoundation/Zope/security/advisories/GHSA-5pr9-v234-jw36 with additional cases of TAL expression traversal vulnerabilities.', [
  { introduced: '5.0' }, { fixed: '5.2.1' }, { introduced: '4.0' }, { fixed: '4.6.1' },
]);

const source = (records: RawOsvRecord[]): AdvisorySource => ({
  name: 'in-memory advisories',
  async advisoriesFor(packages) {
    const out = new Map<string, RawOsvRecord[]>();
    for (const p of packages) out.set(`${normalizeName(p.name)}@${p.version}`, records.filter((r) => (r.affected as { package: { name: string } }[]).some((a) => a.package.name === normalizeName(p.name))));
    return out;
  },
});

async function scan(path: string, head: string, records: RawOsvRecord[]) {
  const files: ChangedFile[] = [{ path, status: 'added', patch: `@@ -0,0 +1,${head.split('\n').length - 1} @@\n${head.replace(/\n$/, '').split('\n').map((l) => `+${l}`).join('\n')}`, head }];
  return scanDependencies(files, { config: DEFAULT_CONFIG, rules: [], advisories: source(records), added: AddedLines.fromPatches(files), today: '2026-01-01' });
}

function applyEdit(text: string, f: Finding): string {
  const { range, text: replacement } = f.fix!.edit!;
  const lines = text.split('\n');
  const line = lines[range.startLine - 1];
  lines[range.startLine - 1] = line.slice(0, range.startColumn - 1) + replacement + line.slice(range.endColumn - 1);
  return lines.join('\n');
}

describe('scanDependencies: one pin, several advisories', () => {
  it('the worst advisory leads, lists every advisory worst first, and the others are covered by it', async () => {
    const head = 'requests==2.31.0\nDjango==3.1.7\n';
    const { findings } = await scan('requirements.txt', head, [DJANGO_6, DJANGO_109]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.coveredBy])).toEqual([
      ['PYSEC-2021-109', 'high', undefined],
      ['PYSEC-2021-6', 'medium', 'PYSEC-2021-109'],
    ]);
    const [lead] = findings;
    expect(lead.advisories).toEqual([
      { id: 'PYSEC-2021-109', aliases: ['CVE-2021-35042'], severity: 'high', summary: expect.stringMatching(/^Django 3\.1\.x before 3\.1\.13/), fixedIn: '3.1.13' },
      { id: 'PYSEC-2021-6', aliases: ['CVE-2021-28658'], severity: 'medium', summary: expect.stringMatching(/^In Django 2\.2/), fixedIn: '3.1.8' },
    ]);
    // One fix for the pin: the lowest version that fixes both (3.1.8 would still carry PYSEC-2021-109).
    for (const f of findings) {
      expect(f.fix!.description).toBe('Upgrade Django to 3.1.13, the lowest version that fixes all 2 advisories.');
      expect(applyEdit(head, f)).toBe('requests==2.31.0\nDjango==3.1.13\n');
      expect(f.properties).toMatchObject({ upgradeTo: '3.1.13' });
    }
  });

  it('when no version fixes every advisory, it says so and suggests nothing', async () => {
    const { findings, advisories } = await scan('requirements.txt', 'py==1.9.0\n', [PY_92, PY_42969]);
    expect(findings.map((f) => [f.ruleId, f.coveredBy])).toEqual([
      ['PYSEC-2020-92', undefined],
      ['PYSEC-2022-42969', 'PYSEC-2020-92'],
    ]);
    for (const f of findings) {
      expect(f.fix?.edit).toBeUndefined();
      expect(f.fix!.description).toMatch(/^No published version of py fixes all 2 advisories/);
    }
    expect(findings[0].advisories!.map((a) => a.fixedIn)).toEqual(['1.10.0', undefined]);
    expect(advisories.map((a) => a.upgradeTo)).toEqual([undefined, undefined]);
  });

  it('a pin with one advisory is a plain finding (no list, nothing covered)', async () => {
    const { findings } = await scan('requirements.txt', 'py==1.10.0\n', [PY_92, PY_42969]);
    expect(findings.map((f) => f.ruleId)).toEqual(['PYSEC-2022-42969']);
    expect(findings[0].advisories).toBeUndefined();
    expect(findings[0].fix).toBeUndefined();
  });

  it('two pins of the same package in two files are two groups', async () => {
    const a = await scan('requirements.txt', 'Django==3.1.7\n', [DJANGO_6, DJANGO_109]);
    const b = await scan('constraints.txt', 'Django==3.1.9\n', [DJANGO_6, DJANGO_109]);
    expect(a.findings.filter((f) => !f.coveredBy)).toHaveLength(1);
    expect(b.findings.map((f) => [f.ruleId, f.coveredBy, f.advisories])).toEqual([['PYSEC-2021-109', undefined, undefined]]);
  });

  it('a summary clipped from long details ends on a word with one ellipsis, and the message has no doubled stop', async () => {
    const long = record('PYSEC-2020-92', 'py', [], `${'A denial of service via regular expression in the py.path.svnwc component of py '.repeat(4)}method.`, [{ introduced: '0' }, { fixed: '1.10.0' }]);
    const { findings } = await scan('requirements.txt', 'py==1.9.0\n', [long]);
    const [f] = findings;
    // 199 characters of room: the cut falls after "regular" (the last whole word), then one ellipsis.
    const summary = f.message.split(': ')[1]!.split(' Affected')[0]!;
    expect(summary).toBe(`${(long.details as string).slice(0, 199).replace(/ \S*$/, '')}…`);
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(f.message).toContain(`${summary} Affected versions: <1.10.0.`);
    expect(f.message).not.toMatch(/\.\.|…\./);
    const zope = await scan('requirements.txt', 'zope==5.0\n', [ZOPE_104]);
    expect(zope.findings[0].message).toContain('Zope is an open-source web application server. Affected versions:');
  });

  it.each([
    ['5.0+local', true],
    ['5.0', true],
    ['4.6+build.1', true],
    ['4.6.1+local', false],
    ['5.2.1', false],
    ['3.9', false],
  ])('zope==%s against PYSEC-2021-104 (unsorted events) is affected: %s, as packaging says', async (version, affected) => {
    const { findings } = await scan('requirements.txt', `zope==${version}\n`, [ZOPE_104]);
    expect(findings.map((f) => f.ruleId)).toEqual(affected ? ['PYSEC-2021-104'] : []);
  });
});
