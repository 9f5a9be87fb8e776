/**
 * scanDependencies: advisory matching and PW5xx hygiene over the dependency files of a change, with an
 * in-memory advisory source. The OSV records restate real advisories (PyPA advisory database):
 * - PyYAML < 5.4: PYSEC-2021-142 (CVE-2020-14343, GHSA-8q59-q68h-6hv4), FullLoader code execution;
 * - Jinja2 < 2.10.1: PYSEC-2019-217 (CVE-2019-10906), str.format_map sandbox escape;
 * - Django 3.1.x: PYSEC-2021-9 (CVE-2021-3281, fixed 3.1.6), PYSEC-2021-6 (CVE-2021-28658, fixed 3.1.8),
 *   PYSEC-2021-109 (CVE-2021-35042, fixed 3.1.13).
 */
import { configSchema, DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { AdvisorySourceError, type AdvisorySource, type PackageVersion, type RawOsvRecord } from '../../src/dependencies/advisories/source.js';
import { normalizeName } from '../../src/dependencies/types.js';
import { AddedLines } from '../../src/diff/patch.js';
import { scanDependencies } from '../../src/engine/scan-dependencies.js';
import type { ChangedFile, Finding } from '../../src/engine/types.js';
import { dependencyRules } from '../../src/rules/dependencies/index.js';

const TODAY = '2026-01-01';

const PYYAML_2021_142: RawOsvRecord = {
  id: 'PYSEC-2021-142',
  modified: '2021-08-27T03:22:18.913334Z',
  published: '2021-02-09T21:15:00Z',
  aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'],
  details:
    'A vulnerability was discovered in the PyYAML library in versions before 5.4, where it is susceptible to arbitrary code execution when it processes untrusted YAML files through the full_load method or with the FullLoader loader.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { name: 'pyyaml', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-8q59-q68h-6hv4' }],
};

