/**
 * Suppressions with a reason and an end date (`# pyward: ignore[...] reason="..." until=YYYY-MM-DD`), judged
 * on the review's date, for code, data flow and dependency pins; `suppressions.require_reason`.
 */
import { DEFAULT_CONFIG, configSchema } from '../../src/config/schema.js';
import type { AdvisorySource, RawOsvRecord } from '../../src/dependencies/advisories/source.js';
import { AddedLines } from '../../src/diff/patch.js';
import { scanDependencies } from '../../src/engine/scan-dependencies.js';
import { applySuppressionPolicy, parseSuppression, suppressionApplies, suppressionVerdict } from '../../src/engine/suppressions.js';
import type { ChangedFile } from '../../src/engine/types.js';
import { dependencyRules } from '../../src/rules/dependencies/index.js';
import { analyzeProject, analyzeSource } from '../helpers/analyze.js';

const known = (w: string) => /^B\d{3}$/i.test(w);

describe('parseSuppression: pyward form', () => {
  it.each([
    ['# pyward: ignore[B602] reason="input is a fixed enum" until=2027-03-31', ['B602'], 'input is a fixed enum', '2027-03-31'],
    ['# pyward: ignore[B602, B603] reason="fixed argv"', ['B602', 'B603'], 'fixed argv', undefined],
    ["# pyward:ignore[b602 subprocess_popen_with_shell_equals_true] reason='ok'", ['B602', 'subprocess_popen_with_shell_equals_true'], 'ok', undefined],
    ['# pyward: ignore', [], undefined, undefined],
    ['# pyward: ignore until=2027-01-01', [], undefined, '2027-01-01'],
    ['# pyward: ignore[PYSEC-2021-142, cve-2020-14343] reason="not reachable: we never load YAML"', ['PYSEC-2021-142', 'CVE-2020-14343'], 'not reachable: we never load YAML', undefined],
    ['# noqa: E501  # pyward: ignore[B101] reason=tests', ['B101'], 'tests', undefined],
  ])('%s', (comment, targets, reason, until) => {
    const s = parseSuppression(comment, known)!;
    expect(s.kind).toBe('pyward');
    expect([...s.targets]).toEqual(targets);
    expect(s.reason).toBe(reason);
    expect(s.until).toBe(until);
  });

  it.each(['2027-02-30', '31.03.2027', 'soon'])('until=%s is not a date: kept as invalid, never as a date', (until) => {
    const s = parseSuppression(`# pyward: ignore[B602] reason="x" until=${until}`, known)!;
    expect(s.until).toBeUndefined();
    expect(s.invalidUntil).toBe(until);
    expect(suppressionVerdict(s, 4, { today: '2026-01-01', requireReason: false })).toEqual({ active: false, note: `The \`# pyward: ignore\` on line 4 does not apply: its until=${until} is not a date (YYYY-MM-DD).` });
  });

  it('a bare # nosec is still Bandit\'s', () => {
    expect(parseSuppression('# nosec', known)).toEqual({ kind: 'nosec', targets: new Set(), comment: '# nosec' });
  });

  it('an advisory is named by its id or any alias', () => {
    const s = parseSuppression('# pyward: ignore[CVE-2020-14343]', known)!;
    expect(suppressionApplies(s, ['PYSEC-2021-142', 'CVE-2020-14343'], 'vulnerable-dependency')).toBe(true);
    expect(suppressionApplies(s, ['PYSEC-2020-96', 'CVE-2020-1747'], 'vulnerable-dependency')).toBe(false);
  });
});

