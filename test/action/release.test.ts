/**
 * `uses: <owner>/pyward@v1` as the runner does it: the release tree (scripts/action-release.mjs) copied to
 * a directory with no node_modules above it, action.yml's `main` started with plain `node` and a simulated
 * Actions environment, against a fake GitHub over real HTTP. Nothing is installed at run time.
 * Needs dist/ (`npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createFakeGitHub, newFilePatch, pullRequestEvent, type FakeGitHub } from '../support/fake-github.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VULNERABLE = 'import subprocess\nfrom flask import request\n\n\ndef run():\n    subprocess.run(request.args["cmd"], shell=True)\n';

let out: string;
let work: string;
let fake: FakeGitHub;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/action/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  out = mkdtempSync(join(tmpdir(), 'pyward-action-release-'));
  work = mkdtempSync(join(tmpdir(), 'pyward-action-work-'));
  const { assembleActionRelease } = await import(join(ROOT, 'scripts/action-release.mjs'));
  assembleActionRelease(join(out, 'pyward'), ROOT);
  fake = createFakeGitHub({
    owner: 'acme',
    repo: 'shop',
    installationId: 1,
    pullRequest: { number: 7, headSha: 'a1'.repeat(20), baseSha: 'b'.repeat(40), files: [{ filename: 'app/run.py', status: 'added', patch: newFilePatch(VULNERABLE), content: VULNERABLE }] },
  });
  await fake.listen();
}, 120_000);

afterAll(async () => {
  await fake?.close();
  for (const dir of [out, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function run(main: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

it('holds action.yml, the built code and production dependencies only, with nothing to resolve above it', () => {
  const release = join(out, 'pyward');
  const action = parse(readFileSync(join(release, 'action.yml'), 'utf8'));
  expect(action.runs).toEqual({ using: 'node20', main: 'bin/pyward-action.js' });
  expect(existsSync(join(release, action.runs.main))).toBe(true);
  for (const pkg of ['probot', 'web-tree-sitter', 'yaml', 'zod']) expect(existsSync(join(release, 'node_modules', pkg, 'package.json'))).toBe(true);
  expect(existsSync(join(release, 'node_modules/tree-sitter-python/tree-sitter-python.wasm'))).toBe(true);
  for (const dev of ['jest', 'typescript', 'nock', 'ts-jest', 'fast-check']) expect(existsSync(join(release, 'node_modules', dev))).toBe(false);
  // Node resolves bare imports in every node_modules up to the root: none may be there to help.
  for (let dir = out; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules'))).toBe(false);
});

it('runs from the release tree with plain node: reviews the pull request and fails the job', async () => {
  const event = join(work, 'event.json');
  writeFileSync(event, JSON.stringify(pullRequestEvent('opened', { owner: 'acme', repo: 'shop', installationId: 1, number: 7, headSha: 'a1'.repeat(20), baseSha: 'b'.repeat(40) })));
  writeFileSync(join(work, 'output'), '');
  writeFileSync(join(work, 'summary'), '');
  const result = await run(join(out, 'pyward/bin/pyward-action.js'), {
    PATH: process.env.PATH ?? '',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary'),
    'INPUT_GITHUB-TOKEN': 'ghs_fake1',
    INPUT_CONFIG: '.github/pyward.yml',
    'INPUT_SARIF-FILE': 'pyward.sarif',
    // no dependency file in this PR: the advisory source is never asked
  });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 1, stderr: '' });
  expect(fake.unknown).toEqual([]);
  expect(fake.checkRuns).toHaveLength(1);
  expect(fake.checkRuns[0]).toMatchObject({ name: 'pyward', status: 'completed', conclusion: 'failure' });
  expect(fake.comments.map((c) => [c.path, c.line])).toEqual([['app/run.py', 6]]);
  expect(readFileSync(join(work, 'output'), 'utf8')).toMatch(/^conclusion<<(\S+)\nfailure\n\1$/m);
  expect(readFileSync(join(work, 'summary'), 'utf8')).toContain('**Conclusion: failure.**');
  expect(JSON.parse(readFileSync(join(work, 'pyward.sarif'), 'utf8')).runs[0].results.length).toBeGreaterThan(0);
}, 60_000);

it('a source ref without the release tree says how to use a release instead of failing on a missing module', async () => {
  const bare = join(out, 'bare');
  const { cpSync } = await import('node:fs');
  cpSync(join(ROOT, 'bin'), join(bare, 'bin'), { recursive: true });
  const result = await run(join(bare, 'bin/pyward-action.js'), { PATH: process.env.PATH ?? '' });
  expect(result.code).toBe(1);
  expect(result.stdout).toMatch(/^::error title=pyward::this ref of pyward has no built code \(dist\/\) or dependencies \(node_modules\/\)/);
});
