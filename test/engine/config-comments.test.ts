/**
 * `# nosec` and `# pyward: ignore[...]` in configuration files, in each format's comment syntax
 * (engine/config-comments.ts), and their reason/until semantics through a review, as in Python.
 */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { AddedLines } from '../../src/diff/patch.js';
import { prepareRules } from '../../src/engine/analyze-file.js';
import { commentOf } from '../../src/engine/config-comments.js';
import { reviewChange } from '../../src/engine/review-change.js';
import { scanConfigFiles } from '../../src/engine/scan-config-files.js';
import type { ChangeSet } from '../../src/engine/types.js';
import { pythonParser } from '../../src/python/parser.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { fakeCredentials } from '../helpers/fake-credentials.js';

const F = fakeCredentials();

describe('commentOf', () => {
  it.each([
    ['TOKEN=abc # nosec', '#', '# nosec'],
    ['TOKEN="abc # not a comment" # nosec', '#', '# nosec'],
    ["key: 'it''s # still the value'  # nosec", '#', '# nosec'],
    ['TOKEN=abc#nosec', '#', undefined],
    ['url = x ; nosec', '#;', '# nosec'],
    ['; pyward: ignore[PW403]', '#;', '# pyward: ignore[PW403]'],
    ['! nosec', '#!', '# nosec'],
    ['key: value', '#', undefined],
  ])('%j', (line, markers, comment) => {
    expect(commentOf(line, markers)).toBe(comment);
  });
});

const scan = (path: string, text: string, options: { honourComments?: boolean } = {}) => scanConfigFiles([{ path, status: 'added', head: text }], { rules: ALL_RULES, ...options });

describe('suppression comments by format', () => {
  it.each([
    ['.env', `GITHUB_TOKEN=${F.ghp} # nosec`],
    ['deploy/.env.production', `GITHUB_TOKEN="${F.ghp}"  # pyward: ignore[PW401] reason="revoked"`],
    ['ci.yml', `env:\n  GITHUB_TOKEN: ${F.ghp}  # nosec PW401`],
    ['ci.yml', `key: |  # nosec PW402\n  ${F.pemRsa.split('\n').join('\n  ')}\n`],
    ['pyproject.toml', `[tool.x]\ntoken = "${F.ghp}" # nosec hard-coded-credential`],
    ['tox.ini', `[testenv]\n; pyward: ignore[PW401] reason="revoked"\npassenv = ${F.ghp}`],
    ['app.properties', `# nosec\n# the old key, revoked\ngithub.token=${F.ghp}`],
    ['setup.cfg', `[x]\ntoken = ${F.ghp} ; nosec`],
  ])('%s', (path, text) => {
    const result = scan(path, text);
    expect(result.findings).toEqual([]);
    expect(result.suppressed).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain(F.ghp);
  });

  it.each([
    ['another rule named', '.env', `GITHUB_TOKEN=${F.ghp} # nosec PW403`, true],
    ['the line below the secret', '.env', `GITHUB_TOKEN=${F.ghp}\n# nosec`, true],
    ['a comment line above, where the format has inline comments', '.env', `# nosec\nGITHUB_TOKEN=${F.ghp}`, true],
    ['a comment above separated by a blank line', 'app.properties', `# nosec\n\ngithub.token=${F.ghp}`, true],
    ['JSON has no comments', 'config.json', `{"token": "${F.ghp}", "note": "# nosec"}`, true],
    ['inside quotes', '.env', `GITHUB_TOKEN="${F.ghp} # nosec"`, true],
    ['nosec turned off (--ignore-nosec)', '.env', `GITHUB_TOKEN=${F.ghp} # nosec`, false],
  ])('%s: not suppressed', (_name, path, text, honour) => {
    const result = scan(path, text, { honourComments: honour });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['PW401']);
    expect(result.suppressed).toEqual([]);
  });

  it('records the reason and end date, and shows no credential in the comment', () => {
    const result = scan('.env', `OLD=${F.npm}  # pyward: ignore[PW401] reason="revoked in May" until=2099-12-31`);
    expect(result.suppressed[0].suppression).toEqual({ comment: '# pyward: ignore[PW401] reason="revoked in May" until=2099-12-31', line: 1, kind: 'pyward', reason: 'revoked in May', until: '2099-12-31' });
    expect(result.suppressed[0].snippet).toBe(`OLD=npm_…${F.npm.slice(-4)}  # pyward: ignore[PW401] reason="revoked in May" until=2099-12-31`);
    expect(JSON.stringify(result)).not.toContain(F.npm);
  });
});

describe('in a review', () => {
  const review = async (text: string, config = DEFAULT_CONFIG) => {
    const patch = `@@ -0,0 +1,${text.split('\n').length} @@\n${text.split('\n').map((l) => `+${l}`).join('\n')}`;
    const change: ChangeSet = { baseSha: 'b'.repeat(40), headSha: 'a'.repeat(40), files: [{ path: '.env', status: 'added', patch, head: text }], skipped: [] };
    return reviewChange(change, { parser: await pythonParser(), config, active: prepareRules(ALL_RULES, ALL_RULES, config), now: () => 0, today: '2026-06-01' });
  };

  it('an active suppression is counted as suppressed, not reported', async () => {
    const r = await review(`TOKEN=${F.ghp}  # pyward: ignore[PW401] reason="revoked" until=2026-12-31\n`);
    expect(r.findings.filter((f) => f.ruleId === 'PW401')).toEqual([]);
    expect(r.suppressed.map((f) => [f.ruleId, f.suppression.until])).toEqual([['PW401', '2026-12-31']]);
  });

  it('an expired one reports the finding again, saying so', async () => {
    const r = await review(`TOKEN=${F.ghp}  # pyward: ignore[PW401] reason="revoked" until=2026-01-31\n`);
    const f = r.findings.find((x) => x.ruleId === 'PW401')!;
    expect(f.message).toContain('The `# pyward: ignore` on line 1 expired on 2026-01-31 (reason: revoked), so this is reported again.');
    expect(r.suppressed).toEqual([]);
  });

  it('with suppressions.require_reason, a bare # nosec is not honoured', async () => {
    const r = await review(`TOKEN=${F.ghp} # nosec\n`, { ...DEFAULT_CONFIG, suppressions: { ...DEFAULT_CONFIG.suppressions, require_reason: true } });
    expect(r.findings.find((x) => x.ruleId === 'PW401')?.message).toContain('this repository requires a reason for every suppression');
  });

  it('a suppression on a line the change did not add is not the change\'s', () => {
    const text = `A=${F.ghp} # nosec\nB=1\n`;
    const added = AddedLines.fromPatches([{ path: '.env', patch: '@@ -1,0 +2,1 @@\n+B=1' }]);
    const result = scanConfigFiles([{ path: '.env', status: 'modified', head: text }], { rules: ALL_RULES, added });
    expect([result.findings, result.suppressed, result.preExisting]).toEqual([[], [], []]);
  });
});
