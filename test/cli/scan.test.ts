import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempTree } from '../helpers/cli.js';

const VULNERABLE = 'import subprocess\n\ndef run(cmd):\n    exec(cmd)\n';

describe('pyward scan: exit codes and messages on hard input', () => {
  it('reports findings and exits 0 below fail-on, 1 at or above it', async () => {
    const dir = tempTree({ 'app.py': VULNERABLE });
    const relaxed = await runCli(['scan', '.'], dir);
    expect(relaxed.code).toBe(0); // B102 is medium; fail-on defaults to high
    expect(relaxed.stdout).toContain('app.py');
    expect(relaxed.stdout).toMatch(/4:5 +MEDIUM +B102 exec_used/);
    expect(relaxed.stdout).toContain('4 | exec(cmd)');
    const strict = await runCli(['scan', '.', '--fail-on', 'medium'], dir);
    expect(strict.code).toBe(1);
  });

  it('a file with a syntax error is still checked, with a warning naming the line', async () => {
    const dir = tempTree({ 'broken.py': 'def f(:\n    pass\n\nexec(payload)\n' });
    const run = await runCli(['scan', 'broken.py', '--fail-on', 'medium'], dir);
    expect(run.stdout).toMatch(/warning: broken\.py:1: syntax error at line 1/);
    expect(run.stdout).toMatch(/B102/);
    expect(run.code).toBe(1);
  });

  it('a binary file named .py is skipped with a reason, and nothing analysed is not a pass', async () => {
    const dir = tempTree({ 'blob.py': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]) });
    const run = await runCli(['scan', 'blob.py'], dir);
    expect(run.stdout).toContain('skipped: blob.py: not analysed: binary file');
    expect(run.stderr).toContain('none of the 1 file(s) could be analysed');
    expect(run.code).toBe(2);
  });

  it('an empty file is analysed and clean', async () => {
    const dir = tempTree({ 'empty.py': '' });
    const run = await runCli(['scan', '.'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No findings; 1 file analysed');
  });

  it('a 5 MB generated file is skipped with the size and the limit, other files still scanned, and the scan fails closed', async () => {
    const big = `DATA = [\n${'    "0123456789abcdef0123456789abcdef0123456789abcdef",\n'.repeat(100_000)}]\n`;
    expect(big.length).toBeGreaterThan(5_000_000);
    const dir = tempTree({ 'generated.py': big, 'app.py': VULNERABLE });
    const run = await runCli(['scan', '.'], dir);
    expect(run.stdout).toMatch(/skipped: generated\.py: not analysed: 5\.\d MiB is over the 2\.0 MiB limit \(max_file_size\)/);
    expect(run.stdout).toContain('B102');
    expect(run.stderr).toMatch(/the review is incomplete, failing .*not reviewed:\n  generated\.py: 5\.\d MiB is over/s);
    expect(run.code).toBe(2);
    const raised = await runCli(['scan', 'generated.py', '--max-file-size', '8000000'], dir);
    expect(raised.code).toBe(0);
    expect(raised.stdout).toContain('No findings; 1 file analysed');
  });

  it('Latin-1 with a coding cookie, BOM and CRLF files decode; undecodable bytes are skipped with a reason', async () => {
    const latin1 = Buffer.from('# -*- coding: latin-1 -*-\nname = "caf\xe9"\nexec(name)\n', 'latin1');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = 1\r\nexec(x)\r\n')]);
    const bad = Buffer.from('name = "caf\xe9"\n', 'latin1');
    const dir = tempTree({ 'latin.py': latin1, 'bom.py': bom, 'bad.py': bad });
    const run = await runCli(['scan', '.', '--format', 'json', '--select', 'B102'], dir);
    const report = JSON.parse(run.stdout);
    const lines = report.findings.map((f: { location: { path: string; startLine: number } }) => `${f.location.path}:${f.location.startLine}`);
    expect(lines).toEqual(['bom.py:2', 'latin.py:3']);
    expect(report.errors).toEqual([expect.objectContaining({ path: 'bad.py', kind: 'skipped', message: expect.stringContaining('not valid utf-8') })]);
  });

  it('usage errors exit 2 with the usage text', async () => {
    const dir = tempTree({});
    for (const argv of [['scan', '--format', 'xml'], ['scan', '--bogus'], ['frobnicate'], ['scan', '--jobs', '0']]) {
      const run = await runCli(argv, dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Usage: pyward scan');
    }
    const missing = await runCli(['scan', 'nope.py'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or directory: nope.py');
  });

  it('an invalid config file names the key and line, and exits 2', async () => {
    const dir = tempTree({ 'a.py': VULNERABLE, 'pyward.yml': 'fail_on: hihg\nrules:\n  disabel: [B101]\n' });
    const run = await runCli(['scan', '.', '--config', 'pyward.yml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("pyward.yml:1: fail_on: must be one of low, medium, high, critical (got 'hihg')");
    expect(run.stderr).toContain("pyward.yml:3: rules.disabel: unknown key 'disabel'");
  });

  it('a config from .github/pyward.yml applies; flags override it; unknown rule ids are errors', async () => {
    const dir = tempTree({ 'a.py': VULNERABLE, '.github/pyward.yml': 'fail_on: medium\n' });
    expect((await runCli(['scan', 'a.py'], dir)).code).toBe(1);
    expect((await runCli(['scan', 'a.py', '--fail-on', 'high'], dir)).code).toBe(0);
    expect((await runCli(['scan', 'a.py', '--select', 'B1', '--ignore', 'B102'], dir)).stdout).toContain('No findings');
    const typo = await runCli(['scan', 'a.py', '--select', 'B9999'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('rules.select: unknown rule id or name: B9999');
  });

  it('rule options from the config apply (Bandit option names), and bad ones are named', async () => {
    const code = 'import os\nSCRATCH = "/scratch/build"\nTMP = "/tmp/build"\n';
    const dir = tempTree({ 'a.py': code, 'custom.yml': 'rules:\n  options:\n    B108: { tmp_dirs: [/scratch] }\n', 'bad.yml': 'rules:\n  options:\n    B108: { tmp_dir: [/scratch] }\n    hardcoded_tmp_directory: { tmp_dirs: yes }\n    B999: {}\n' });
    const lines = (run: { stdout: string }) => JSON.parse(run.stdout).findings.map((f: { location: { startLine: number } }) => f.location.startLine);
    expect(lines(await runCli(['scan', 'a.py', '-f', 'json', '--select', 'B108'], dir))).toEqual([3]);
    expect(lines(await runCli(['scan', 'a.py', '-f', 'json', '--select', 'B108', '-c', 'custom.yml'], dir))).toEqual([2]);
    const bad = await runCli(['scan', 'a.py', '-c', 'bad.yml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("rules.options.B108.tmp_dir: B108 has no option 'tmp_dir' (it has: tmp_dirs)");
    expect(bad.stderr).toContain('rules.options.hardcoded_tmp_directory.tmp_dirs: must be a list of strings');
    expect(bad.stderr).toContain('rules.options.B999: no rule has this id or name');
  });

  it('# nosec on any line of a multi-line statement silences it, and is counted', async () => {
    const dir = tempTree({ 'a.py': 'exec(\n    payload,  # nosec B102\n)\nexec(other)  # nosec B101\n' });
    const run = await runCli(['scan', '.', '--format', 'json', '--select', 'B102'], dir);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { location: { startLine: number } }) => f.location.startLine)).toEqual([4]);
    expect(report.suppressed).toEqual([expect.objectContaining({ ruleId: 'B102', suppression: { comment: '# nosec B102', line: 2, kind: 'nosec' } })]);
    const all = JSON.parse((await runCli(['scan', '.', '--format', 'json', '--ignore-nosec', '--select', 'B102'], dir)).stdout);
    expect(all.findings).toHaveLength(2);
  });

  it('skips virtualenvs and excluded globs, writes --output', async () => {
    const dir = tempTree({
      'src/app.py': VULNERABLE,
      'env/pyvenv.cfg': 'home = /usr/bin\n',
      'env/lib/bad.py': VULNERABLE,
      'node_modules/x/bad.py': VULNERABLE,
      'tests/test_app.py': VULNERABLE,
    });
    const run = await runCli(['scan', '.', '--exclude', 'tests', '-o', 'out.json', '-f', 'json', '--select', 'B102'], dir);
    expect(run.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(report.findings.map((f: { location: { path: string } }) => f.location.path)).toEqual(['src/app.py']);
  });
});
