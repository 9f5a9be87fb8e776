/**
 * End to end over real HTTP: the built app started as `npm start` starts it (`node dist/main.js`, a child
 * process), talking to a fake GitHub (test/support/fake-github.mjs) as to GitHub Enterprise Server
 * (GHE_HOST + GHE_PROTOCOL=http), and receiving a signed `pull_request.opened` webhook.
 * Needs dist/ (`npm test` builds it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeGitHub, newFilePatch, pullRequestEvent, signWebhook, type FakeGitHub, type RecordedRequest } from '../support/fake-github.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'dist/main.js');

const OWNER = 'acme';
const REPO = 'shop';
const INSTALLATION = 4242;
const APP_ID = 123456;
const SECRET = `secret-${randomUUID()}`;
const HEAD_SHA = 'a1'.repeat(20);
const BASE_SHA = 'b'.repeat(40);

const VULNERABLE = `import subprocess
import yaml
from flask import request


def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert {name} out.png", shell=True)
    return yaml.load(request.data)
`;
const UTIL_NEW = ['"""Small helpers."""', '', '', 'def slug(text):', '    return text.lower().replace(" ", "-")', '', '', 'def run_hook(code):', '    exec(code)', ''];
const UTIL_PATCH = `@@ -3,3 +3,7 @@\n \n def slug(text):\n     return text.lower().replace(" ", "-")\n+\n+\n+def run_hook(code):\n+    exec(code)`;

const FILES = [
  { filename: 'app/views.py', status: 'added' as const, patch: newFilePatch(VULNERABLE), content: VULNERABLE },
  { filename: 'lib/util.py', status: 'modified' as const, patch: UTIL_PATCH, content: UTIL_NEW.join('\n') },
  { filename: 'README.md', status: 'modified' as const, patch: '@@ -1 +1,2 @@\n # shop\n+More text.', content: '# shop\nMore text.\n' },
];

/** Lines a patch adds (head numbering). */
function addedLines(patch: string): number[] {
  const out: number[] = [];
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)/.exec(text);
    if (hunk) line = Number(hunk[1]);
    else if (text.startsWith('+')) out.push(line++);
    else if (!text.startsWith('-')) line++;
  }
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One HTTP/1.1 request on its own connection, spoken over a plain socket: no keep-alive socket outlives the
 * test, and no HTTP interception another test file of the same Jest worker left active (nock's
 * `disableNetConnect()` in app.test.ts patches node:http and fetch process-wide) can block it.
 */
