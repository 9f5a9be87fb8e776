/**
 * The GitHub Action's entry point in a simulated Actions environment (event payload file, GITHUB_* and
 * INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) against a nock-mocked GitHub: it posts
 * what the App posts, and reports through the runner's files and its exit code.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { runAction } from '../../src/action/run-action.js';
import { createLocalDbSource } from '../../src/dependencies/advisories/local-db.js';
import { clearConfigCache } from '../../src/app/repo-config.js';
import { API, b64, newFilePatch, payload, repoPath, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario, type Scenario } from '../app/scenario.js';
import { parseOutputs } from '../helpers/actions-runner.js';

const VULNERABLE = `import subprocess
import yaml
from flask import request


def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert {name} out.png", shell=True)
    return yaml.load(request.data)
`;
const LOW_ONLY = 'import subprocess\n';
const CLEAN = 'def add(a, b):\n    return a + b\n';

useHermeticNock();
beforeEach(() => clearConfigCache());

interface Step {
  code: number;
  log: string[];
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

async function runStep(inputs: Record<string, string> = {}, env: Record<string, string> = {}, event = payload('pull_request', 'opened')): Promise<Step> {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-action-'));
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  writeFileSync(join(dir, 'output'), '');
  writeFileSync(join(dir, 'summary'), '');
  const log: string[] = [];
  const code = await runAction(
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(dir, 'event.json'),
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_API_URL: API,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_WORKSPACE: dir,
      GITHUB_RUN_ID: '31337',
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      // action.yml's defaults, as the runner passes them
      'INPUT_GITHUB-TOKEN': 'ghs_workflowtoken',
      INPUT_CONFIG: '.github/pyward.yml',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      ...env,
    },
    { log: (line) => log.push(line) },
    {
      octokitOptions: { retry: { enabled: false }, throttle: { enabled: false } },
      advisories: createLocalDbSource(join(process.cwd(), 'examples/advisories')),
      now: () => 0,
    },
  );
  return { code, log, dir, outputs: parseOutputs(readFileSync(join(dir, 'output'), 'utf8')), summary: readFileSync(join(dir, 'summary'), 'utf8') };
}

const vulnerable: Scenario = { files: [{ filename: 'app/views.py', patch: newFilePatch(VULNERABLE), content: VULNERABLE }], expectReview: true };
const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');

describe('the Action on a pull request', () => {
  it('posts the same check run and review as the App, and fails the job', async () => {
    const app = await testApp();
    const byApp = mockScenario(vulnerable);
    await app.deliver('pull_request', payload('pull_request', 'opened'));

    clearConfigCache();
    const byAction = mockScenario(vulnerable);
    const step = await runStep();

    expect(step.code).toBe(1);
    expect(byAction.created).toEqual([expect.objectContaining({ name: 'pyward', head_sha: 'a1'.repeat(20), status: 'in_progress', details_url: 'https://github.com/acme/shop/actions/runs/31337' })]);
    expect(completing(byAction)).toEqual({ ...completing(byApp), completed_at: expect.any(String) });
    expect(completing(byAction).conclusion).toBe('failure');
    expect(byAction.reviews.map((r) => r.body)).toEqual(byApp.reviews.map((r) => r.body));
    expect(byAction.reviews[0].body.comments.map((c: any) => [c.path, c.line])).toEqual([
      ['app/views.py', 9],
      ['app/views.py', 8],
    ]);

    expect(step.outputs).toEqual({ conclusion: 'failure', findings: '4', critical: expect.any(String), high: expect.any(String), medium: expect.any(String), low: expect.any(String), 'check-run-id': '555', 'sarif-file': '' });
    const counts = ['critical', 'high', 'medium', 'low'].reduce((n, s) => n + Number(step.outputs[s]), 0);
    expect(counts).toBe(4);
    expect(step.summary).toContain(`## pyward: ${completing(byAction).output.title}`);
    expect(step.summary).toContain('[`pyward` check run](https://github.com/acme/shop/runs/555)');
    expect(step.summary).toContain(completing(byAction).output.summary);
    // The check run carries the annotations: the log does not repeat them.
    expect(step.log.filter((l) => l.startsWith('::error file='))).toEqual([]);
    expect(step.log.at(-1)).toMatch(/^::error title=pyward::/);
  });

  it('passes the job on a clean pull request and writes the SARIF file asked for', async () => {
    const rec = mockScenario({ files: [{ filename: 'lib/math.py', patch: newFilePatch(CLEAN), content: CLEAN }] });
    const step = await runStep({ 'sarif-file': 'reports/pyward.sarif' });
    expect(step.code).toBe(0);
    expect(completing(rec).conclusion).toBe('success');
    expect(step.outputs.conclusion).toBe('success');
    expect(step.outputs.findings).toBe('0');
    expect(step.outputs['sarif-file']).toBe(join(step.dir, 'reports/pyward.sarif'));
    const sarif = JSON.parse(readFileSync(join(step.dir, 'reports/pyward.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([]);
  });

  it('writes the findings on added lines to SARIF', async () => {
    mockScenario(vulnerable);
    const step = await runStep({ 'sarif-file': 'pyward.sarif' });
    const sarif = JSON.parse(readFileSync(join(step.dir, 'pyward.sarif'), 'utf8'));
    const located = sarif.runs[0].results.filter((r: any) => !r.suppressions).map((r: any) => [r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region.startLine]);
    expect(located).toEqual(expect.arrayContaining([['app/views.py', 8], ['app/views.py', 9]]));
  });

  it.each([
    ['default (high): a low finding passes', {}, 0, 'success'],
    ['fail-on: low fails on it', { 'fail-on': 'low' }, 1, 'failure'],
    ['fail-on is case-insensitive', { 'fail-on': 'LOW' }, 1, 'failure'],
  ])('%s', async (_name, inputs, code, conclusion) => {
    const rec = mockScenario({ files: [{ filename: 'jobs/run.py', patch: newFilePatch(LOW_ONLY), content: LOW_ONLY }] });
    const step = await runStep(inputs);
    expect(step.code).toBe(code);
    expect(completing(rec).conclusion).toBe(conclusion);
    expect(step.outputs).toMatchObject({ conclusion, findings: '1', low: '1' });
  });

  it('reads the config file named by the `config` input from the default branch', async () => {
    const rec = mockScenario({ files: [{ filename: 'jobs/run.py', patch: newFilePatch(LOW_ONLY), content: LOW_ONLY }], config: 'fail_on: low\n', configPath: '.github/security/pyward.yml' });
    const step = await runStep({ config: '.github/security/pyward.yml' });
    expect(step.code).toBe(1);
    expect(completing(rec).output.summary).toContain('.github/security/pyward.yml');
  });

  it('an invalid config is a neutral check and a passing job, as in the App', async () => {
    const rec = mockScenario({ files: [], config: 'fail_on: hihg\n' });
    const step = await runStep();
    expect(completing(rec).conclusion).toBe('neutral');
    expect(step.code).toBe(0);
    expect(step.summary).toContain('Invalid pyward configuration');
  });
});

describe('a fork pull request (read-only token)', () => {
  /** GitHub refuses the check run; everything else is readable. Nothing may be written. */
  function mockReadOnly(files: { filename: string; content: string }[]) {
    // Every request carries the workflow's token.
    const api = nock(API, { reqheaders: { authorization: 'token ghs_workflowtoken' } });
    api.get(repoPath(`/commits/${'a1'.repeat(20)}/check-runs`)).query(true).reply(200, { total_count: 0, check_runs: [] });
    api.post(repoPath('/check-runs')).reply(403, { message: 'Resource not accessible by integration' });
    api.get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    api.get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/).reply(404, { message: 'Not Found' });
    api.get(repoPath('/pulls/7/files')).query(true).reply(200, files.map((f, i) => ({ sha: String(i).padStart(2, '0').padEnd(40, 'f'), filename: f.filename, status: 'added', patch: newFilePatch(f.content) })));
    files.forEach((f, i) => api.get(repoPath(`/git/blobs/${String(i).padStart(2, '0').padEnd(40, 'f')}`)).reply(200, { encoding: 'base64', content: b64(f.content) }));
    api.post('/graphql').optionally().times(5).reply(200, { data: { repository: {} } });
  }

  it('still writes the job summary and annotations, and fails the job on findings', async () => {
    mockReadOnly([{ filename: 'app/views.py', content: VULNERABLE }]);
    const step = await runStep();
    expect(step.code).toBe(1);
    expect(step.outputs).toMatchObject({ conclusion: 'failure', findings: '4', 'check-run-id': '' });
    expect(step.summary).toContain('The workflow token cannot write to this repository');
    expect(step.summary).toContain('no inline comments');
    expect(step.summary).toMatch(/PW102/);
    const annotations = step.log.filter((l) => /^::(error|warning|notice) file=/.test(l));
    expect(annotations).toHaveLength(4);
    expect(annotations).toEqual(expect.arrayContaining([expect.stringMatching(/^::error file=app\/views\.py,line=8,col=\d+,endColumn=\d+,title=PW102 /)]));
  });

  it('passes the job when there is nothing at fail-on', async () => {
    mockReadOnly([{ filename: 'lib/math.py', content: CLEAN }]);
    const step = await runStep();
    expect(step.code).toBe(0);
    expect(step.outputs.conclusion).toBe('success');
    expect(step.summary).toContain('**Conclusion: success.**');
  });
});

