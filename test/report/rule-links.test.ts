/** Where findings link: the App's pages, a rules.md that exists, the advisory's OSV record, or nothing. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCheckRun } from '../../src/report/check-run.js';
import { commentBody } from '../../src/report/review-comments.js';
import { advisoryUrl, docsUrlFromRepository, isAdvisoryId, linkBaseFromEnv, ruleUrl, type LinkBase } from '../../src/report/rule-links.js';
import { RULES_DOC_PATH } from '../../src/report/rules-doc.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { ChangeReview, Finding } from '../../src/engine/types.js';

const isRule = (id: string) => ALL_RULES.some((r) => r.meta.id === id);
const pages: LinkBase = { kind: 'pages', publicUrl: 'https://pyward.example.com' };
const docs: LinkBase = { kind: 'docs', docsUrl: 'https://github.com/acme/pyward/blob/HEAD/docs/rules.md' };

describe('ruleUrl', () => {
  it.each([
    ['B602', pages, 'https://pyward.example.com/pyward/rules/B602'],
    ['PYSEC-2021-142', pages, 'https://pyward.example.com/pyward/rules/PYSEC-2021-142'],
    ['GHSA-8q59-q68h-6hv4', pages, 'https://pyward.example.com/pyward/rules/GHSA-8q59-q68h-6hv4'],
    ['B602', docs, 'https://github.com/acme/pyward/blob/HEAD/docs/rules.md#b602'],
    ['PW101', docs, 'https://github.com/acme/pyward/blob/HEAD/docs/rules.md#pw101'],
    ['PYSEC-2021-142', docs, 'https://osv.dev/vulnerability/PYSEC-2021-142'],
    ['PYSEC-2021-142', { kind: 'none' }, 'https://osv.dev/vulnerability/PYSEC-2021-142'],
    ['B602', { kind: 'none' }, undefined],
    // no rule of that id (an unparseable dependency file's finding): no page, no anchor, so no link
    ['PW500', pages, undefined],
    ['PW500', docs, undefined],
  ] as [string, LinkBase, string | undefined][])('%s with %j -> %s', (id, base, expected) => {
    expect(ruleUrl(id, base, isRule)).toBe(expected);
  });

  it('links every rule to an anchor that docs/rules.md really has', () => {
    const text = readFileSync(join(process.cwd(), RULES_DOC_PATH), 'utf8');
    const anchors = new Set([...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    expect(anchors.size).toBe(ALL_RULES.length);
    for (const { meta } of ALL_RULES) {
      const url = ruleUrl(meta.id, { kind: 'docs', docsUrl: RULES_DOC_PATH }, isRule)!;
      expect(url.startsWith(`${RULES_DOC_PATH}#`)).toBe(true);
      expect(anchors).toContain(url.slice(url.indexOf('#') + 1));
    }
  });

  it.each([
    ['PYSEC-2021-142', true],
    ['pysec-2021-142', true],
    ['GHSA-8q59-q68h-6hv4', true],
    ['CVE-2020-14343', true],
    ['B602', false],
    ['PYSEC-2021', false],
    ['GHSA-8q59-q68h', false],
    ['PYSEC-2021-142/../../x', false],
  ])('isAdvisoryId(%s) = %s', (id, expected) => {
    expect(isAdvisoryId(id)).toBe(expected);
  });

  it('encodes the id into the OSV address', () => {
    expect(advisoryUrl('GHSA-8q59-q68h-6hv4')).toBe('https://osv.dev/vulnerability/GHSA-8q59-q68h-6hv4');
  });
});

describe('linkBaseFromEnv', () => {
  it.each([
    [{ PYWARD_PUBLIC_URL: 'https://pyward.example.com/' }, undefined, pages],
    [{ PYWARD_PUBLIC_URL: 'https://example.com/apps/pyward' }, undefined, { kind: 'pages', publicUrl: 'https://example.com/apps/pyward' }],
    [{ PYWARD_PUBLIC_URL: ' ', PYWARD_DOCS_URL: 'https://docs.example.com/rules.md' }, undefined, { kind: 'docs', docsUrl: 'https://docs.example.com/rules.md' }],
    [{}, 'github:acme/pyward', docs],
    [{}, 'acme/pyward', docs],
    [{}, 'git+https://github.com/acme/pyward.git', docs],
    [{}, 'git@github.com:acme/pyward.git', docs],
    [{}, { url: 'https://github.com/acme/tools', directory: 'packages/pyward/' }, { kind: 'docs', docsUrl: 'https://github.com/acme/tools/blob/HEAD/packages/pyward/docs/rules.md' }],
    // a host whose file addresses we cannot know, or no repository at all: no link rather than a guess
    [{}, 'https://gitlab.com/acme/pyward.git', { kind: 'none' }],
    [{}, undefined, { kind: 'none' }],
  ] as [Record<string, string>, Parameters<typeof docsUrlFromRepository>[0], LinkBase][])('%j with repository %j', (env, repository, expected) => {
    expect(linkBaseFromEnv(env, repository)).toEqual(expected);
  });

  it.each([
    [{ PYWARD_PUBLIC_URL: 'pyward.example.com' }, /PYWARD_PUBLIC_URL: not a URL/],
    [{ PYWARD_PUBLIC_URL: 'javascript:alert(1)' }, /PYWARD_PUBLIC_URL: not an http\(s\) URL/],
    [{ PYWARD_PUBLIC_URL: 'https://x.example/?a=1' }, /no query or fragment/],
    [{ PYWARD_DOCS_URL: 'ftp://x.example/rules.md' }, /PYWARD_DOCS_URL: not an http\(s\) URL/],
  ])('rejects %j', (env, message) => {
    expect(() => linkBaseFromEnv(env)).toThrow(message);
  });
});

describe('links in the review and the check run', () => {
  const finding = (ruleId: string): Finding => ({
    ruleId,
    ruleName: ruleId.startsWith('B') ? 'subprocess_popen_with_shell_equals_true' : 'vulnerable-dependency',
    message: 'm',
    severity: 'high',
    confidence: 'high',
    cwe: 78,
    location: { path: 'app.py', startLine: 3, startColumn: 1, endLine: 3, endColumn: 10 },
    fingerprint: `fp-${ruleId}`,
    snippet: '',
  });
  const url = (id: string) => ruleUrl(id, pages, isRule);

  it.each([
    ['B602', '[B602 documentation](https://pyward.example.com/pyward/rules/B602)'],
    ['PYSEC-2021-142', '[PYSEC-2021-142 advisory](https://pyward.example.com/pyward/rules/PYSEC-2021-142)'],
  ])('a comment on %s links to its page', (id, link) => {
    expect(commentBody(finding(id), undefined, undefined, url(id))).toContain(link);
  });

  it('an advisory links to OSV by name when that is where the link goes', () => {
    const id = 'PYSEC-2021-142';
    expect(commentBody(finding(id), undefined, undefined, ruleUrl(id, { kind: 'none' }, isRule))).toContain(`[${id} on osv.dev](https://osv.dev/vulnerability/${id})`);
  });

  it('a comment without a known address has no link at all', () => {
    const body = commentBody(finding('B602'), undefined, undefined, undefined);
    expect(body).not.toContain('documentation');
    // the CWE link is the only one left
    expect(body.match(/\]\(/g)).toHaveLength(1);
  });

  it('the summary table and the annotation link the rule', () => {
    const review: ChangeReview = {
      findings: [finding('B602')],
      suppressed: [],
      errors: [],
      preExisting: [],
      skipped: [],
      baseSha: 'b'.repeat(40),
      headSha: 'h'.repeat(40),
      stats: { filesAnalysed: 1, filesSkipped: 0, lines: 10, durationMs: 5 },
    };
    const out = renderCheckRun(review, { config: DEFAULT_CONFIG, rules: ALL_RULES, configSource: 'defaults', fileUrl: (p, l) => `https://x/${p}#L${l}`, ruleUrl: url });
    expect(out.summary).toContain('[`B602`](https://pyward.example.com/pyward/rules/B602) subprocess_popen_with_shell_equals_true');
    expect(out.annotations[0]!.message).toContain('B602: https://pyward.example.com/pyward/rules/B602');
    const plain = renderCheckRun(review, { config: DEFAULT_CONFIG, rules: ALL_RULES, configSource: 'defaults', fileUrl: (p, l) => `https://x/${p}#L${l}` });
    expect(plain.summary).toContain('| `B602` subprocess_popen_with_shell_equals_true |');
    expect(plain.annotations[0]!.message).not.toContain('https://');
  });
});