function http(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    socket.on('connect', () => {
      const payload = Buffer.from(body ?? '');
      const head = [`${method} ${path} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close', `content-length: ${payload.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(Buffer.concat([Buffer.from(head), payload]));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1];
      if (!status) reject(new Error(`${method} ${path}: no HTTP answer (${JSON.stringify(raw.slice(0, 200))})`));
      else resolve({ status: Number(status), text: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
  });
}

let fake: FakeGitHub;
let privateKeyPem = '';
let child: ChildProcess | undefined;
let output = '';
let port = 0;
let cwd: string | undefined;
const killChild = () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
};

async function waitUntilListening(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`probot exited (${child?.exitCode ?? child?.signalCode}):\n${output}`);
    try {
      const res = await http('GET', '/ping');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`probot did not listen on port ${port} in time:\n${output}`);
}

function deliver(body: string, signature: string, event = 'pull_request') {
  return http('POST', '/api/github/webhooks', { 'x-github-event': event, 'x-github-delivery': randomUUID(), 'content-type': 'application/json', 'x-hub-signature-256': signature }, body);
}

const describeText = (r: RecordedRequest) => `${r.status} ${r.method} ${r.path}`;

beforeAll(async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does)`);
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  privateKeyPem = privateKey;
  fake = createFakeGitHub({
    owner: OWNER,
    repo: REPO,
    installationId: INSTALLATION,
    appId: APP_ID,
    appPublicKey: publicKey,
    pullRequest: { number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA, files: FILES },
  });
  await fake.listen();
  process.once('exit', killChild); // whatever happens to the test run, no probot is left behind
  // Its own cwd: `probot run` loads `.env` (overriding the environment) and *.pem from the cwd.
  cwd = mkdtempSync(join(tmpdir(), 'pyward-server-test-'));
  const deadline = Date.now() + 45_000;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    output = '';
    child = spawn(process.execPath, [ENTRY], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? cwd,
        APP_ID: String(APP_ID),
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        GHE_HOST: fake.host,
        GHE_PROTOCOL: 'http',
      },
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    try {
      await waitUntilListening(deadline);
      return;
    } catch (err) {
      killChild();
      // another process may have taken the port between freePort() and listen(): try another
      if (attempt >= 3 || !/EADDRINUSE|already in use/.test(output)) throw err;
    }
  }
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
    clearTimeout(timer);
    killChild();
  }
  process.removeListener('exit', killChild);
  await fake?.close();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
}, 15_000);

it('a signed pull_request.opened gets a failing check run and one review with inline comments on the added lines', async () => {
  const body = JSON.stringify(pullRequestEvent('opened', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA }));
  const res = await deliver(body, signWebhook(SECRET, body));
  expect(res.status).toBeGreaterThanOrEqual(200);
  expect(res.status).toBeLessThan(300);

  const completing = await fake.waitFor((r) => r.route === 'PATCH /repos/{o}/{r}/check-runs/{id}' && r.body?.status === 'completed', 20_000).catch((err: Error) => {
    throw new Error(`${err.message}\nprobot output:\n${output}`);
  });
  expect(completing.body.conclusion).toBe('failure');
  const annotations = completing.body.output.annotations as { path: string; start_line: number; title: string }[];
  expect(annotations.length).toBeGreaterThan(0);
  // Request data reaches both calls: the data-flow findings stand for B602 and B506 (one entry per problem).
  expect(annotations.map((a) => [a.path, a.start_line, /(B|PW)\d+/.exec(a.title)?.[0]])).toEqual(
    expect.arrayContaining([
      ['app/views.py', 8, 'PW102'],
      ['app/views.py', 9, 'PW109'],
      ['lib/util.py', 9, 'B102'],
    ]),
  );

  // one run, created by the app on the head commit, completed with what was sent
  expect(fake.checkRuns).toHaveLength(1);
  expect(fake.checkRuns[0]).toMatchObject({ name: 'pyward', head_sha: HEAD_SHA, status: 'completed', conclusion: 'failure' });

  // one submitted review, its comments only on lines the PR added
  expect(fake.reviews).toHaveLength(1);
  const [review] = fake.reviews;
  expect(review).toMatchObject({ state: 'COMMENTED', commit_id: HEAD_SHA });
  expect(review.comments.length).toBeGreaterThan(0);
  for (const c of review.comments) {
    const file = FILES.find((f) => f.filename === c.path)!;
    expect(addedLines(file.patch)).toContain(c.line);
    expect(c.side ?? 'RIGHT').toBe('RIGHT');
  }
  expect(review.comments.map((c) => [c.path, c.line, /`((?:B|PW)\d+)`/.exec(c.body)?.[1]])).toEqual(
    expect.arrayContaining([
      ['app/views.py', 8, 'PW102'],
      ['app/views.py', 9, 'PW109'],
      ['lib/util.py', 9, 'B102'],
    ]),
  );

  // nothing outside the API pyward is known to use, and only the expected 404s (no config anywhere)
  expect(fake.unknown.map(describeText)).toEqual([]);
  const failed = fake.requests.filter((r) => r.status >= 400).map(describeText);
  expect(failed).toEqual([`404 GET /api/v3/repos/${OWNER}/${REPO}/contents/.github%2Fpyward.yml`, `404 GET /api/v3/repos/${OWNER}/.github/contents/.github%2Fpyward.yml`]);
  // the README is neither fetched nor analysed
  expect(fake.requests.filter((r) => r.route === 'GET /repos/{o}/{r}/git/blobs/{sha}')).toHaveLength(2);
}, 60_000);

it('a webhook with a wrong signature is rejected and causes no GitHub call', async () => {
  const before = fake.requests.length;
  const body = JSON.stringify(pullRequestEvent('opened', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: 7, headSha: 'c3'.repeat(20), baseSha: BASE_SHA }));
  const res = await deliver(body, signWebhook(`not-${SECRET}`, body));
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  // a wrongly accepted event would start a check run at once; give it time to show
  await sleep(1_500);
  expect(fake.requests.slice(before).map(describeText)).toEqual([]);
}, 30_000);

it('an unsigned webhook is rejected and causes no GitHub call', async () => {
  const before = fake.requests.length;
  const body = JSON.stringify(pullRequestEvent('opened', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: 7, headSha: 'd4'.repeat(20), baseSha: BASE_SHA }));
  const res = await http('POST', '/api/github/webhooks', { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'content-type': 'application/json' }, body);
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  await sleep(1_500);
  expect(fake.requests.slice(before).map(describeText)).toEqual([]);
}, 30_000);

it('the webhook secret and the private key never appear in what the server printed', () => {
  expect(output.length).toBeGreaterThan(0);
  expect(output).not.toContain(SECRET);
  for (const line of privateKeyPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(output).not.toContain(line);
});
