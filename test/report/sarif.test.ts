/**
 * SARIF output: valid against the official 2.1.0 schema and in the shape GitHub code scanning reads
 * (security-severity, CWE tags, precision, partialFingerprints, in-source suppressions, notifications).
 */
import { createRequire } from 'node:module';
import type { Finding, Review, SuppressedFinding } from '../../src/engine/types.js';
import { artifactLocation, renderSarif, sarifLevel } from '../../src/report/sarif.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

/**
 * @microsoft/jest-sarif's matcher module needs `tslib`, which it does not declare, so it cannot be
 * imported here; validate with the same schema file and the same ajv 6 set-up it uses.
 */
const requireFromJestSarif = createRequire(createRequire(import.meta.url).resolve('@microsoft/jest-sarif/package.json'));
const Ajv = requireFromJestSarif('ajv');
const ajv = new Ajv({ schemaId: 'auto', validateSchema: false, allErrors: true });
ajv.addMetaSchema(requireFromJestSarif('ajv/lib/refs/json-schema-draft-04.json'));
const validateSarif = ajv.compile(requireFromJestSarif('./lib/schemas/sarif-2.1.0-rtm.5.json'));

function schemaErrors(log: unknown): string[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []).map((e: { dataPath: string; message: string }) => `${e.dataPath} ${e.message}`);
}

const doc = (summary: string) => ({
  summary,
  why: `Why ${summary.toLowerCase()} is dangerous.`,
  bad: 'subprocess.call(cmd, shell=True)',
  good: 'subprocess.call(["ls", path])',
  fix: 'Pass a list of arguments.',
  references: ['https://docs.python.org/3/library/subprocess.html'],
});

const shellRule = defineRule({
  meta: { id: 'B602', name: 'subprocess_popen_with_shell_equals_true', severity: 'high', confidence: 'high', cwe: 78, doc: doc('Shell command built from a string') },
  visit: { call() {} },
});
const tmpRule = defineRule({
  meta: { id: 'B108', name: 'hardcoded_tmp_directory', severity: 'medium', confidence: 'medium', cwe: 377, doc: doc('Hard-coded temporary directory'), options: { tmp_dirs: ['/tmp'] } },
  visit: { string() {} },
});
const assertRule = defineRule({
  meta: { id: 'B101', name: 'assert_used', severity: 'low', confidence: 'high', cwe: 703, doc: doc('Use of assert') },
  visit: { assert_statement() {} },
});
const secretRule = defineRule({
  meta: { id: 'PW401', name: 'private-key', severity: 'critical', confidence: 'low', cwe: 798, doc: doc('Private key in source') },
  visit: {},
  file() {},
});
const RULES: Rule[] = [assertRule, tmpRule, shellRule, secretRule];

function finding(rule: Rule, line: number, patch: Partial<Finding> = {}): Finding {
  return {
    ruleId: rule.meta.id,
    ruleName: rule.meta.name,
    message: `${rule.meta.name} here`,
    severity: rule.meta.severity,
    confidence: rule.meta.confidence,
    cwe: rule.meta.cwe,
    location: { path: 'app/views.py', startLine: line, startColumn: 5, endLine: line, endColumn: 30 },
    snippet: 'code()',
    fingerprint: `fp-${rule.meta.id}-${line}`,
    ...patch,
  };
}

const suppressed: SuppressedFinding = {
  ...finding(assertRule, 12, { location: { path: 'tests\\test_views.py', startLine: 12, startColumn: 1, endLine: 12, endColumn: 15 } }),
  suppression: { comment: '# nosec B101 -- pytest asserts', line: 12 },
};

const review: Review = {
  findings: [
    finding(shellRule, 3),
    // A finding may be more or less severe than its rule's default.
    finding(tmpRule, 7, { severity: 'high', fix: { description: 'Use tempfile', edit: { range: { startLine: 7, startColumn: 9, endLine: 7, endColumn: 15 }, text: 'tempfile.gettempdir()' } } }),
    finding(secretRule, 1, { location: { path: './config/dev keys.py', startLine: 1, startColumn: 1, endLine: 3, endColumn: 26 }, fix: { description: 'Load it from the environment' } }),
    { ...finding(shellRule, 9), ruleId: 'PYSEC-2021-142', ruleName: 'jinja2 2.10 has a known vulnerability', cwe: undefined, confidence: 'high' },
  ],
  suppressed: [suppressed],
  errors: [
    { path: 'broken.py', kind: 'syntax', message: 'invalid syntax', line: 4, column: 7 },
    { path: 'big.py', kind: 'skipped', message: 'file larger than 1 MB' },
    { path: 'app/models.py', kind: 'internal', message: 'B602 crashed: TypeError' },
  ],
  stats: { filesAnalysed: 4, filesSkipped: 1, lines: 120, durationMs: 12 },
};

const log = renderSarif(review, RULES, { toolVersion: '0.1.0', ruleUrl: (id) => `https://docs.example/rules.md#${id.toLowerCase()}` });
const run = log.runs[0]!;
const rules = run.tool.driver.rules!;
const results = run.results!;

