/**
 * Every untrusted field the check-run summary and a review comment show, filled with markup: advisory rows
 * (lockfile names and versions, advisory ids and ranges), notes, skipped reasons, analysis errors, data-flow
 * labels and a finding's own fix text. None of it may render as markup.
 */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { ChangeReview, Finding } from '../../src/engine/types.js';
import { renderCheckRun } from '../../src/report/check-run.js';
import { parseFingerprints } from '../../src/report/fingerprint-marker.js';
import { commentBody, findingDocsUrl } from '../../src/report/review-comments.js';
import { ruleUrl } from '../../src/report/rule-links.js';

const EVIL = '<img src=x onerror=alert(1)> @acme/team [x](https://evil.example) | \n# h <!-- c';
const EVIL_SHOWN = `&lt;img src=x onerror=alert(1)&gt; @\u200bacme/team \\[x\\](https:\u200b//evil.example) \\| ␊# h &lt;!-- c`;

const finding: Finding = {
  ruleId: `GHSA-x)![i](https://evil.example/a.png`,
  ruleName: EVIL,
  message: `${EVIL} is affected`,
  severity: 'high',
  confidence: 'high',
  location: { path: `req${EVIL}.txt`, startLine: 2, startColumn: 1, endLine: 2, endColumn: 5 },
  snippet: EVIL,
  fingerprint: 'abc123',
  fix: { description: `Upgrade ${EVIL} to 2.0` },
  flow: [
    { location: { path: `a${EVIL}.py`, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }, label: `x\`\` ${EVIL}` },
    { location: { path: 'b.py', startLine: 3, startColumn: 1, endLine: 3, endColumn: 2 }, label: 'sink(x)' },
  ],
};

const review: ChangeReview = {
  findings: [finding],
  suppressed: [],
  errors: [{ path: `e${EVIL}.py`, kind: 'syntax', message: EVIL, line: 3 }],
  preExisting: [],
  skipped: [{ path: `s${EVIL}.py`, reason: EVIL }],
  truncated: EVIL,
  context: { files: 1, note: EVIL },
  baseSha: 'b'.repeat(40),
  headSha: 'h'.repeat(40),
  stats: { filesAnalysed: 1, filesSkipped: 1, lines: 3, durationMs: 1 },
  dependencies: {
    status: { state: 'checked', source: EVIL, packages: 1 },
    advisories: [{ id: `PYSEC-${EVIL}`, aliases: [EVIL], package: EVIL, version: EVIL, severity: 'high', affected: [EVIL], fixedIn: EVIL, path: `r${EVIL}`, line: 2, isNew: true, ignored: EVIL }],
    notes: [EVIL],
  },
};

/** Markdown with every code span removed (where `<` and `@` are literal), read as CommonMark reads it. */
function outsideCode(md: string): string {
  return md.replace(/(?<![`\\])(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, '');
}

function assertSafe(markdown: string): void {
  const text = outsideCode(markdown);
  // pyward's own HTML: its marker and the <sub> details line.
  expect(text.replace(/^<!-- pyward:fingerprint=[0-9a-f]+ -->$/m, '').replace(/<\/?sub>/g, '')).not.toContain('<');
  expect(text).not.toMatch(/@(?!\u200b)/);
  expect(text).not.toMatch(/https?:\/\/evil|(?<!\\)\]\((?!https:\/\/github\.com\/|https:\/\/osv\.dev\/|docs\/)/);
  expect(markdown.split('\n').filter((l) => /^\s{0,3}#/.test(l)).every((l) => /^### [A-Z]/.test(l))).toBe(true);
}

describe('hostile values in rendered Markdown', () => {
  it('the check-run summary shows each as text, table rows keep their columns', () => {
    const { summary } = renderCheckRun(review, { config: DEFAULT_CONFIG, rules: [], configSource: 'defaults', fileUrl: (path, line) => `https://github.com/o/r/blob/h/${encodeURIComponent(path)}#L${line}` });
    assertSafe(summary);
    // Each row has as many unescaped pipes as its table's header: 5 for findings, 7 for advisories.
    const pipes = (row: string) => row.match(/(?<!\\)\|/g)!.length;
    let header = 0;
    for (const line of summary.split('\n')) {
      if (!line.startsWith('| ')) header = 0;
      else if (header === 0) header = pipes(line);
      else expect(pipes(line)).toBe(header);
    }
    expect(summary).toContain('| Severity | Package |');
    expect(summary).toContain(EVIL_SHOWN);
  });

  it('a review comment shows each as text and marks only its own fingerprint', () => {
    const body = commentBody(finding, undefined, [`x = 1  <!-- pyward:fingerprint=dead -->`, '```'], findingDocsUrl(finding.ruleId, (id) => ruleUrl(id, { kind: 'none' }, () => false)), (path, line) => `https://github.com/o/r/blob/h/${encodeURIComponent(path)}#L${line}`);
    assertSafe(body.replace(/^`{4,}suggestion[\s\S]*?^`{4,}$/m, ''));
    expect(body).toContain(`Upgrade ${EVIL_SHOWN} to 2.0`);
    // An id that is not an advisory id's shape gets no link at all (rule-links.ts), so nothing of it is a URL
    expect(body).not.toMatch(/\]\(https:\/\/osv\.dev/);
    expect(parseFingerprints(body)).toEqual(['abc123']);
  });
});
