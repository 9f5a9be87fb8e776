/**
 * Issue 9: files CPython runs are analysed instead of skipped whole (deep chains, coding cookies, CR-only
 * line ends), and what could not be analysed makes the review incomplete, as `pyward scan --diff` reports it.
 */
import { gitRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';

interface GithubReview {
  checkRun: { conclusion: string; title: string; summary: string; annotations: { path: string; start_line: number; title: string }[] };
}

const review = async (dir: string) => {
  const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
  return { run, out: JSON.parse(run.stdout) as GithubReview };
};
/** git and a whole review per test: slow on a loaded machine, not a timing assertion. */
const SLOW = 30_000;
const annotated = (out: GithubReview) => out.checkRun.annotations.map((a) => `${a.path}:${a.start_line}:${a.title.split(' ')[0]}`);

describe('a 1,100-term chain in a pull request', () => {
  const chain = Array.from({ length: 1100 }, (_, i) => `flag_${i}`).join(' and ');
  const pr = `import subprocess\n\nready = ${chain}\nsubprocess.call(cmd, shell=True)\n`;

  it('the rest of the file is reviewed (B602 on line 4) and the cut chain makes the review incomplete (exit 2)', async () => {
    const dir = gitRepo({ 'ok.py': 'x = 1\n' }, { 'gen.py': pr });
    const { run, out } = await review(dir);
    expect(annotated(out)).toEqual(['gen.py:4:B602', 'gen.py:1:B404']);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.summary).toMatch(/`gen\.py`: partly analysed: code on line 3 is nested more than 1000 levels deep/);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not reviewed:\n {2}gen\.py: partly analysed: code on line 3/);
  }, SLOW);

  it('with incomplete: neutral and fail_on: critical the exit code follows the findings (0)', async () => {
    const dir = gitRepo({ '.github/pyward.yml': 'incomplete: neutral\nfail_on: critical\n' }, { 'gen.py': pr });
    const { run, out } = await review(dir);
    expect(out.checkRun.conclusion).toBe('neutral');
    expect(annotated(out)).toEqual(['gen.py:4:B602', 'gen.py:1:B404']);
    expect(run.code).toBe(0);
  }, SLOW);
});

describe('a file in a codec TextDecoder does not know', () => {
  // UTF-7 hides `eval` from a UTF-8 reader: `+AGU-val(x)` is `eval(x)` to CPython.
  const utf7 = '# -*- coding: utf-7 -*-\nimport subprocess\n+AGU-val(x)\nsubprocess.call(cmd, shell=True)\n';

  it('is decoded as CPython decodes it: eval on line 3 and B602 on line 4 are reported, the review is complete', async () => {
    const dir = gitRepo({ 'ok.py': 'x = 1\n' }, { 'u7.py': utf7, 'dos.py': Buffer.from('# coding: cp437\nname = "caf\x82"; exec(name)\n', 'latin1') });
    const { run, out } = await review(dir);
    expect(annotated(out)).toEqual(['u7.py:4:B602', 'dos.py:2:B102', 'u7.py:3:B307', 'u7.py:2:B404']);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.summary).not.toMatch(/Not reviewed/);
    expect(run.code).toBe(1);
  }, SLOW);

  it('an unknown codec is listed as not reviewed and fails closed (exit 2)', async () => {
    const dir = gitRepo({ 'ok.py': 'x = 1\n' }, { 'odd.py': '# coding: klingon\nexec(x)\n' });
    const { run, out } = await review(dir);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.summary).toMatch(/`odd\.py`: unknown source encoding 'klingon' in the coding cookie/);
    expect(run.code).toBe(2);
  }, SLOW);
});