describe('renderSarif', () => {
  it('is a valid SARIF 2.1.0 log', () => {
    expect(schemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'pyward', semanticVersion: '0.1.0' });
  });

  it('describes every registered rule validly', () => {
    const all = renderSarif({ ...review, findings: [], suppressed: [], errors: [] }, ALL_RULES, { toolVersion: '0.1.0' });
    expect(schemaErrors(all)).toEqual([]);
    expect(all.runs[0]!.tool.driver.rules!.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.meta.id));
  });

  it('the validator does reject a broken log', () => {
    expect(schemaErrors({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).not.toEqual([]);
    expect(schemaErrors({ ...log, runs: [{ ...run, results: [{ ...results[0], level: 'fatal' }] }] })).not.toEqual([]);
  });

  it('describes every rule given, in order, then rules only results name', () => {
    expect(rules.map((r) => r.id)).toEqual(['B101', 'B108', 'B602', 'PW401', 'PYSEC-2021-142']);
    const empty = renderSarif({ ...review, findings: [], suppressed: [], errors: [] }, RULES, { toolVersion: '1.2.3', informationUri: 'https://example.com' });
    expect(empty.runs[0]!.tool.driver.rules!.map((r) => r.id)).toEqual(['B101', 'B108', 'B602', 'PW401']);
    expect(empty.runs[0]!.tool.driver.informationUri).toBe('https://example.com');
    expect(empty.runs[0]!.results).toEqual([]);
    expect(schemaErrors(empty)).toEqual([]);
  });

  it('gives each rule GitHub metadata: tags, precision, security-severity, level, help', () => {
    const b602 = rules.find((r) => r.id === 'B602')!;
    expect(b602).toMatchObject({
      name: 'subprocess_popen_with_shell_equals_true',
      shortDescription: { text: 'Shell command built from a string' },
      fullDescription: { text: 'Why shell command built from a string is dangerous.' },
      helpUri: 'https://docs.example/rules.md#b602',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'external/cwe/cwe-78'], precision: 'high', 'security-severity': '8.0' },
    });
    expect(b602.help!.text).toContain('subprocess.call(cmd, shell=True)');
    expect(b602.help!.markdown).toContain('```python\nsubprocess.call(["ls", path])\n```');
    expect(b602.help!.markdown).toContain('**Fix:** Pass a list of arguments.');
    expect(b602.help!.markdown).toContain('- <https://docs.python.org/3/library/subprocess.html>');
    expect(rules.find((r) => r.id === 'B108')!.defaultConfiguration).toEqual({ level: 'warning', parameters: { tmp_dirs: ['/tmp'] } });
    // Without a rule page to link to, no helpUri and no informationUri (never an address that does not exist)
    const bare = renderSarif({ ...review, findings: [], suppressed: [], errors: [] }, RULES, { toolVersion: '0.1.0' });
    expect(bare.runs[0].tool.driver.informationUri).toBeUndefined();
    expect(bare.runs[0].tool.driver.rules!.every((r) => r.helpUri === undefined)).toBe(true);
  });

  it.each([
    ['B101', 'note', 'high', '3.0'],
    ['B108', 'warning', 'medium', '5.5'],
    ['B602', 'error', 'high', '8.0'],
    ['PW401', 'error', 'low', '9.5'],
  ])('%s: default level %s, precision %s, security-severity %s', (id, level, precision, score) => {
    const r = rules.find((d) => d.id === id)!;
    expect(r.defaultConfiguration!.level).toBe(level);
    expect(r.properties!.precision).toBe(precision);
    expect(r.properties!['security-severity']).toBe(score);
  });

  it.each([
    ['critical', 'error'],
    ['high', 'error'],
    ['medium', 'warning'],
    ['low', 'note'],
  ] as const)('severity %s -> level %s', (severity, level) => {
    expect(sarifLevel(severity)).toBe(level);
  });

  it('gives results a level from their own severity, a valid ruleIndex and the fingerprint', () => {
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ['B602', 'error'],
      ['B108', 'error'],
      ['PW401', 'error'],
      ['PYSEC-2021-142', 'error'],
      ['B101', 'note'],
    ]);
    for (const r of results) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(results.map((r) => r.partialFingerprints)).toEqual([
      { 'pyward/v1': 'fp-B602-3' },
      { 'pyward/v1': 'fp-B108-7' },
      { 'pyward/v1': 'fp-PW401-1' },
      { 'pyward/v1': 'fp-B602-9' },
      { 'pyward/v1': 'fp-B101-12' },
    ]);
    expect(results[0]).toMatchObject({
      message: { text: 'subprocess_popen_with_shell_equals_true here' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'app/views.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5, endLine: 3, endColumn: 30 } } }],
      properties: { severity: 'high', confidence: 'high', cwe: 78 },
    });
    expect(results[3]!.properties).toEqual({ severity: 'high', confidence: 'high' });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('describes a result whose rule was not given from the finding itself', () => {
    expect(rules[4]).toMatchObject({
      id: 'PYSEC-2021-142',
      helpUri: 'https://osv.dev/vulnerability/PYSEC-2021-142',
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security'], precision: 'high', 'security-severity': '8.0' },
    });
  });

  it('turns mechanical edits into SARIF fixes and leaves advice out', () => {
    expect(results[1]!.fixes).toEqual([
      {
        description: { text: 'Use tempfile' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app/views.py', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 7, startColumn: 9, endLine: 7, endColumn: 15 }, insertedContent: { text: 'tempfile.gettempdir()' } }],
          },
        ],
      },
    ]);
    expect(results[2]!.fixes).toBeUndefined();
  });

  it('keeps suppressed findings as results with an in-source suppression', () => {
    const suppressedResults = results.filter((r) => r.suppressions);
    expect(suppressedResults).toHaveLength(1);
    expect(suppressedResults[0]).toMatchObject({
      ruleId: 'B101',
      suppressions: [{ kind: 'inSource', justification: '# nosec B101 -- pytest asserts' }],
      locations: [{ physicalLocation: { artifactLocation: { uri: 'tests/test_views.py' } } }],
    });
  });

  it('reports analysis errors as notifications of a successful invocation', () => {
    expect(run.invocations).toHaveLength(1);
    const invocation = run.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(true);
    expect(invocation.toolExecutionNotifications!.map((n) => [n.level, n.descriptor!.id, n.message.text])).toEqual([
      ['warning', 'pyward/syntax', 'invalid syntax'],
      ['warning', 'pyward/skipped', 'file larger than 1 MB'],
      ['error', 'pyward/internal', 'B602 crashed: TypeError'],
    ]);
    expect(invocation.toolExecutionNotifications![0]!.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri: 'broken.py', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 7 } } },
    ]);
    expect(invocation.toolExecutionNotifications![1]!.locations![0]!.physicalLocation!.region).toBeUndefined();
  });

  it.each([
    ['app/views.py', { uri: 'app/views.py', uriBaseId: '%SRCROOT%' }],
    ['./config/dev keys.py', { uri: 'config/dev%20keys.py', uriBaseId: '%SRCROOT%' }],
    ['pkg\\sub\\mod.py', { uri: 'pkg/sub/mod.py', uriBaseId: '%SRCROOT%' }],
    ['src/a#b?.py', { uri: 'src/a%23b%3F.py', uriBaseId: '%SRCROOT%' }],
    ['/home/me/app.py', { uri: 'file:///home/me/app.py' }],
    ['C:\\work\\app.py', { uri: 'file:///C:/work/app.py' }],
  ])('artifact location of %s', (path, expected) => {
    expect(artifactLocation(path)).toEqual(expected);
  });

  it('renders a small review', () => {
    const small: Review = {
      findings: [finding(shellRule, 3)],
      suppressed: [{ ...finding(assertRule, 5), suppression: { comment: '# nosec', line: 5 } }],
      errors: [{ path: 'broken.py', kind: 'syntax', message: 'invalid syntax', line: 2, column: 1 }],
      stats: { filesAnalysed: 2, filesSkipped: 0, lines: 10, durationMs: 1 },
    };
    const rendered = renderSarif(small, [assertRule, shellRule], { toolVersion: '0.1.0' });
    expect(schemaErrors(rendered)).toEqual([]);
    expect(rendered).toMatchSnapshot();
  });
});

