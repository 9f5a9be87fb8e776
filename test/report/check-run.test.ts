import { configSchema, DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { ChangeReview, Finding, Severity } from '../../src/engine/types.js';
import { annotationBatches, annotationLevel, renderCheckRun, renderNeutral, type CheckRunOptions } from '../../src/report/check-run.js';
import { MAX_ANNOTATIONS_PER_CHECK, MAX_CHECK_RUN_TEXT, MAX_CHECK_RUN_TITLE } from '../../src/report/github-limits.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

const doc = (why: string, fix: string) => ({ summary: 's', why, bad: 'bad()', good: 'good()', fix, references: [] });
const RULES: Rule[] = [
  defineRule({
    meta: { id: 'B602', name: 'subprocess_popen_with_shell_equals_true', severity: 'high', confidence: 'high', cwe: 78, doc: doc('A shell parses the string.', 'Pass a list of arguments.') },
    visit: {},
  }),
];

function finding(severity: Severity, line: number, patch: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'B602',
    ruleName: 'subprocess_popen_with_shell_equals_true',
    message: 'subprocess.Popen() with shell=True | built from `cmd`',
    severity,
    confidence: 'high',
    cwe: 78,
    location: { path: 'app/run.py', startLine: line, startColumn: 5, endLine: line, endColumn: 30 },
    snippet: 'subprocess.Popen(cmd, shell=True)',
    fingerprint: `fp-${severity}-${line}`,
    ...patch,
  };
}

function review(findings: Finding[], patch: Partial<ChangeReview> = {}): ChangeReview {
  return {
    findings,
    suppressed: [],
    errors: [],
    preExisting: [],
    skipped: [],
    baseSha: 'b'.repeat(40),
    headSha: 'h'.repeat(40),
    stats: { filesAnalysed: 2, filesSkipped: 0, lines: 1234, durationMs: 420 },
    ...patch,
  };
}

const options = (patch: Partial<CheckRunOptions> = {}): CheckRunOptions => ({
  config: DEFAULT_CONFIG,
  rules: RULES,
  configSource: 'Defaults (no `.github/pyward.yml` on the default branch)',
  fileUrl: (path, line) => `https://github.com/o/r/blob/${'h'.repeat(7)}/${path}#L${line}`,
  ...patch,
});
const withFailOn = (fail_on: Severity) => configSchema.parse({ fail_on });

