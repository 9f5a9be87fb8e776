/** `pyward scan --diff`: data flow follows the changed files into the unchanged modules they import, read from the head commit. */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { gitRepo } from '../helpers/git-repo.js';

const repo = (base: Record<string, string>, pr: Record<string, string>): string => gitRepo(base, pr);

const HELPER = 'import subprocess\n\n\ndef convert(name):\n    subprocess.run(f"convert {name} out.png", shell=True)\n';
const VIEW_BASE = 'from flask import request\nfrom .shell import convert\n\n\ndef index():\n    return "ok"\n';
const VIEW_PR = `${VIEW_BASE}\n\ndef thumbnail():\n    convert(request.args["image"])\n    return "ok"\n`;

interface Report {
  findings: { ruleId: string; message: string; location: { path: string; startLine: number } }[];
  context?: { files: number; note?: string };
}
const where = (r: Report) => r.findings.filter((f) => f.ruleId.startsWith('PW')).map((f) => `${f.location.path}:${f.location.startLine}:${f.ruleId}`);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('pyward scan --diff and imported modules', () => {
  it.each([
    ['relative import', 'app/', '.shell'],
    ['absolute import under a leading folder', 'backend/app/', 'app.shell'],
    ['a helper two imports away', 'app/', '.facade'],
  ])('%s: the flow into the unchanged helper is reported on the added call', async (_name, root, module) => {
    const facade = module === '.facade' ? { [`${root}facade.py`]: 'from .shell import convert as run\n\n\ndef convert(name):\n    run(name)\n' } : {};
    const view = (text: string) => text.replace('from .shell import', `from ${module} import`);
    const dir = repo({ [`${root}__init__.py`]: '', [`${root}shell.py`]: HELPER, [`${root}views.py`]: view(VIEW_BASE), ...facade }, { [`${root}views.py`]: view(VIEW_PR) });
    dirs.push(dir);
    const run = await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir);
    const report = JSON.parse(run.stdout) as Report;
    expect(where(report)).toEqual([`${root}views.py:10:PW102`]);
    expect(report.findings.find((f) => f.ruleId === 'PW102')!.message).toContain(`The sink is unchanged code at ${root}shell.py:5`);
    expect(report.context).toEqual({ files: module === '.facade' ? 2 : 1 });
  });

  it('reads the head commit, not the work tree', async () => {
    const dir = repo({ 'app/shell.py': HELPER, 'app/views.py': VIEW_BASE }, { 'app/views.py': VIEW_PR });
    dirs.push(dir);
    writeFileSync(join(dir, 'app/shell.py'), 'def convert(name):\n    return name\n'); // uncommitted: must not matter
    const report = JSON.parse((await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir)).stdout) as Report;
    expect(where(report)).toEqual(['app/views.py:10:PW102']);
  });

  it('reads at most 50 modules and says so in the text report and the JSON', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `m${i}`);
    const modules = Object.fromEntries(names.map((n) => [`app/${n}.py`, 'X = 1\n']));
    const dir = repo({ ...modules, 'app/views.py': 'X = 0\n' }, { 'app/views.py': `from . import ${names.join(', ')}\n` });
    dirs.push(dir);
    const note = 'data flow read 50 of 60 imported project modules (limit 50 files / 2 MB per review); flows through the others were not followed';
    const report = JSON.parse((await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir)).stdout) as Report;
    expect(report.context).toEqual({ files: 50, note });
    const text = (await runCli(['scan', '--diff', 'main..pr'], dir)).stdout;
    expect(text).toContain('Data flow also read 50 unchanged project modules that the changed files import.');
    expect(text).toContain(`Note: ${note}.`);
  });

  it('reads nothing with data flow off', async () => {
    const dir = repo({ 'app/shell.py': HELPER, 'app/views.py': VIEW_BASE, '.github/pyward.yml': 'dataflow:\n  enabled: false\n' }, { 'app/views.py': VIEW_PR });
    dirs.push(dir);
    const report = JSON.parse((await runCli(['scan', '--diff', 'main..pr', '--format', 'json'], dir)).stdout) as Report;
    expect(report.context).toBeUndefined();
    expect(where(report)).toEqual([]);
  });
});
