import { AddedLines } from '../../src/diff/patch.js';
import type { Finding } from '../../src/engine/types.js';
import { parseFingerprints } from '../../src/report/fingerprint-marker.js';
import { MAX_COMMENT_BODY } from '../../src/report/github-limits.js';
import { commentAnchor, renderReview, suggestedLines, type ReviewOptions } from '../../src/report/review-comments.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

const doc = (why: string, fix: string) => ({ summary: 's', why, bad: 'bad()', good: 'good()', fix, references: [] });
const shell = defineRule({
  meta: { id: 'B602', name: 'subprocess_popen_with_shell_equals_true', severity: 'high', confidence: 'high', cwe: 78, doc: doc('A shell parses the string, so input can run commands.', 'Pass a list of arguments without shell=True.') },
  visit: {},
});
const yamlRule = defineRule({
  meta: { id: 'B506', name: 'yaml_load', severity: 'medium', confidence: 'high', cwe: 20, doc: doc('YAML tags can create arbitrary Python objects.', 'Use yaml.safe_load().') },
  visit: {},
});
const RULES: Rule[] = [shell, yamlRule];

/** A patch of `path` whose added lines are `lines` (others are context). */
function patch(lines: number[]): string {
  const max = Math.max(...lines, 1);
  const body = Array.from({ length: max }, (_, i) => (lines.includes(i + 1) ? `+line ${i + 1}` : ` line ${i + 1}`));
  return `@@ -1,${max} +1,${max} @@\n${body.join('\n')}`;
}

function finding(line: number, patchOf: Partial<Finding> = {}, endLine = line): Finding {
  return {
    ruleId: 'B602',
    ruleName: 'subprocess_popen_with_shell_equals_true',
    message: 'subprocess.Popen() with shell=True and a command built from a variable',
    severity: 'high',
    confidence: 'high',
    cwe: 78,
    location: { path: 'app.py', startLine: line, startColumn: 1, endLine, endColumn: 10 },
    snippet: 'code()',
    fingerprint: `fp-${line}-${endLine}`,
    ...patchOf,
  };
}

function options(added: number[], patchOf: Partial<ReviewOptions> = {}): ReviewOptions {
  return {
    rules: RULES,
    added: AddedLines.fromPatches([{ path: 'app.py', patch: patch(added) }, { path: 'big.py' }]),
    maxComments: 25,
    alreadyCommented: new Set(),
    sourceLines: () => undefined,
    docsUrl: (id) => `https://pyward.dev/rules#${id.toLowerCase()}`,
    ...patchOf,
  };
}

describe('comment anchors', () => {
  it.each([
    ['single added line', [3], 3, 3, { line: 3 }],
    ['span of added lines -> range', [3, 4, 5], 3, 5, { start_line: 3, line: 5 }],
    ['span partly added, contiguous', [4, 5], 3, 6, { start_line: 4, line: 5 }],
    ['gap inside the span -> first added line only', [2, 3, 5], 2, 6, { line: 2 }],
    ['only the last line added', [4], 2, 4, { line: 4 }],
  ])('%s', (_name, added, start, end, anchor) => {
    const { comments } = renderReview([finding(start, {}, end)], options(added));
    expect(comments).toHaveLength(1);
    const { start_line, line, start_side, side } = comments[0];
    expect({ start_line, line }).toEqual({ start_line: undefined, ...anchor });
    expect(side).toBe('RIGHT');
    expect(start_side).toBe('start_line' in anchor ? 'RIGHT' : undefined);
  });

  it.each([
    ['span with no added line', finding(1, {}, 2)],
    ['file not in the diff', finding(3, { location: { path: 'other.py', startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 } })],
    ['file without a patch (GitHub shows no diff)', finding(3, { location: { path: 'big.py', startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 } })],
  ])('%s -> not commented', (_name, f) => {
    const review = renderReview([f], options([3, 4]));
    expect(review.comments).toEqual([]);
    expect(review.notCommented).toEqual([{ finding: f, reason: 'not-on-added-line' }]);
  });

  it('never anchors a comment on a line outside the diff', () => {
    const patterns = [[1], [2, 3], [1, 3, 5, 6, 7, 10], [4, 5, 6, 8, 9, 12], [2, 4, 6, 8, 10, 12]];
    for (const added of patterns) {
      const set = AddedLines.fromPatches([{ path: 'app.py', patch: patch(added) }]);
      for (let s = 1; s <= 12; s++) {
        for (let e = s; e <= 12; e++) {
          const anchor = commentAnchor(finding(s, {}, e), set);
          if (!anchor) {
            expect(added.some((l) => l >= s && l <= e)).toBe(false);
            continue;
          }
          for (let l = anchor.start; l <= anchor.end; l++) expect(added).toContain(l);
          expect(anchor.start >= s && anchor.end <= e).toBe(true);
        }
      }
    }
  });
});