describe('suppressionVerdict', () => {
  const reasoned = parseSuppression('# pyward: ignore[B602] reason="fixed enum" until=2027-03-31', known)!;
  const bare = parseSuppression('# nosec', known)!;
  it.each([
    ['before the end date', reasoned, '2027-03-30', false, true],
    ['on the end date', reasoned, '2027-03-31', false, true],
    ['after the end date', reasoned, '2027-04-01', false, false],
    ['a bare # nosec by default', bare, '2030-01-01', false, true],
    ['a bare # nosec when a reason is required', bare, '2026-01-01', true, false],
    ['a reasoned one when a reason is required', reasoned, '2026-01-01', true, true],
  ])('%s', (_name, s, today, requireReason, active) => {
    expect(suppressionVerdict(s, 7, { today, requireReason }).active).toBe(active);
  });

  it('says when it expired, and why a bare # nosec is not honoured', () => {
    expect(suppressionVerdict(reasoned, 7, { today: '2027-04-01', requireReason: false })).toEqual({ active: false, note: 'The `# pyward: ignore` on line 7 expired on 2027-03-31 (reason: fixed enum), so this is reported again.' });
    const v = suppressionVerdict(bare, 7, { today: '2026-01-01', requireReason: true });
    expect(v.active).toBe(false);
    expect(!v.active && v.note).toMatch(/^The `# nosec` on line 7 is not honoured: this repository requires a reason for every suppression \(`suppressions.require_reason: true`\)/);
  });
});

describe('code: reasoned, dated suppressions', () => {
  const SOURCE = 'import subprocess\n\ndef run(cmd):\n    subprocess.Popen(cmd, shell=True)  # pyward: ignore[B602] reason="cmd is one of three fixed strings" until=2027-03-31\n';

  it('suppresses until its date, recording reason, end date and line', async () => {
    const result = applySuppressionPolicy(await analyzeSource(SOURCE), { today: '2027-03-31', requireReason: false });
    expect(result.findings.map((f) => f.ruleId)).not.toContain('B602');
    expect(result.suppressed.map((f) => [f.ruleId, f.suppression])).toEqual([
      ['B602', { comment: '# pyward: ignore[B602] reason="cmd is one of three fixed strings" until=2027-03-31', line: 4, kind: 'pyward', reason: 'cmd is one of three fixed strings', until: '2027-03-31' }],
    ]);
  });

  it('after the date the finding is reported again, saying the suppression expired and when', async () => {
    const result = applySuppressionPolicy(await analyzeSource(SOURCE), { today: '2027-04-01', requireReason: false });
    expect(result.suppressed).toEqual([]);
    const b602 = result.findings.find((f) => f.ruleId === 'B602')!;
    expect(b602.location.startLine).toBe(4);
    expect(b602.message).toMatch(/The `# pyward: ignore` on line 4 expired on 2027-03-31 \(reason: cmd is one of three fixed strings\), so this is reported again\.$/);
  });

  it('with require_reason a bare # nosec is not honoured and the finding says why; a reasoned one still is', async () => {
    const config = configSchema.parse({ suppressions: { require_reason: true } });
    const bare = applySuppressionPolicy(await analyzeSource('import subprocess\nsubprocess.Popen(c, shell=True)  # nosec\n', 'a.py', config), { today: '2026-01-01', requireReason: true });
    expect(bare.suppressed).toEqual([]);
    expect(bare.findings.find((f) => f.ruleId === 'B602')!.message).toContain('The `# nosec` on line 2 is not honoured');
    const reasoned = applySuppressionPolicy(await analyzeSource(SOURCE, 'a.py', config), { today: '2026-01-01', requireReason: true });
    expect(reasoned.suppressed.map((f) => f.ruleId)).toEqual(['B602']);
  });

  it('data-flow findings honour the same comment, and an expired one brings back the flow finding standing for the Bandit one', async () => {
    const HEAD = 'import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.route("/x")\ndef view():\n';
    const text = `${HEAD}    subprocess.run(request.args["c"], shell=True)  # pyward: ignore[PW102, B602] reason="admin-only endpoint" until=2026-06-30\n`;
    const [result] = await analyzeProject([{ path: 'app/views.py', text }]);
    expect(result.suppressed.map((f) => [f.ruleId, f.suppression.kind, f.suppression.reason]).sort()).toEqual([
      ['B602', 'pyward', 'admin-only endpoint'],
      ['PW102', 'pyward', 'admin-only endpoint'],
    ]);
    const later = applySuppressionPolicy(result, { today: '2026-07-01', requireReason: false });
    expect(later.findings.filter((f) => /PW102|B602/.test(f.ruleId)).map((f) => [f.ruleId, f.coveredBy]).sort()).toEqual([
      ['B602', 'PW102'],
      ['PW102', undefined],
    ]);
  });

  it('# pyward: ignore without ids silences every rule on its line, and only there', async () => {
    const result = await analyzeSource('import pickle, subprocess\npickle.loads(b)  # pyward: ignore reason="trusted cache"\nsubprocess.Popen(c, shell=True)\n');
    expect(result.suppressed.map((f) => f.location.startLine)).toEqual([2]);
    expect(result.findings.map((f) => f.location.startLine)).toContain(3);
  });
});