const JINJA2_2019_217: RawOsvRecord = {
  id: 'PYSEC-2019-217',
  modified: '2021-07-05T00:01:22.043149Z',
  aliases: ['CVE-2019-10906', 'GHSA-462w-v97r-4m45'],
  details: 'In Pallets Jinja before 2.10.1, str.format_map allows a sandbox escape.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N' }],
  affected: [{ package: { name: 'jinja2', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.10.1' }] }] }],
  references: [{ type: 'ARTICLE', url: 'https://palletsprojects.com/blog/jinja-2-10-1-released' }],
};

const django = (id: string, aliases: string[], details: string, events: Record<string, string>[]): RawOsvRecord => ({
  id,
  modified: '2021-08-27T03:22:18Z',
  aliases,
  details,
  affected: [{ package: { name: 'django', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events }] }],
  references: [{ type: 'WEB', url: 'https://www.djangoproject.com/weblog/' }],
});

const DJANGO = [
  django('PYSEC-2021-9', ['CVE-2021-3281', 'GHSA-fvgf-6h6h-3322'], 'In Django 2.2 before 2.2.18, 3.0 before 3.0.12, and 3.1 before 3.1.6, the django.utils.archive.extract method allows directory traversal via an archive with absolute paths or relative paths with dot segments.', [
    { introduced: '2.2' }, { fixed: '2.2.18' }, { introduced: '3.0' }, { fixed: '3.0.12' }, { introduced: '3.1' }, { fixed: '3.1.6' },
  ]),
  django('PYSEC-2021-6', ['CVE-2021-28658', 'GHSA-xgxc-v2qg-chmh'], 'In Django 2.2 before 2.2.20, 3.0 before 3.0.14, and 3.1 before 3.1.8, MultiPartParser allowed directory traversal via uploaded files with suitably crafted file names.', [
    { introduced: '2.2' }, { fixed: '2.2.20' }, { introduced: '3.0' }, { fixed: '3.0.14' }, { introduced: '3.1' }, { fixed: '3.1.8' },
  ]),
  django('PYSEC-2021-109', ['CVE-2021-35042', 'GHSA-xpfp-f569-q3p2'], 'Django 3.1.x before 3.1.13 and 3.2.x before 3.2.5 allows QuerySet.order_by SQL injection if order_by is untrusted input from a client of a web application.', [
    { introduced: '3.1' }, { fixed: '3.1.13' }, { introduced: '3.2' }, { fixed: '3.2.5' },
  ]),
];

const RECORDS = [PYYAML_2021_142, JINJA2_2019_217, ...DJANGO];

/** Every record naming the package, like a local database; remembers what it was asked. */
function memorySource(records: RawOsvRecord[] = RECORDS): AdvisorySource & { calls: PackageVersion[][] } {
  const calls: PackageVersion[][] = [];
  return {
    name: 'in-memory advisories',
    calls,
    async advisoriesFor(packages) {
      calls.push(packages);
      const out = new Map<string, RawOsvRecord[]>();
      for (const p of packages) {
        out.set(`${normalizeName(p.name)}@${p.version}`, records.filter((r) => (r.affected as { package: { name: string } }[]).some((a) => normalizeName(a.package.name) === normalizeName(p.name))));
      }
      return out;
    },
  };
}

/** A one-hunk unified diff of base -> head (line LCS), enough for AddedLines. */
function unifiedDiff(base: string, head: string): string {
  const a = base === '' ? [] : base.replace(/\n$/, '').split('\n');
  const b = head.replace(/\n$/, '').split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const body: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      body.push(` ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || lcs[i][j + 1] >= lcs[i + 1][j])) body.push(`+${b[j++]}`);
    else body.push(`-${a[i++]}`);
  }
  return [`@@ -${a.length ? 1 : 0},${a.length} +1,${b.length} @@`, ...body].join('\n');
}

interface Change {
  path: string;
  base?: string;
  head: string;
}

/** Diff mode: ChangedFiles with base and head contents, and the added lines of their patches. */
function change(...changes: Change[]): { files: ChangedFile[]; added: AddedLines } {
  const files: ChangedFile[] = changes.map((c) => ({
    path: c.path,
    status: c.base === undefined ? 'added' : 'modified',
    patch: unifiedDiff(c.base ?? '', c.head),
    head: c.head,
    ...(c.base !== undefined ? { base: c.base } : {}),
  }));
  return { files, added: AddedLines.fromPatches(files) };
}

function config(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse(overrides);
}

async function scan(c: { files: ChangedFile[]; added: AddedLines }, options: { config?: Config; advisories?: AdvisorySource; rules?: typeof dependencyRules } = {}) {
  return scanDependencies(c.files, {
    config: options.config ?? DEFAULT_CONFIG,
    rules: options.rules ?? [],
    advisories: 'advisories' in options ? options.advisories : memorySource(),
    added: c.added,
    today: TODAY,
  });
}

const ids = (findings: Finding[]) => findings.map((f) => f.ruleId);

/** The text after applying a finding's single-line edit. */
function applyEdit(text: string, finding: Finding): string {
  const edit = finding.fix?.edit;
  if (!edit) throw new Error(`${finding.ruleId} has no edit`);
  const lines = text.split('\n');
  const { startLine, startColumn, endLine, endColumn } = edit.range;
  expect(endLine).toBe(startLine);
  const line = lines[startLine - 1];
  lines[startLine - 1] = line.slice(0, startColumn - 1) + edit.text + line.slice(endColumn - 1);
  return lines.join('\n');
}

describe('scanDependencies: advisories in diff mode', () => {
  const BASE = 'requests==2.31.0\nJinja2==2.10\n';

  it('reports a vulnerable pin the change added, with the advisory id, aliases, severity and a bump edit', async () => {
    const head = 'requests==2.31.0\nJinja2==2.10\nPyYAML==5.3.1\n';
    const result = await scan(change({ path: 'requirements.txt', base: BASE, head }));

    expect(result.status).toMatchObject({ state: 'checked', source: 'in-memory advisories', packages: 3 });
    expect(ids(result.findings)).toEqual(['PYSEC-2021-142']);
    const [f] = result.findings;
    expect(f).toMatchObject({
      ruleName: 'vulnerable-dependency',
      severity: 'critical',
      confidence: 'high',
      cwe: 1395,
      location: { path: 'requirements.txt', startLine: 3 },
      snippet: 'PyYAML==5.3.1',
      properties: { package: 'pyyaml', version: '5.3.1', fixedIn: '5.4', affected: ['<5.4'] },
    });
    expect(f.properties!.aliases).toEqual(expect.arrayContaining(['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4']));
    expect(f.message).toContain('PyYAML 5.3.1 is affected by PYSEC-2021-142 (CVE-2020-14343, GHSA-8q59-q68h-6hv4)');
    expect(f.message).toContain('Fixed in 5.4.');
    expect(f.fix!.edit!.range).toEqual({ startLine: 3, startColumn: 9, endLine: 3, endColumn: 14 });
    expect(applyEdit(head, f).split('\n')[2]).toBe('PyYAML==5.4');
    expect(f.fingerprint).toMatch(/\S/);

    // The untouched Jinja2 2.10 pin is vulnerable too, but it was there before: pre-existing, not new.
    expect(ids(result.preExisting)).toEqual(['PYSEC-2019-217']);
    expect(result.preExisting[0]).toMatchObject({ severity: 'high', location: { startLine: 2 } });
    expect(result.advisories.map((r) => [r.id, r.isNew])).toEqual([
      ['PYSEC-2019-217', false],
      ['PYSEC-2021-142', true],
    ]);
  });

  it('reports a version bump that stays vulnerable as new, and proposes the lowest version that fixes them all', async () => {
    const base = 'Django==3.1.2\n';
    const head = 'Django==3.1.7\n';
    const result = await scan(change({ path: 'requirements.txt', base, head }));
    // 3.1.7 is past the fix of PYSEC-2021-9 (3.1.6), still before PYSEC-2021-6 (3.1.8) and PYSEC-2021-109 (3.1.13).
    expect(ids(result.findings).sort()).toEqual(['PYSEC-2021-109', 'PYSEC-2021-6']);
    expect(result.preExisting).toEqual([]);
    for (const f of result.findings) {
      expect(f.severity).toBe('medium'); // no CVSS in the records: unknown reads as medium
      expect(applyEdit(head, f)).toBe('Django==3.1.13\n');
    }
    expect(result.findings.find((f) => f.ruleId === 'PYSEC-2021-6')!.properties).toMatchObject({ fixedIn: '3.1.8', aliases: ['CVE-2021-28658', 'GHSA-xgxc-v2qg-chmh'] });
  });

  it('an untouched pin of a package with several advisories is pre-existing; all of them are listed', async () => {
    const base = 'Django==3.1.2\n';
    const head = 'Django==3.1.2\nrequests==2.31.0\n';
    const result = await scan(change({ path: 'requirements.txt', base, head }));
    expect(result.findings).toEqual([]);
    expect(ids(result.preExisting).sort()).toEqual(['PYSEC-2021-109', 'PYSEC-2021-6', 'PYSEC-2021-9']);
  });

  it('a bump to a fixed version produces nothing', async () => {
    const result = await scan(
      change({ path: 'requirements.txt', base: 'PyYAML==5.3.1\nDjango==3.1.2\n', head: 'PyYAML==5.4\nDjango==3.1.13\n' }),
    );
    expect(result.status.state).toBe('checked');
    expect(result.findings).toEqual([]);
    expect(result.preExisting).toEqual([]);
    expect(result.advisories).toEqual([]);
  });

  it('a poetry.lock finding names the pyproject.toml line that declares the package', async () => {
    const pyproject = ['[tool.poetry]', 'name = "shop"', 'version = "1.0.0"', '', '[tool.poetry.dependencies]', 'python = "^3.11"', 'PyYAML = "^5.3"', ''].join('\n');
    const lock = [
      '[[package]]',
      'name = "pyyaml"',
      'version = "5.3.1"',
      'description = "YAML parser and emitter for Python"',
      'optional = false',
      'python-versions = "*"',
      'files = [',
      '    {file = "PyYAML-5.3.1.tar.gz", hash = "sha256:b8eac752c5e14d3eca0e6dd9199cd627518cb5ec06add0de9d32baeee6fe645d"},',
      ']',
      '',
      '[metadata]',
      'lock-version = "2.0"',
      'python-versions = "^3.11"',
      'content-hash = "0000"',
      '',
    ].join('\n');
    const result = await scan(change({ path: 'pyproject.toml', head: pyproject }, { path: 'poetry.lock', head: lock }));
    expect(ids(result.findings)).toEqual(['PYSEC-2021-142']);
    const [f] = result.findings;
    expect(f.location).toMatchObject({ path: 'poetry.lock', startLine: 2 });
    expect(f.message).toContain('(declared in pyproject.toml line 7)');
    expect(f.properties!.manifest).toEqual({ path: 'pyproject.toml', line: 7 });
    // A lockfile line is not rewritten in place: the fix says what to do.
    expect(f.fix).toEqual({ description: 'Upgrade pyyaml to 5.4 or later.' });
  });
});

describe('scanDependencies: dependencies.ignore', () => {
  const files = () => change({ path: 'requirements.txt', base: '', head: 'PyYAML==5.3.1\n' });

  it('silences an advisory by its id', async () => {
    const result = await scan(files(), { config: config({ dependencies: { ignore: ['PYSEC-2021-142'] } }) });
    expect(result.findings).toEqual([]);
    expect(result.advisories).toEqual([expect.objectContaining({ id: 'PYSEC-2021-142', ignored: 'listed in dependencies.ignore', isNew: true })]);
  });

  it('silences an advisory by an alias, case-insensitively, and keeps the reason', async () => {
    const reason = 'we only safe_load trusted files; upgrade tracked in SHOP-123';
    const result = await scan(files(), { config: config({ dependencies: { ignore: [{ id: 'cve-2020-14343', reason, expires: '2026-06-30' }] } }) });
    expect(result.findings).toEqual([]);
    expect(result.advisories[0].ignored).toBe(reason);
    expect(result.notes).toEqual([]);
  });

  it('reports an advisory again when its ignore has expired, with a note', async () => {
    const result = await scan(files(), { config: config({ dependencies: { ignore: [{ id: 'GHSA-8q59-q68h-6hv4', reason: 'until the Q4 upgrade', expires: '2025-12-31' }] } }) });
    expect(ids(result.findings)).toEqual(['PYSEC-2021-142']);
    expect(result.advisories[0].ignored).toBeUndefined();
    expect(result.notes).toEqual(['The ignore of GHSA-8q59-q68h-6hv4 in `dependencies.ignore` expired on 2025-12-31, so it is reported again.']);
  });

  it('an ignore that expires today still applies', async () => {
    const result = await scan(files(), { config: config({ dependencies: { ignore: [{ id: 'PYSEC-2021-142', expires: TODAY }] } }) });
    expect(result.findings).toEqual([]);
  });
});

describe('scanDependencies: status and failures', () => {
  it('an advisory source that fails makes the check unavailable, never "no vulnerabilities"; hygiene findings stay', async () => {
    const failing: AdvisorySource = {
      name: 'OSV API (https://api.osv.dev)',
      advisoriesFor: () => Promise.reject(new AdvisorySourceError('unavailable', 'OSV querybatch: HTTP 503 after 3 retries', { status: 503 })),
    };
    const result = await scan(change({ path: 'requirements.txt', base: 'requests==2.31.0\n', head: 'requests==2.31.0\nPyYAML==5.3.1\nflask>=2.0\n' }), {
      advisories: failing,
      rules: dependencyRules,
    });
    expect(result.status).toEqual({ state: 'unavailable', source: 'OSV API (https://api.osv.dev)', message: 'OSV querybatch: HTTP 503 after 3 retries', packages: 2 });
    expect(result.advisories).toEqual([]);
    expect(ids(result.findings)).toEqual(['PW501']);
    expect(result.findings[0].location.startLine).toBe(3);
  });

  it('an error that is not an AdvisorySourceError is not swallowed', async () => {
    const broken: AdvisorySource = { name: 'broken', advisoriesFor: () => Promise.reject(new TypeError('bug')) };
    await expect(scan(change({ path: 'requirements.txt', head: 'PyYAML==5.3.1\n' }), { advisories: broken })).rejects.toThrow('bug');
  });

  it('a lockfile that does not parse gives PW500 with the parser reason, on the line it names', async () => {
    const lock = ['[[package]]', 'name = "pyyaml"', 'version = "5.3.1"', 'files = [', '    {file = "PyYAML-5.3.1.tar.gz", hash = "sha256:b8ea"', ']', ''].join('\n');
    const source = memorySource();
    const result = await scan(change({ path: 'poetry.lock', head: lock }), { advisories: source });
    expect(ids(result.findings)).toEqual(['PW500']);
    const [f] = result.findings;
    expect(f).toMatchObject({ ruleName: 'unparseable-dependency-file', severity: 'medium', location: { path: 'poetry.lock', startLine: 6, startColumn: 1, endColumn: 2 } });
    expect(f.message).toMatch(/^poetry\.lock does not parse as poetry\.lock: Invalid TOML document: expected comma or end of structure\. /);
    // Nothing could be read, so nothing was looked up.
    expect(source.calls).toEqual([]);
    expect(result.status.state).toBe('no-dependencies');
  });

  it('dependencies.enabled: false turns advisories off (status disabled) but not the hygiene rules', async () => {
    const source = memorySource();
    const result = await scan(change({ path: 'requirements.txt', head: 'PyYAML==5.3.1\nreqeusts==2.31.0\n' }), {
      config: config({ dependencies: { enabled: false } }),
      advisories: source,
      rules: dependencyRules,
    });
    expect(result.status.state).toBe('disabled');
    expect(source.calls).toEqual([]);
    expect(result.advisories).toEqual([]);
    expect(ids(result.findings)).toEqual(['PW505']);
  });

  it('no advisory source also reads as disabled', async () => {
    const result = await scan(change({ path: 'requirements.txt', head: 'PyYAML==5.3.1\n' }), { advisories: undefined });
    expect(result.status.state).toBe('disabled');
    expect(result.findings).toEqual([]);
  });

  it('asks the source once, for each distinct package version, and reports each pin', async () => {
    const source = memorySource();
    const result = await scan(
      change({ path: 'requirements.txt', head: 'PyYAML==5.3.1\nrequests==2.31.0\n' }, { path: 'requirements/prod.txt', head: 'pyyaml==5.3.1\n' }),
      { advisories: source },
    );
    expect(source.calls).toHaveLength(1);
    expect(source.calls[0].map((p) => `${p.name}@${p.version}`).sort()).toEqual(['pyyaml@5.3.1', 'requests@2.31.0']);
    expect(result.findings.map((f) => `${f.location.path}:${f.location.startLine}`)).toEqual(['requirements.txt:1', 'requirements/prod.txt:1']);
    expect(new Set(result.findings.map((f) => f.fingerprint)).size).toBe(2);
  });
});