describe('advisory findings', () => {
  it('carry the advisory facts in result properties and link the advisory', () => {
    const finding = {
      ruleId: 'PYSEC-2021-142',
      ruleName: 'vulnerable-dependency',
      message: 'PyYAML 5.3.1 is affected by PYSEC-2021-142 (CVE-2020-14343): Arbitrary code execution. Affected versions: <5.4. Fixed in 5.4.',
      severity: 'critical' as const,
      confidence: 'high' as const,
      cwe: 1395,
      location: { path: 'requirements.txt', startLine: 3, startColumn: 1, endLine: 3, endColumn: 14 },
      snippet: 'PyYAML==5.3.1',
      fingerprint: 'f'.repeat(20),
      properties: { package: 'pyyaml', version: '5.3.1', aliases: ['CVE-2020-14343'], fixedIn: '5.4' },
    };
    const log = renderSarif({ findings: [finding], suppressed: [], errors: [], stats: { filesAnalysed: 1, filesSkipped: 0, lines: 3, durationMs: 1 } }, [], { toolVersion: '0.0.0' });
    const [result] = log.runs[0].results!;
    expect(result.properties).toMatchObject({ aliases: ['CVE-2020-14343'], fixedIn: '5.4', package: 'pyyaml', severity: 'critical' });
    const rule = log.runs[0].tool.driver.rules!.find((r) => r.id === 'PYSEC-2021-142')!;
    expect(rule.helpUri).toBe('https://osv.dev/vulnerability/PYSEC-2021-142');
    expect(rule.shortDescription?.text).toBe('PyYAML 5.3.1 is affected by PYSEC-2021-142 (CVE-2020-14343): Arbitrary code execution');
  });
});
