/** The built CLI spreads a tree over worker threads; results must equal the in-process scan, in order. */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFiles, type WorkRequest } from '../../src/cli/run-files.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { FileResult } from '../../src/engine/types.js';
import { tempTree } from '../helpers/cli.js';

const BIN = join(process.cwd(), 'bin/pyward.js');

function scan(dir: string, jobs: number): { findings: { ruleId: string; location: { path: string; startLine: number } }[]; stats: { filesAnalysed: number } } {
  try {
    return JSON.parse(execFileSync(process.execPath, [BIN, 'scan', '.', '-f', 'json', '--jobs', String(jobs)], { cwd: dir, encoding: 'utf8' }));
  } catch (err) {
    const e = err as { status: number; stdout: string };
    if (e.status === 1 || e.status === 0) return JSON.parse(e.stdout);
    throw err;
  }
}

it('a 40-file tree scanned with 2 workers equals the single-threaded scan', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 40; i++) files[`pkg/mod_${String(i).padStart(2, '0')}.py`] = `import os\n\ndef f${i}(x):\n${'    y = x\n'.repeat(i)}    exec(x)\n`;
  const dir = tempTree(files);
  const single = scan(dir, 1);
  const parallel = scan(dir, 2);
  expect(parallel.stats.filesAnalysed).toBe(40);
  const key = (r: typeof single) => r.findings.map((f) => `${f.location.path}:${f.location.startLine}:${f.ruleId}`);
  expect(key(parallel)).toEqual(key(single));
  expect(key(single)).toContain('pkg/mod_39.py:43:B102');
});

describe('runFiles', () => {
  /** Files of every kind a worker meets: findings, a syntax error, binary, undecodable, too big, missing. */
  function mixedTree(): { dir: string; requests: WorkRequest[] } {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`m${String(i).padStart(2, '0')}.py`] = `import subprocess\n${'x = 1\n'.repeat(i * 10)}subprocess.call(c, shell=True)\n`;
    files['broken.py'] = 'def f(:\n    eval(x)\n';
    files['big.py'] = `# ${'x'.repeat(5000)}\n`;
    const dir = tempTree(files);
    writeFileSync(join(dir, 'binary.py'), Buffer.from([0x70, 0x00, 0x01, 0xff]));
    writeFileSync(join(dir, 'latin.py'), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]));
    const names = [...Object.keys(files), 'binary.py', 'latin.py', 'missing.py'].sort();
    return { dir, requests: names.map((n) => ({ path: join(dir, n), display: n })) };
  }
  const config = { ...DEFAULT_CONFIG, max_file_size: 4096 };
  const summary = (results: FileResult[]) => results.map((r) => ({ path: r.path, analysed: r.analysed, lines: r.lines, errors: r.errors.map((e) => e.message.slice(0, 40)), findings: r.findings.map((f) => `${f.ruleId}:${f.location.startLine}:${f.fingerprint}`) }));

  it('gives the same results in input order whether workers parse, analyse, or nothing runs in parallel', async () => {
    const { requests } = mixedTree();
    const single = await runFiles(requests, config, 1);
    expect(single.map((r) => r.path)).toEqual(requests.map((r) => r.display));
    expect(single.find((r) => r.path === 'big.py')?.errors[0].message).toMatch(/max_file_size/);
    expect(single.find((r) => r.path === 'missing.py')?.errors[0].message).toMatch(/cannot read/);
    expect(single.find((r) => r.path === 'broken.py')?.errors[0].kind).toBe('syntax');
    expect(single.filter((r) => r.findings.some((f) => f.ruleId === 'B602'))).toHaveLength(30);
    // workers that only parse (trees moved to the main thread), and workers that analyse whole files
    expect(summary(await runFiles(requests, config, 2))).toEqual(summary(single));
    expect(summary(await runFiles(requests, config, 3, { maxBacklog: 0 }))).toEqual(summary(single));
  });

  it('still returns every result when a worker dies with files it had taken', async () => {
    const { requests } = mixedTree();
    const single = await runFiles(requests, config, 1);
    const failing = new URL('./failing-worker.mjs', import.meta.url);
    expect(summary(await runFiles(requests, config, 3, { workerUrl: failing }))).toEqual(summary(single));
  });
});
