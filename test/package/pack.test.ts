/**
 * `npm pack` makes a package that installs and runs from a clean directory. The tarball is npm's own (`npm
 * pack`, after `npm run build`, which `npm test` runs). Installing it with `npm install -g` would fetch its
 * dependencies from the registry (the local npm cache does not hold them all, so `--offline` fails): a
 * hermetic test cannot. So the install is done as npm lays it out: the tarball unpacked into
 * `<prefix>/lib/node_modules/pyward`, its production dependencies (package-lock.json's, copied from this
 * checkout; dev ones left out, so a runtime import of a devDependency fails here) beside it, and the `bin`
 * entry linked into `<prefix>/bin`. Then `pyward scan` runs from a temporary directory with nothing else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempTree } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let files: string[];
let prefix: string;

/** Package directories (`node_modules/a`, `node_modules/a/node_modules/b`) that production code needs. */
function productionPackages(lock: { packages?: Record<string, { dev?: boolean; link?: boolean }> }): string[] {
  return Object.entries(lock.packages ?? {})
    .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.link)
    .map(([path]) => path);
}

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'pyward-pack-'));
  // --ignore-scripts: dist/ is built already; `prepare` would only build it again.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }))[0];
  files = packed.files.map((f: { path: string }) => f.path);
  prefix = join(work, 'prefix');
  const installed = join(prefix, 'lib/node_modules/pyward');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', installed, '--strip-components=1']);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  for (const pkg of productionPackages(lock)) {
    if (!existsSync(join(ROOT, pkg))) continue; // another platform's optional binary
    cpSync(join(ROOT, pkg), join(installed, pkg), { recursive: true, dereference: true, filter: (src) => !src.slice(join(ROOT, pkg).length).includes('/node_modules') });
  }
  const bin = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).bin.pyward;
  mkdirSync(join(prefix, 'bin'));
  symlinkSync(join('../lib/node_modules/pyward', bin), join(prefix, 'bin/pyward'));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it('holds the built code, the bin and the bundled advisories, and no sources, tests or Action bundle', () => {
  expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/pyward.js', 'dist/cli/main.js', 'dist/cli/worker.js', 'dist/index.js', 'app.yml']));
  // action-dist/ is for `uses:` refs; the package has its dependencies installed beside it.
  expect(files.filter((f) => /^(src|test|scripts|bench|node_modules|action-dist|\.ci)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  // The WASM grammar comes with the tree-sitter-python dependency, not a copy in the package.
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tree-sitter-python', 'web-tree-sitter']));
  for (let dir = work; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules'))).toBe(false);
});

it('the installed bin scans a file from a clean directory', () => {
  const dir = tempTree({ 'app.py': 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n' });
  const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir };
  const version = spawnSync('pyward', ['--version'], { cwd: dir, env, encoding: 'utf8' });
  expect(version.stdout).toBe(`pyward ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}\n`);
  const scan = spawnSync('pyward', ['scan', 'app.py'], { cwd: dir, env, encoding: 'utf8' });
  expect({ status: scan.status, stderr: scan.stderr }).toEqual({ status: 1, stderr: '' });
  expect(scan.stdout).toMatch(/5:26 +HIGH +B602 subprocess_popen_with_shell_equals_true/);
}, 60_000);
