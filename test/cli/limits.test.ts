/** Caps with reasons, as the command line says them: findings per file. */
import { join } from 'node:path';
import { runCli, tempTree } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';

// 1,200 asserts (B101, low) and one shell call (B602, high) on the last line: 1,202 findings with B404.
const BIG = `import subprocess\n${'assert x\n'.repeat(1200)}subprocess.call(cmd, shell=True)\n`;

describe('at most 1,000 findings per file', () => {
  it('tree scan: the most severe are kept, the rest counted in JSON and the text summary', async () => {
    const dir = tempTree({ 'gen.py': BIG });
    const json = await runCli(['scan', join(dir, 'gen.py'), '--format', 'json'], dir);
    const out = JSON.parse(json.stdout);
    expect(out.findings).toHaveLength(1000);
    expect(out.findings.some((f: { ruleId: string; location: { startLine: number } }) => f.ruleId === 'B602' && f.location.startLine === 1202)).toBe(true);
    expect(out.stats.findingsCut).toEqual([{ path: 'gen.py', omitted: 202, byRule: { B101: 202 } }]);
    expect(json.code).toBe(1); // the high finding still fails it
    const text = await runCli(['scan', join(dir, 'gen.py')], dir);
    expect(text.stdout).toContain('202 more findings not listed (at most 1,000 per file, the most severe kept): gen.py: 202 B101.');
  });

  it('--diff github-review: the check-run summary says it too', async () => {
    const dir = gitRepo({ 'a.py': 'x = 1\n' }, { 'gen.py': BIG });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const out = JSON.parse(run.stdout);
    expect(out.checkRun.summary).toMatch(/⚠️ 202 more findings not listed \(at most 1,000 per file, the most severe kept\): gen\.py: 202 B101\./);
    expect(out.checkRun.conclusion).toBe('failure');
  });
});

describe('files over max_file_size: not analysed, said the same way as the App says it, and the review fails closed', () => {
  const HINT = 'exclude them with paths.ignore, or raise max_file_size (--max-file-size on the command line)';
  const big = `x = 1\n${'# padding\n'.repeat(20)}eval(x)\n`;

  it('tree scan: exit 2 with the reason and both fixes on stderr; a higher --max-file-size analyses it', async () => {
    const dir = tempTree({ 'gen/big.py': big });
    const run = await runCli(['scan', '.', '--max-file-size', '100'], dir);
    expect(run.stderr).toContain(`gen/big.py: 0.0 MiB is over the 0.0 MiB limit (max_file_size); generated or data files are usually the cause: ${HINT}`);
    expect(run.code).toBe(2);
    const raised = await runCli(['scan', '.', '--max-file-size', '100000', '--fail-on', 'medium'], dir);
    expect(raised.stdout).toContain('B307');
    expect(raised.code).toBe(1);
  });

  it('--diff: the same reason in the github-review check run, which fails; paths.ignore on the base makes it pass', async () => {
    const dir = gitRepo({ '.github/pyward.yml': 'max_file_size: 100\n' }, { 'gen/big.py': big });
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'github-review'], dir);
    const out = JSON.parse(run.stdout);
    expect(out.checkRun.conclusion).toBe('failure');
    expect(out.checkRun.summary).toContain(HINT);
    expect(run.code).toBe(2);
    const ignored = gitRepo({ '.github/pyward.yml': 'max_file_size: 100\npaths:\n  ignore: ["gen"]\n' }, { 'gen/big.py': big });
    expect((await runCli(['scan', '--diff', 'main..pr'], ignored)).code).toBe(0);
  });
});