describe('selection', () => {
  const sev = (severity: Finding['severity'], line: number, path = 'app.py') =>
    finding(line, { severity, location: { path, startLine: line, startColumn: 1, endLine: line, endColumn: 2 }, fingerprint: `fp-${severity}-${path}-${line}` });
  const findings = [sev('low', 1), sev('medium', 2), sev('critical', 9), sev('high', 4, 'b.py'), sev('high', 3, 'a.py'), sev('high', 2)];
  const added = AddedLines.fromPatches(['app.py', 'a.py', 'b.py'].map((path) => ({ path, patch: patch([1, 2, 3, 4, 9]) })));

  it('orders by severity, then path and line', () => {
    const { comments } = renderReview(findings, options([], { added }));
    expect(comments.map((c) => `${c.path}:${c.line}`)).toEqual(['app.py:9', 'a.py:3', 'app.py:2', 'b.py:4', 'app.py:2', 'app.py:1']);
  });

  it.each([
    [0, 0, 6],
    [2, 2, 4],
    [6, 6, 0],
    [25, 6, 0],
  ])('caps at maxComments=%i: %i comments, %i over the limit', (maxComments, commented, over) => {
    const review = renderReview(findings, options([], { added, maxComments }));
    expect(review.comments).toHaveLength(commented);
    expect(review.notCommented.filter((n) => n.reason === 'over-limit')).toHaveLength(over);
  });

  it('skips findings already commented, and duplicates of a fingerprint', () => {
    const dup = { ...findings[1], location: { ...findings[1].location, startLine: 3, endLine: 3 } };
    const review = renderReview([...findings, dup], options([], { added, alreadyCommented: new Set(['fp-critical-app.py-9']) }));
    expect(review.comments.map((c) => c.fingerprint)).not.toContain('fp-critical-app.py-9');
    expect(review.comments.map((c) => c.fingerprint).filter((fp) => fp === 'fp-medium-app.py-2')).toHaveLength(1);
    expect(review.notCommented.map((n) => [n.finding.location.startLine, n.reason])).toEqual([
      [9, 'already-commented'],
      [3, 'already-commented'],
    ]);
  });

  it.each([
    ['no findings', [], 25, 'pyward found no new problems in this pull request.'],
    ['all commented', findings, 25, 'pyward found 6 new problems in this pull request (1 critical, 3 high, 1 medium, 1 low).'],
    [
      'some over the limit',
      findings,
      4,
      'pyward found 6 new problems in this pull request (1 critical, 3 high, 1 medium, 1 low). 2 more problems beyond the limit of 4 inline comments are listed in the `pyward` check run.',
    ],
    ['one over the limit', findings.slice(0, 2), 1, 'pyward found 2 new problems in this pull request (1 medium, 1 low). 1 more problem beyond the limit of 1 inline comment is listed in the `pyward` check run.'],
  ])('body: %s', (_name, list, maxComments, body) => {
    expect(renderReview(list, options([], { added, maxComments })).body).toBe(body);
  });
});