describe('renderCheckRun', () => {
  it.each([
    ['high', [], 'success', 'No new findings'],
    ['high', ['medium', 'low'], 'success', '2 new findings, none at or above high'],
    ['high', ['high'], 'failure', '1 new finding at or above high'],
    ['high', ['critical', 'high', 'low'], 'failure', '2 new findings at or above high'],
    ['critical', ['high'], 'success', '1 new finding, none at or above critical'],
    ['low', ['low'], 'failure', '1 new finding at or above low'],
    ['medium', ['medium', 'low'], 'failure', '1 new finding at or above medium'],
  ] as const)('fail_on %s with %j -> %s, "%s"', (failOn, severities, conclusion, title) => {
    const out = renderCheckRun(review(severities.map((s, i) => finding(s, i + 1))), options({ config: withFailOn(failOn) }));
    expect(out.conclusion).toBe(conclusion);
    expect(out.title).toBe(title);
  });

  it('ignores pre-existing and suppressed findings for the conclusion', () => {
    const out = renderCheckRun(review([], { preExisting: [finding('critical', 1)], suppressed: [{ ...finding('critical', 2), suppression: { comment: '# nosec', line: 2 } }] }), options());
    expect(out.conclusion).toBe('success');
    expect(out.annotations).toEqual([]);
  });

  it.each([
    ['critical', 'high', 'failure'],
    ['high', 'high', 'failure'],
    ['medium', 'high', 'warning'],
    ['low', 'high', 'notice'],
    ['high', 'critical', 'warning'],
    ['medium', 'medium', 'failure'],
    ['low', 'low', 'failure'],
  ] as const)('annotation level of %s with fail_on %s -> %s', (severity, failOn, level) => {
    expect(annotationLevel(severity, failOn)).toBe(level);
  });

  it('annotates every new finding, worst first, columns only on one line', () => {
    const multi = finding('medium', 7, { location: { path: 'app/run.py', startLine: 7, startColumn: 3, endLine: 9, endColumn: 4 } });
    const out = renderCheckRun(review([finding('low', 2), multi, finding('high', 5)]), options());
    expect(out.annotations).toEqual([
      {
        path: 'app/run.py',
        start_line: 5,
        end_line: 5,
        start_column: 5,
        end_column: 29,
        annotation_level: 'failure',
        title: 'B602 subprocess_popen_with_shell_equals_true (high)',
        message: 'subprocess.Popen() with shell=True | built from `cmd`\n\nHow to fix: Pass a list of arguments.',
        raw_details: 'A shell parses the string.',
      },
      expect.objectContaining({ start_line: 7, end_line: 9, annotation_level: 'warning' }),
      expect.objectContaining({ start_line: 2, end_line: 2, annotation_level: 'notice' }),
    ]);
    expect(out.annotations[1]).not.toHaveProperty('start_column');
    expect(out.annotations[1]).not.toHaveProperty('end_column');
  });

  it('keeps the summary within GitHub limits with 5,000 findings', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => finding(i % 2 ? 'high' : 'low', i + 1, { message: `problem number ${i} `.repeat(5) }));
    const out = renderCheckRun(review(many), options());
    expect(out.summary.length).toBeLessThanOrEqual(MAX_CHECK_RUN_TEXT);
    expect(out.summary.length).toBeGreaterThan(MAX_CHECK_RUN_TEXT * 0.9);
    const shown = out.summary.split('\n').filter((l) => l.startsWith('| 🔴') || l.startsWith('| 🟡')).length;
    expect(out.summary).toContain(`_… ${(5_000 - shown).toLocaleString('en-US')} more findings not shown`);
    expect(out.summary).toContain('### Configuration');
    expect(out.annotations).toHaveLength(MAX_ANNOTATIONS_PER_CHECK);
    expect(annotationBatches(out.annotations)).toHaveLength(10);
  });

  it('lists a reasoned, dated suppression with its comment line; a hostile reason stays plain text', () => {
    const summary = renderCheckRun(
      review([], {
        suppressed: [
          { ...finding('high', 9), suppression: { comment: '# pyward: ignore[B602] reason="fixed enum" until=2027-03-31', line: 9, kind: 'pyward', reason: 'fixed enum', until: '2027-03-31' } },
          { ...finding('high', 12), suppression: { comment: '# pyward: ignore reason="@security-team ok | <b>x</b>"', line: 12, kind: 'pyward', reason: '@security-team ok | <b>x</b>' } },
        ],
      }),
      options(),
    ).summary;
    expect(summary).toContain('### Suppressed');
    expect(summary).toContain('- 2 findings on lines this change added are suppressed inline (not failing the check):');
    expect(summary).toContain('- `B602` subprocess_popen_with_shell_equals_true (high) by `# pyward: ignore` at [app/run.py:9](https://github.com/o/r/blob/hhhhhhh/app/run.py#L9): reason: fixed enum; until 2027-03-31.');
    expect(summary).toContain('reason: @\u200bsecurity-team ok \\| &lt;b&gt;x&lt;/b&gt;; no end date.');
  });

  it('reports what was not commented, suppressed, pre-existing, skipped and not analysed', () => {
    const over = finding('medium', 3);
    const summary = renderCheckRun(
      review([finding('high', 1), over], {
        suppressed: [{ ...finding('low', 4), suppression: { comment: '# nosec B602', line: 4 } }],
        preExisting: [finding('high', 40), finding('low', 41)],
        skipped: [{ path: 'docs/a.md', reason: 'not Python' }, { path: 'gen/x.py', reason: 'ignored by paths.ignore' }],
        truncated: 'GitHub lists at most 3,000 files of a pull request; 412 were not seen.',
        errors: [{ path: 'broken.py', kind: 'syntax', message: 'invalid syntax', line: 4 }],
      }),
      options({ notCommented: [{ finding: over, reason: 'over-limit' }] }),
    ).summary;
    expect(summary).toContain('[app/run.py:3](https://github.com/o/r/blob/hhhhhhh/app/run.py#L3) *(not commented)*');
    expect(summary).toContain('1 finding marked *not commented* did not get an inline comment: a review holds at most 25 comments');
    expect(summary).toContain('- `B602` subprocess_popen_with_shell_equals_true (low) by `# nosec` at [app/run.py:4](https://github.com/o/r/blob/hhhhhhh/app/run.py#L4): *no reason given*; no end date.');
    expect(summary).toContain('2 pre-existing findings on lines this change did not add');
    expect(summary).toContain('⚠️ Not every file was seen: GitHub lists at most 3,000 files');
    expect(summary).toContain('2 files skipped: not Python (1: `docs/a.md`); ignored by paths.ignore (1: `gen/x.py`).');
    expect(summary).toContain('Not fully analysed: `broken.py:4` (syntax error): invalid syntax');
    expect(summary).toContain('subprocess.Popen() with shell=True \\| built from `cmd`');
  });

  it('renders a summary', () => {
    const config = configSchema.parse({ fail_on: 'medium', min_confidence: 'medium', rules: { disable: ['B101', 'B311'] }, review: { max_comments: 1 } });
    const yaml = finding('medium', 12, { ruleId: 'B506', ruleName: 'yaml_load', message: 'Use of unsafe yaml.load() without a Loader; use yaml.safe_load()', location: { path: 'app/config.py', startLine: 12, startColumn: 12, endLine: 12, endColumn: 21 } });
    const out = renderCheckRun(
      review([yaml, finding('high', 8)], {
        suppressed: [{ ...finding('low', 4), suppression: { comment: '# nosec', line: 4 } }],
        preExisting: [finding('low', 40)],
        skipped: [{ path: 'README.md', reason: 'not Python' }],
        errors: [{ path: 'legacy/py2.py', kind: 'syntax', message: 'invalid syntax', line: 3 }],
      }),
      options({ config, configSource: '`.github/pyward.yml` on the default branch', notCommented: [{ finding: yaml, reason: 'over-limit' }] }),
    );
    expect(out.conclusion).toBe('failure');
    expect(out.title).toBe('2 new findings at or above medium');
    expect(out.summary).toMatchSnapshot();
  });
});

