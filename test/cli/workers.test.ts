/** The built CLI spreads a tree over worker threads; results must equal the in-process scan, in order. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
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
