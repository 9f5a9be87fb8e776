/**
 * `uses: <owner>/pyward@<ref>` as the runner does it: the git-tracked files the Action needs (action.yml and
 * the committed action-dist/) copied to a directory with no node_modules above it, action.yml's `main` started
 * with plain `node` in a simulated Actions environment (event file, GITHUB_* and INPUT_* variables, output
 * and summary files), against a fake GitHub over real HTTP. Nothing is installed or built: the pull request
 * exercises what the bundle must carry (the WASM parser, recheck and scslre for PW111, YAML for the config,
 * the advisory code for a pinned dependency, package.json's version in the SARIF).
 * test/action/bundle-up-to-date.test.ts checks that the committed bundle is the sources' one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createFakeGitHub, newFilePatch, pullRequestEvent, type FakeGitHub } from '../support/fake-github.mjs';
import { parseOutputs } from '../helpers/actions-runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HEAD = 'a1'.repeat(20);
const BASE = 'b'.repeat(40);
const CODE = [
  'import re',
  'import subprocess',
  'from flask import request',
  '',
  'USERNAME = re.compile(r"^([a-zA-Z0-9]+[._-]?)+$")',
  '',
  'def run():',
  '    subprocess.run(request.args["cmd"], shell=True)',
  '',
].join('\n');
const REQUIREMENTS = 'flask==3.0.3\nPyYAML==5.3.1\n';
/** On the default branch: drops B404 (low), so its absence shows the YAML was read. */
const CONFIG = 'fail_on: high\nmin_severity: medium\n';

let copy: string;
let action: { runs: { using: string; main: string } };

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'pyward-action-ref-'));
  const tracked = execFileSync('git', ['ls-files', '-z', '--', 'action.yml', 'action-dist'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of tracked) {
    mkdirSync(dirname(join(copy, 'pyward', file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, 'pyward', file));
  }
  action = parse(readFileSync(join(copy, 'pyward/action.yml'), 'utf8'));
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

interface Step {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

async function withFakeGitHub(options: { readOnly?: boolean }, body: (fake: FakeGitHub) => Promise<void>): Promise<void> {
  const fake = createFakeGitHub({
    owner: 'acme',
    repo: 'shop',
    installationId: 1,
    contents: { 'acme/shop': { '.github/pyward.yml': CONFIG } },
    pullRequest: {
      number: 7,
      headSha: HEAD,
      baseSha: BASE,
      files: [
        { filename: 'app/run.py', status: 'added', patch: newFilePatch(CODE), content: CODE },
        { filename: 'requirements.txt', status: 'added', patch: newFilePatch(REQUIREMENTS), content: REQUIREMENTS },
      ],
    },
    // A fork's pull request: the workflow token is read-only and GitHub refuses the check run.
    intercept: options.readOnly
      ? ({ method, route }) => (method !== 'GET' && route !== 'POST /graphql' ? { status: 403, body: { message: 'Resource not accessible by integration' } } : undefined)
      : undefined,
  });
  await fake.listen();
  try {
    await body(fake);
  } finally {
    await fake.close();
  }
}

/** Runs action.yml's `main` from the copy, as the runner does: its own `node`, the inputs as INPUT_* variables. */
async function runStep(fake: FakeGitHub, inputs: Record<string, string>): Promise<Step> {
  const workspace = mkdtempSync(join(copy, 'workspace-'));
  cpSync(join(ROOT, 'examples/advisories'), join(workspace, 'advisories'), { recursive: true });
  writeFileSync(join(workspace, 'event.json'), JSON.stringify(pullRequestEvent('opened', { owner: 'acme', repo: 'shop', installationId: 1, number: 7, headSha: HEAD, baseSha: BASE })));
  writeFileSync(join(workspace, 'output'), '');
  writeFileSync(join(workspace, 'summary'), '');
  const env = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(workspace, 'event.json'),
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: fake.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '31337',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: join(workspace, 'output'),
    GITHUB_STEP_SUMMARY: join(workspace, 'summary'),
    // action.yml's defaults, as the runner passes them
    'INPUT_GITHUB-TOKEN': 'ghs_fake1',
    INPUT_CONFIG: '.github/pyward.yml',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(copy, 'pyward', action.runs.main)], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
  });
  return { code, stdout, stderr, workspace, outputs: parseOutputs(readFileSync(join(workspace, 'output'), 'utf8')), summary: readFileSync(join(workspace, 'summary'), 'utf8') };
}