describe('dependency pins: the same comment after a pin', () => {
  const PYYAML: RawOsvRecord = {
    id: 'PYSEC-2021-142',
    modified: '2021-08-27T03:22:18.913334Z',
    aliases: ['CVE-2020-14343', 'GHSA-8q59-q68h-6hv4'],
    details: 'A vulnerability was discovered in the PyYAML library in versions before 5.4, where it is susceptible to arbitrary code execution when it processes untrusted YAML files through the full_load method or with the FullLoader loader.',
    affected: [{ package: { name: 'pyyaml', ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }] }],
    references: [],
  };
  const source: AdvisorySource = { name: 'in-memory advisories', advisoriesFor: async (packages) => new Map(packages.map((p) => [`${p.name.toLowerCase()}@${p.version}`, [PYYAML]])) };
  const scan = async (head: string, today: string, config = DEFAULT_CONFIG) => {
    const files: ChangedFile[] = [{ path: 'requirements.txt', status: 'added', patch: `@@ -0,0 +1,1 @@\n+${head.trimEnd()}`, head }];
    return scanDependencies(files, { config, rules: dependencyRules, advisories: source, added: AddedLines.fromPatches(files), today });
  };
  const PIN = 'PyYAML==5.3.1  # pyward: ignore[CVE-2020-14343] reason="we only call yaml.safe_load" until=2026-12-31\n';

  it('suppresses the advisory it names (by alias) until its date, and the summary row says so', async () => {
    const result = await scan(PIN, '2026-06-01');
    expect(result.findings).toEqual([]);
    expect(result.suppressed.map((f) => [f.ruleId, f.suppression.line, f.suppression.reason, f.suppression.until])).toEqual([['PYSEC-2021-142', 1, 'we only call yaml.safe_load', '2026-12-31']]);
    expect(result.advisories.map((a) => a.ignored)).toEqual(['suppressed on line 1: we only call yaml.safe_load (until 2026-12-31)']);
  });

  it('after its date the advisory is reported again, saying the suppression expired', async () => {
    const result = await scan(PIN, '2027-01-01');
    expect(result.suppressed).toEqual([]);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['PYSEC-2021-142']);
    expect(result.findings[0].message).toContain('The `# pyward: ignore` on line 1 expired on 2026-12-31 (reason: we only call yaml.safe_load), so this is reported again.');
    expect(result.advisories.map((a) => a.ignored)).toEqual([undefined]);
  });

  it('a comment naming another advisory does not silence this one; PW5xx rules on the pin are named by id', async () => {
    const other = await scan('PyYAML==5.3.1  # pyward: ignore[PYSEC-2020-96] reason="x"\n', '2026-01-01');
    expect(other.findings.map((f) => f.ruleId)).toEqual(['PYSEC-2021-142']);
    const hygiene = await scan('PyYAML>=5.4  # pyward: ignore[PW501] reason="a library: ranges are on purpose"\n', '2026-01-01');
    expect(hygiene.findings).toEqual([]);
    expect(hygiene.suppressed.map((f) => f.ruleId)).toEqual(['PW501']);
  });

  it('with require_reason a bare # nosec after a pin is not honoured', async () => {
    const config = configSchema.parse({ suppressions: { require_reason: true } });
    const result = await scan('PyYAML==5.3.1  # nosec\n', '2026-01-01', config);
    expect(result.suppressed).toEqual([]);
    expect(result.findings[0].message).toContain('The `# nosec` on line 1 is not honoured');
  });
});
