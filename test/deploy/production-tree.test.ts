/**
 * The deployment files are real: the tree the Dockerfile's last stage holds is built in a clean folder
 * (the COPY lines of that stage, read from the Dockerfile), started with the Dockerfile's CMD as two
 * instances on one redis-server (as docker-compose.yml does), as an unprivileged user when the test runs as
 * root, against a fake GitHub over HTTP. One instance is SIGKILLed in the middle of a review; the other
 * completes it.
 *
 * Production dependencies: the Dockerfile runs `npm ci --omit=dev`, which needs the registry (this machine's
 * npm cache does not hold every package, so `--offline` fails). Tests do not use the network, so the same
 * set is copied from node_modules: the packages `npm ls --omit=dev --all --parseable` lists, each at its
 * place in the tree, and nothing else (a dev dependency in the tree fails the test).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFakeGitHub, newFilePatch, pullRequestEvent, signWebhook, type FakeGitHub } from '../support/fake-github.mjs';
import { startRedisServer } from '../support/redis-server.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = `secret-${randomUUID()}`;
const HEAD_SHA = 'e5'.repeat(20);
const CODE = 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';

/** The last stage of the Dockerfile: its COPY lines and its CMD. */
function finalStage(dockerfile: string) {
  const stages = dockerfile.split(/^FROM /m);
  const last = stages[stages.length - 1]!;
  const copies = [...last.matchAll(/^COPY (?:--from=(\S+) )?(.+)$/gm)].map((m) => {
    const parts = m[2]!.trim().split(/\s+/);
    return { from: m[1], sources: parts.slice(0, -1), dest: parts[parts.length - 1]! };
  });
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(last)![1]!) as string[];
  const user = /^USER (\S+)$/m.exec(last)?.[1];
  return { copies, cmd, user };
}

function buildTree(dir: string, stage: ReturnType<typeof finalStage>) {
  for (const copy of stage.copies) {
    if (copy.from === 'production-deps') {
      // npm ci --omit=dev, from what is installed (see the file comment)
      const listed = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 })
        .split('\n')
        .filter((p) => p && p !== ROOT.replace(/\/$/, ''));
      for (const pkg of listed) {
        const rel = relative(ROOT, pkg);
        cpSync(pkg, join(dir, rel), { recursive: true, dereference: true, filter: (src) => src === pkg || !relative(pkg, src).startsWith('node_modules') });
      }
    } else if (copy.from === 'build') {
      // The build stage's /src/dist is `npm run build`'s output: the dist/ that `npm test` has just built.
      for (const src of copy.sources) cpSync(join(ROOT, relative('/src', src)), join(dir, copy.dest), { recursive: true });
    } else {
      for (const src of copy.sources) cpSync(join(ROOT, src), join(dir, copy.dest === './' ? src : copy.dest), { recursive: true });
    }
  }
}