it('is action.yml and the committed bundle only, with nothing to resolve above it', () => {
  expect(action.runs).toEqual({ using: 'node20', main: 'action-dist/index.mjs' });
  for (const file of [action.runs.main, 'action-dist/tree-sitter.wasm', 'action-dist/tree-sitter-python.wasm', 'action-dist/licenses.txt']) {
    // git-tracked: a `uses:` ref holds what is committed, not what a build left in the working tree
    expect(existsSync(join(copy, 'pyward', file))).toBe(true);
  }
  expect(existsSync(join(copy, 'pyward/package.json'))).toBe(false);
  // Node resolves bare imports in every node_modules up to the root: none may be there to help.
  for (let dir = copy; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules'))).toBe(false);
});

it('reviews a pull request with plain node: check run, review, outputs, summary and SARIF, and fails the job', async () => {
  await withFakeGitHub({}, async (fake) => {
    const step = await runStep(fake, { 'advisory-db': 'advisories', 'sarif-file': 'reports/pyward.sarif' });
    expect({ code: step.code, stderr: step.stderr }).toEqual({ code: 1, stderr: '' });
    expect(fake.unknown).toEqual([]);

    expect(fake.checkRuns).toHaveLength(1);
    const run = fake.checkRuns[0];
    expect(run).toMatchObject({ name: 'pyward', head_sha: HEAD, status: 'completed', conclusion: 'failure', details_url: 'https://github.com/acme/shop/actions/runs/31337' });
    const annotated = run.annotations.map((a) => [a.path, a.start_line, a.title.split(' ')[0]]);
    expect(annotated).toEqual(expect.arrayContaining([['app/run.py', 5, 'PW111'], ['app/run.py', 8, 'PW102'], ['requirements.txt', 2, 'PYSEC-2021-142']]));
    expect(annotated.filter(([, , rule]) => rule === 'B404')).toEqual([]); // min_severity: medium, from the config

    expect(fake.reviews).toHaveLength(1);
    expect(fake.comments.map((c) => [c.path, c.line]).sort()).toEqual([['app/run.py', 5], ['app/run.py', 8], ['requirements.txt', 2]]);
    expect(fake.comments.find((c) => c.line === 5)?.body).toMatch(/PW111/);

    expect(step.outputs).toEqual({
      conclusion: 'failure',
      findings: expect.stringMatching(/^[1-9]\d*$/),
      critical: expect.any(String),
      high: expect.any(String),
      medium: expect.any(String),
      low: '0',
      'check-run-id': String(run.id),
      'sarif-file': join(step.workspace, 'reports/pyward.sarif'),
    });
    expect(step.summary).toContain('**Conclusion: failure.**');
    expect(step.summary).toContain(`[\`pyward\` check run](https://github.com/acme/shop/runs/${run.id})`);
    expect(step.stdout).toMatch(/^::error title=pyward::/m);

    const sarif = JSON.parse(readFileSync(step.outputs['sarif-file'], 'utf8'));
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
    expect(sarif.runs[0].tool.driver).toMatchObject({ name: 'pyward', semanticVersion: version });
    const results = sarif.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]);
    expect(results).toEqual(expect.arrayContaining([['PW111', 'app/run.py', 5], ['PW102', 'app/run.py', 8], ['PYSEC-2021-142', 'requirements.txt', 2]]));
  });
}, 60_000);

it('a fork pull request (read-only token): no check run, but the job summary, annotations and exit code', async () => {
  await withFakeGitHub({ readOnly: true }, async (fake) => {
    const step = await runStep(fake, { 'advisory-db': 'advisories' });
    expect({ code: step.code, stderr: step.stderr }).toEqual({ code: 1, stderr: '' });
    expect(fake.unknown).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && r.route !== 'POST /graphql').map((r) => [r.route, r.status])).toEqual([['POST /repos/{o}/{r}/check-runs', 403]]);
    expect(fake.checkRuns).toEqual([]);
    expect(fake.reviews).toEqual([]);

    expect(step.outputs).toMatchObject({ conclusion: 'failure', 'check-run-id': '', 'sarif-file': '' });
    expect(step.summary).toContain('The workflow token cannot write to this repository');
    expect(step.summary).toMatch(/PW111/);
    expect(step.summary).toMatch(/PYSEC-2021-142/);
    expect(step.stdout).toMatch(/^::warning file=app\/run\.py,line=5,.*title=PW111 /m); // medium: below fail-on
    expect(step.stdout).toMatch(/^::error file=app\/run\.py,line=8,.*title=PW102 /m);
    expect(step.stdout).toMatch(/^::error file=requirements\.txt,line=2,.*title=PYSEC-2021-142 /m);
  });
}, 60_000);