describe('renderNeutral', () => {
  it('is neutral, without annotations, within the limits', () => {
    const out = renderNeutral('pyward could not read its configuration', '`.github/pyward.yml:3`: fail_on: must be one of low, medium, high, critical');
    expect(out).toEqual({ conclusion: 'neutral', title: 'pyward could not read its configuration', summary: '`.github/pyward.yml:3`: fail_on: must be one of low, medium, high, critical', annotations: [] });
    const long = renderNeutral('t'.repeat(1_000), 's'.repeat(100_000));
    expect(long.title.length).toBeLessThanOrEqual(MAX_CHECK_RUN_TITLE);
    expect(long.summary.length).toBeLessThanOrEqual(MAX_CHECK_RUN_TEXT);
  });
});

describe('annotationBatches', () => {
  it.each([
    [0, 50, []],
    [1, 50, [1]],
    [50, 50, [50]],
    [51, 50, [50, 1]],
    [120, 50, [50, 50, 20]],
    [5, 2, [2, 2, 1]],
  ])('%i items, size %i -> %j', (n, size, sizes) => {
    const items = Array.from({ length: n }, (_, i) => i);
    const batches = annotationBatches(items, size);
    expect(batches.map((b) => b.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(items);
  });

  it('defaults to GitHub’s 50 a request', () => {
    expect(annotationBatches(Array.from({ length: 120 }, (_, i) => i)).map((b) => b.length)).toEqual([50, 50, 20]);
  });
});

describe('annotation cap', () => {
  it('100,000 findings give at most MAX_ANNOTATIONS_PER_CHECK annotations, worst first, the rest counted by rule', () => {
    const findings = Array.from({ length: 100_000 }, (_, i) => finding(i % 1000 === 0 ? 'high' : 'low', i + 1, i % 2 ? { ruleId: 'B101', ruleName: 'assert_used' } : {}));
    const out = renderCheckRun(review(findings), options());
    expect(out.annotations).toHaveLength(MAX_ANNOTATIONS_PER_CHECK);
    expect(annotationBatches(out.annotations)).toHaveLength(MAX_ANNOTATIONS_PER_CHECK / 50);
    // the 100 high findings come first
    expect(out.annotations.slice(0, 100).every((a) => a.annotation_level === 'failure')).toBe(true);
    expect(out.annotations[100].annotation_level).toBe('notice');
    expect(out.summary.length).toBeLessThanOrEqual(MAX_CHECK_RUN_TEXT);
    // 100 high (B602) and 400 low are annotated; of the 99,900 low findings, half are B101
    expect(out.summary).toContain('_Only the 500 most severe findings are annotated on their files; 99,500 more findings by rule: `B101` ×49,800, `B602` ×49,700._');
    expect(out.summary).not.toContain('every finding is annotated on its file');
  });

  it('under the cap every finding is annotated and nothing is said about it', () => {
    const out = renderCheckRun(review([finding('high', 1), finding('low', 2)]), options());
    expect(out.annotations).toHaveLength(2);
    expect(out.summary).not.toContain('most severe findings are annotated');
  });
});