function http(port: number, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer')));
    socket.on('connect', () => {
      const payload = Buffer.from(body);
      socket.write(Buffer.concat([Buffer.from([`${method} ${path} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close', `content-length: ${payload.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n')), payload]));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1];
      if (!status) reject(new Error(`${method} ${path}: no HTTP answer`));
      else resolve({ status: Number(status), text: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dir: string;
let fake: FakeGitHub;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
const instances: { child: ChildProcess; port: number; output: string }[] = [];

afterAll(async () => {
  for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
  await fake?.close();
  await redis?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 20_000);

it('the Dockerfile tree, started with its CMD as two instances on one Redis: a review whose instance is killed is completed by the other', async () => {
  if (!existsSync(join(ROOT, 'dist/main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
  const stage = finalStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  expect(stage.cmd).toEqual(['node', 'dist/main.js']);
  expect(stage.user).toBe('node');
  dir = mkdtempSync(join(tmpdir(), 'pyward-production-'));
  buildTree(dir, stage);
  chmodSync(dir, 0o755);
  // what the image holds, and no dev dependency
  expect(readdirSync(dir).sort()).toEqual(['app.yml', 'bin', 'dist', 'node_modules', 'package.json']);
  for (const dev of ['jest', 'typescript', 'ts-jest', 'nock', 'fast-check']) expect(existsSync(join(dir, 'node_modules', dev))).toBe(false);
  for (const prod of ['probot', 'bullmq', 'prom-client', 'web-tree-sitter', 'tree-sitter-python']) expect(existsSync(join(dir, 'node_modules', prod))).toBe(true);

  redis = await startRedisServer();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
  let slowListing = true;
  let listingAsked = false;
  fake = createFakeGitHub({
    owner: 'acme',
    repo: 'shop',
    installationId: 4242,
    appId: 99,
    appPublicKey: publicKey,
    pullRequest: { number: 7, headSha: HEAD_SHA, baseSha: 'b'.repeat(40), files: [{ filename: 'app/run.py', patch: newFilePatch(CODE), content: CODE }] },
    // The first file listing hangs: the review is in flight when its instance is killed.
    delayMs: ({ route }) => (route === 'GET /repos/{o}/{r}/pulls/{n}/files' && slowListing ? ((slowListing = false), (listingAsked = true), 60_000) : 0),
  });
  await fake.listen();
  // The image's user is `node`; here, when root, an unprivileged one (nobody) runs the tree.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const [command, ...args] = stage.cmd;
  expect(command).toBe('node');
  for (let n = 0; n < 2; n++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, args, {
      cwd: dir,
      ...asUser,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        NODE_ENV: 'production',
        APP_ID: '99',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        LOG_FORMAT: 'json',
        GHE_HOST: fake.host,
        GHE_PROTOCOL: 'http',
        REDIS_URL: redis.url,
        PYWARD_REDIS_LOCK_MS: '1500',
      },
    });
    const instance = { child, port, output: '' };
    child.stdout!.on('data', (d) => (instance.output += d));
    child.stderr!.on('data', (d) => (instance.output += d));
    instances.push(instance);
  }
  for (const i of instances) {
    const end = Date.now() + 45_000;
    for (;;) {
      if (i.child.exitCode !== null) throw new Error(`instance exited:\n${i.output}`);
      const ok = await http(i.port, 'GET', '/healthz').then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > end) throw new Error(`instance not healthy:\n${i.output}`);
      await sleep(200);
    }
  }

  const body = JSON.stringify(pullRequestEvent('opened', { owner: 'acme', repo: 'shop', installationId: 4242, number: 7, headSha: HEAD_SHA, baseSha: 'b'.repeat(40) }));
  const res = await http(instances[0]!.port, 'POST', '/api/github/webhooks', { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'content-type': 'application/json', 'x-hub-signature-256': signWebhook(SECRET, body) }, body);
  expect(res.status).toBeLessThan(300);

  // whichever instance took the job is killed in the middle of the review
  const end = Date.now() + 30_000;
  let busy: (typeof instances)[number] | undefined;
  while (!listingAsked || !(busy = instances.find((i) => i.output.includes('"msg":"review started"')))) {
    if (Date.now() > end) throw new Error(`no instance started the review:\n${instances.map((i) => i.output).join('\n---\n')}`);
    await sleep(50);
  }
  busy.child.kill('SIGKILL');
  const survivor = instances.find((i) => i !== busy)!;

  const completed = await fake.waitFor((r) => r.route === 'PATCH /repos/{o}/{r}/check-runs/{id}' && r.body?.status === 'completed', 45_000).catch((err: Error) => {
    throw new Error(`${err.message}\nsurvivor output:\n${survivor.output}`);
  });
  expect(completed.body.conclusion).toBe('failure');
  expect(fake.checkRuns).toHaveLength(1);
  expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  expect(fake.reviews).toHaveLength(1);
  // the log line follows the completion
  for (let i = 0; i < 200 && !survivor.output.includes('"msg":"review finished"'); i++) await sleep(50);
  const finished = survivor.output.split('\n').filter((l) => l.includes('"msg":"review finished"')).map((l) => JSON.parse(l));
  expect(finished).toEqual([expect.objectContaining({ repo: 'acme/shop', pr: 7, sha: HEAD_SHA, conclusion: 'failure', files: 1, rateLimitRemaining: 4999 })]);

  const metrics = await http(survivor.port, 'GET', '/metrics');
  expect(metrics.text).toMatch(/^pyward_reviews_total\{conclusion="failure"\} 1$/m);
  expect(metrics.text).toMatch(/^pyward_github_rate_limit_remaining\{installation="4242"\} 4999$/m);

  // SIGTERM: the survivor drains and exits
  const exited = new Promise((r) => survivor.child.once('exit', r));
  survivor.child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 180_000);
