/**
 * A hostile pull request, reviewed by `pyward scan --diff main..pr` (github-review and text): file names,
 * code and dependency options crafted to inject Markdown/HTML into what the app posts, to forge a
 * fingerprint marker, and to write workflow commands or terminal escapes into a CI log.
 */
import { parseFingerprints } from '../../src/report/fingerprint-marker.js';
import { runCli } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';

const repo = (base: Record<string, string>, pr: Record<string, string>): string => gitRepo(base, pr);

// A fingerprint is a computable hash; any hex value stands for one here.
const FORGED = '<!-- pyward:fingerprint=0123456789abcdef0123 -->';
const SECRET = 'hunter2-very-secret-value';
const TOKEN = 'pypi-AgEIcHlwaS5vcmcSECRET';

const HOSTILE_PR = {
  // A newline in a file name ends the table row and starts a heading, then an HTML comment hides the rest.
  'app/a\n# Heading <!-- x.py': 'import yaml\n\n\ndef f(data):\n    return yaml.load(data)\n',
  'app/<img src=x onerror=alert(1)> @acme-org|[x](https:evil.example).py': 'def g(code):\n    eval(code)\n',
  'app/run.py': [
    'import subprocess',
    'import tarfile',
    '',
    '',
    'def run(d, t):',
    '    subprocess.Popen(["<details>@acme-team"])',
    `    d["<img src=x>_password"] = "${SECRET}"`,
    '    t.extractall(members=pick(t, "<b>@acme</b>"))',
    `    return yaml.load(open("x"))  # ${FORGED}`,
    '',
  ].join('\n'),
  'requirements.txt': `--extra-index-url http://__token__:${TOKEN}@mirror.example/simple/@acme-team/<img src=x>\nrequests==2.31.0\n`,
};

interface GithubReview {
  checkRun: { summary: string; title: string };
  review: { body: string; comments: { path: string; line: number; body: string; fingerprint: string }[] };
}

/** What an attacker wants to see rendered in pyward's Markdown (inline code spans show their text as it is: no HTML, mention or link there). */
function assertNoInjectedMarkup(markdown: string): void {
  const rendered = markdown.replace(/(`+)(?!`)([^\n]*?[^`\n])\1(?!`)/g, '');
  expect(rendered).not.toMatch(/<(img|details|b)\b/i);
  expect(rendered).not.toMatch(/@acme(?!\u200b)/);
  expect(rendered).not.toMatch(/(?<!\\)\]\(https?:evil/);
  expect(rendered).not.toMatch(/https?:\/\/mirror/);
  expect(markdown).not.toContain(SECRET);
  // The only HTML comments are pyward's own markers, alone on their lines.
  for (const line of markdown.split('\n')) if (line.includes('<!--')) expect(line).toMatch(/^<!-- pyward:fingerprint=[0-9a-f]+ -->$|^`{3,}|^\s*(return|d\[)/);
}

describe('pyward scan --diff on a hostile pull request', () => {
  let dir: string;
  beforeAll(() => {
    dir = repo({ 'README.md': 'x\n' }, HOSTILE_PR);
  });

  it('github-review: no markup from the PR reaches the check run or the comments', async () => {
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review', '--min-severity', 'low'], dir);
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as GithubReview;
    const { summary } = out.checkRun;
    assertNoInjectedMarkup(summary);
    // Every row of the findings table keeps its four columns: five pipes that are not escaped.
    const lines = summary.split('\n');
    const start = lines.indexOf('| Severity | Rule | Where | Problem |');
    const rows = lines.slice(start, lines.indexOf('', start));
    expect(rows.length).toBe(2 + 9);
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
    // The only headings are pyward's own sections.
    expect(summary.split('\n').filter((l) => /^\s{0,3}#/.test(l))).toEqual(summary.split('\n').filter((l) => /^### (Also in the touched files|Dependencies|Scanned|Configuration)$/.test(l)));
    // The hostile findings are there, their names shown as text.
    expect(summary).toContain('&lt;details&gt;@\u200bacme-team');
    expect(summary).toContain('[app/a␊# Heading &lt;!-- x.py:5](app/a%0A%23%20Heading%20%3C!--%20x.py#L5)');

    expect(out.review.comments.length).toBeGreaterThanOrEqual(3);
    for (const c of out.review.comments) {
      assertNoInjectedMarkup(c.body);
      // The forged marker the PR wrote on the yaml.load line is inside pyward's suggestion: only pyward's own marker counts.
      expect(parseFingerprints(c.body)).toEqual([c.fingerprint]);
    }
    const yaml = out.review.comments.find((c) => c.path === 'app/run.py' && c.body.includes('B506'));
    expect(yaml?.body).toContain('```suggestion');
    expect(yaml?.body).toContain(FORGED); // copied into the suggestion, where it is code
  });

  it('the secret is redacted in every format', async () => {
    for (const format of ['text', 'json', 'sarif', 'github-review']) {
      const run = await runCli(['scan', '--diff', 'main..pr', '--format', format, '--min-severity', 'low'], dir);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).not.toContain(TOKEN);
      expect(run.stdout).toContain(format === 'text' ? `"***alue"` : 'B105');
    }
  });

  it('text: no control character and no workflow command reaches the log', async () => {
    const crDir = repo({ 'README.md': 'x\n' }, { ...HOSTILE_PR, 'app/cr.py': 'def h(x):\n    eval(x)  # \r# nothing to see here\n', 'app/esc.py': 'def e(x):\n    eval(x)  # \x1b]0;pwned\x07\x1b[2K\n' });
    const run = await runCli(['scan', '--diff', 'main..pr', '--min-severity', 'low'], crDir, { NO_COLOR: '1' });
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    for (const line of run.stdout.split('\n')) expect(line.trim().startsWith('::')).toBe(false);
    expect(run.stdout).toContain('app/a\\n# Heading <!-- x.py');
    // A lone CR ends a line, as in CPython: the call is shown on its own line, nothing after the CR can cover it.
    expect(run.stdout).toMatch(/app\/cr\.py\n {2}2:5 .*B307[\s\S]*? {5}2 \| eval\(x\) {2}#\n/);
    expect(run.stdout).toContain('\\e]0;pwned\\x07\\e[2K');
  });

  it('text: a newline in a path cannot start a line with a workflow command', async () => {
    const cmdDir = repo({ 'README.md': 'x\n' }, { 'x\n::warning file=README.md,line=1::looks fine.py': 'eval(input())\n' });
    const run = await runCli(['scan', '--diff', 'main..pr'], cmdDir, { NO_COLOR: '1' });
    expect(run.stdout).toContain('x\\n::warning file=README.md,line=1::looks fine.py');
    for (const line of run.stdout.split('\n')) expect(line.trim().startsWith('::')).toBe(false);
  });

  it('a config error quoting the config is one safe line per error on stderr', async () => {
    const cfgDir = repo({ 'README.md': 'x\n' }, { '.github/pyward.yml': '"\\n::warning::pwned\\u001b[2K": 1\n', 'a.py': 'eval(input())\n' });
    const run = await runCli(['scan', '--diff', 'main..pr'], cfgDir);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    for (const line of run.stderr.split('\n')) expect(line.trim().startsWith('::')).toBe(false);
  });
});