describe('runner environment errors', () => {
  it.each([
    ['another event', { GITHUB_EVENT_NAME: 'push' }, /reviews pull requests: run it on `pull_request` \(this run is for `push`\)/],
    ['no token', { 'INPUT_GITHUB-TOKEN': '' }, /no token/],
    ['a bad fail-on', { 'INPUT_FAIL-ON': 'severe' }, /fail-on must be one of low, medium, high, critical \(got 'severe'\)/],
  ])('%s fails the step with a clear error and calls nothing', async (_name, env, message) => {
    const step = await runStep({}, env as Record<string, string>);
    expect(step.code).toBe(1);
    expect(step.log).toEqual([expect.stringMatching(/^::error title=pyward::/)]);
    expect(step.log[0]).toMatch(message);
  });

  it('a payload without a pull request is refused', async () => {
    const step = await runStep({}, {}, { repository: payload('pull_request', 'opened').repository });
    expect(step.code).toBe(1);
    expect(step.log[0]).toMatch(/payload has no usable pull request \(pull_request: Required\)/);
  });

  it('the check run cannot be started (GitHub down): the job fails and says so', async () => {
    nock(API).get(repoPath(`/commits/${'a1'.repeat(20)}/check-runs`)).query(true).reply(502, { message: 'Bad Gateway' });
    const step = await runStep();
    expect(step.code).toBe(1);
    expect(step.outputs.conclusion).toBe('failure');
    expect(step.summary).toContain('pyward could not review this pull request: GitHub answered HTTP 502');
    expect(existsSync(join(step.dir, 'pyward.sarif'))).toBe(false);
  });
});