describe('suggestions', () => {
  const yamlFinding = (line: string, range: [number, number, number, number], text: string, span: [number, number] = [range[0], range[2]]): Finding =>
    finding(span[0], {
      ruleId: 'B506',
      ruleName: 'yaml_load',
      severity: 'medium',
      fix: { description: 'Use yaml.safe_load(), which only builds plain Python data.', edit: { range: { startLine: range[0], startColumn: range[1], endLine: range[2], endColumn: range[3] }, text } },
      snippet: line.trim(),
    }, span[1]);

  it.each([
    ['yaml.load(x) -> yaml.safe_load(x)', ['    data = yaml.load(x)'], [1, 17, 1, 21], 'safe_load', [1, 1], ['    data = yaml.safe_load(x)']],
    ['verify=False removed', ['r = requests.get(url, verify=False)'], [1, 21, 1, 35], '', [1, 1], ['r = requests.get(url)']],
    [
      'verify=False removed across lines, inside a multi-line comment',
      ['resp = requests.get(', '    url,', '    verify=False,', ')'],
      [2, 8, 3, 17],
      '',
      [1, 4],
      ['resp = requests.get(', '    url,', ')'],
    ],
    ['edit reaching a line outside the comment -> none', ['resp = requests.get(', '    url,', '    verify=False,', ')'], [2, 8, 3, 17], '', [3, 3], undefined],
    ['edit on one line of a range: other lines kept', ['x = yaml.load(', '    s)'], [1, 10, 1, 14], 'safe_load', [1, 2], ['x = yaml.safe_load(', '    s)']],
    ['CRLF source', ['x = yaml.load(s)\r'], [1, 10, 1, 14], 'safe_load', [1, 1], ['x = yaml.safe_load(s)']],
    ['a whole line deleted', ['import pickle', 'x = 1'], [1, 1, 2, 1], '', [1, 2], ['x = 1']],
    ['column beyond the line -> none', ['x = 1'], [1, 3, 1, 40], 'y', [1, 1], undefined],
    ['no-op edit -> none', ['x = 1'], [1, 1, 1, 2], 'x', [1, 1], undefined],
  ] as const)('%s', (_name, source, range, text, span, expected) => {
    const f = yamlFinding(source[0], [...range], text, [...span]);
    const anchor = { start: span[0], end: span[1] };
    expect(suggestedLines(f, anchor, source)).toEqual(expected);
  });

  it('puts the suggestion for the commented lines into the comment', () => {
    const f = yamlFinding('data = yaml.load(x)', [1, 17, 1, 21], 'safe_load');
    const review = renderReview([f], options([1], { sourceLines: (path) => (path === 'app.py' ? ['    data = yaml.load(x)'] : undefined) }));
    expect(review.comments[0].body).toContain('```suggestion\n    data = yaml.safe_load(x)\n```');
  });

  it('offers none when the source is unknown, or the suggestion is not safe to anchor', () => {
    const f = yamlFinding('data = yaml.load(x)', [1, 17, 1, 21], 'safe_load');
    expect(renderReview([f], options([1])).comments[0].body).not.toContain('suggestion');
    const multi = yamlFinding('verify', [2, 8, 3, 17], '', [3, 3]);
    const review = renderReview([multi], options([1, 2, 3, 4], { sourceLines: () => ['resp = requests.get(', '    url,', '    verify=False,', ')'] }));
    expect(review.comments[0].body).not.toContain('suggestion');
  });

  it('fences a suggestion longer than any backtick run in it', () => {
    const f = yamlFinding('x', [1, 1, 1, 2], 'y', [1, 1]);
    const body = renderReview([f], options([1], { sourceLines: () => ['x = "```"'] })).comments[0].body;
    expect(body).toContain('````suggestion\ny = "```"\n````');
  });
});

describe('comment body', () => {
  const f = finding(3, {
    fix: { description: 'Use yaml.safe_load(), which only builds plain Python data.', edit: { range: { startLine: 3, startColumn: 17, endLine: 3, endColumn: 21 }, text: 'safe_load' } },
    ruleId: 'B506',
    ruleName: 'yaml_load',
    severity: 'medium',
    cwe: 20,
    message: 'Use of unsafe yaml.load() without a Loader; use yaml.safe_load()',
    fingerprint: '3f9a0c1d2e4b5a6978c0',
  });
  const review = renderReview([f], options([3], { sourceLines: () => ['import yaml', '', '    data = yaml.load(x)'] }));
  const body = review.comments[0].body;

  it('has badge, rule, message, why, fix, docs link, details, and the marker last', () => {
    expect(body.split('\n')[0]).toBe('**🟠 Medium** `B506` yaml_load');
    expect(body).toContain('**Why it matters:** YAML tags can create arbitrary Python objects.');
    expect(body).toContain('**How to fix:** Use yaml.safe_load(), which only builds plain Python data.');
    expect(body).toContain('[B506 documentation](https://pyward.dev/rules#b506)');
    expect(body.endsWith('<!-- pyward:fingerprint=3f9a0c1d2e4b5a6978c0 -->')).toBe(true);
    expect(parseFingerprints(body)).toEqual(['3f9a0c1d2e4b5a6978c0']);
    expect(body.length).toBeLessThan(MAX_COMMENT_BODY / 10);
  });

  it('falls back to the rule doc fix, and works without a rule (advisories)', () => {
    const plain = renderReview([finding(3)], options([3])).comments[0].body;
    expect(plain).toContain('**How to fix:** Pass a list of arguments without shell=True.');
    const advisory = finding(3, { ruleId: 'PYSEC-2021-142', ruleName: 'jinja2 2.10', severity: 'critical', cwe: undefined });
    const body = renderReview([advisory], options([3])).comments[0].body;
    expect(body.split('\n')[0]).toBe('**⛔ Critical** `PYSEC-2021-142` jinja2 2.10');
    expect(body).not.toContain('Why it matters');
    expect(body).toContain('<sub>Confidence: high</sub>');
  });

  it('stays small when texts are huge', () => {
    const huge = renderReview([finding(3, { message: 'x'.repeat(100_000) })], options([3])).comments[0].body;
    expect(huge.length).toBeLessThan(MAX_COMMENT_BODY / 10);
  });

  it('renders', () => {
    expect(review.comments[0]).toMatchSnapshot();
  });
});
