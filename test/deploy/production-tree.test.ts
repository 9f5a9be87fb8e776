/**
 * The deployment files are real: the image the Dockerfile describes is rebuilt without Docker from the
 * Dockerfile's own lines, so the test cannot drift from it:
 * - the build stage: a clean folder holding only what its COPY lines copy, where its RUN lines run (its
 *   `npm ci` is stood in for by the installed node_modules: tests do not use the network); its dist/ is the one
 *   the image gets, so a file the build needs and the stage does not copy fails here;
 * - the production-deps stage: its `npm ci` flags (`--omit=dev`) select the packages, as `npm ls` lists them
 *   with the same flags, each copied to its place in the tree, and nothing else (a dev dependency fails the test);
 * - the last stage: its COPY lines build the tree, its ENV is the instances' environment (the secrets and the
 *   port aside), its CMD starts them, its USER runs them (an unprivileged user when the test runs as root), its
 *   HEALTHCHECK command is run against them.
 * Two instances on one redis-server, as docker-compose.yml runs them, against a fake GitHub over HTTP: each is
 * reached on a non-loopback address (a published port reaches a container there, not on 127.0.0.1), one is
 * SIGKILLed in the middle of a review, and the other completes it.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { createFakeGitHub, newFilePatch, pullRequestEvent, signWebhook, type FakeGitHub } from '../support/fake-github.mjs';
import { startRedisServer } from '../support/redis-server.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = `secret-${randomUUID()}`;
const HEAD_SHA = 'e5'.repeat(20);
const CODE = 'import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name?: string;
  base: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages and their instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  for (const line of lines) {
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const op = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (op === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ base: from[1]!, ...(from[2] ? { name: from[2] } : {}), instructions: [] });
    } else stages[stages.length - 1]!.instructions.push({ op, args });
  }
  return stages;
}

const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op).map((i) => i.args);
const one = (stage: Stage, op: string) => all(stage, op).pop();

function copies(stage: Stage) {
  return all(stage, 'COPY').map((args) => {
    const from = /^--from=(\S+)\s+/.exec(args);
    const parts = args.slice(from ? from[0].length : 0).trim().split(/\s+/);
    return { from: from?.[1], sources: parts.slice(0, -1), dest: parts[parts.length - 1]! };
  });
}

/** `ENV A=1 B=2` lines (no quoting in pyward's Dockerfile). */
function envOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(all(stage, 'ENV').flatMap((args) => args.split(/\s+/).map((kv) => kv.split('=') as [string, string])));
}

/** A stage's RUN lines as argument lists (shell form, no shell syntax in pyward's Dockerfile). */
function runs(stage: Stage): string[][] {
  return all(stage, 'RUN').map((args) => {
    expect(args).not.toMatch(/[;&|<>$`]/);
    return args.split(/\s+/);
  });
}

/** Build-context paths `.dockerignore` leaves out (a pattern without a slash matches at the root only, as in Docker). */
const dockerignored = picomatch(
  readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .flatMap((l) => [l.replace(/^\//, ''), `${l.replace(/^\//, '')}/**`]),
  { dot: true },
);

/** Copies `src` of the build context; a file `.dockerignore` keeps out of the context fails the test (the image would lack it). */
function copyFromContext(src: string, to: string) {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', src], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  expect(files.length).toBeGreaterThan(0);
  expect(files.filter((f) => dockerignored(f))).toEqual([]);
  cpSync(join(ROOT, src), to, { recursive: true });
}

/** The build stage, in `dir`: only what it copies, its RUN lines, `npm ci` stood in for by node_modules. */
function buildStage(stage: Stage, dir: string): void {
  const workdir = one(stage, 'WORKDIR')!;
  for (const copy of copies(stage)) {
    expect(copy.from).toBeUndefined();
    const dest = isAbsolute(copy.dest) ? relative(workdir, copy.dest) : copy.dest;
    for (const src of copy.sources) copyFromContext(src, join(dir, dest === './' || dest === '.' ? src : dest));
  }
  for (const [command, ...args] of runs(stage)) {
    if (command === 'npm' && args[0] === 'ci') {
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      continue;
    }
    const ran = spawnSync(command!, args, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (ran.status !== 0) throw new Error(`build stage: ${[command, ...args].join(' ')} failed:\n${ran.stdout}${ran.stderr}`);
  }
}

/** The packages the production-deps stage's `npm ci <flags>` installs: what `npm ls` lists with the same flags. */
function productionPackages(stage: Stage): string[] {
  const ci = runs(stage).find(([command, sub]) => command === 'npm' && sub === 'ci');
  expect(ci).toBeDefined();
  const omit = ci!.filter((a) => a.startsWith('--omit='));
  expect(omit).toContain('--omit=dev');
  return execFileSync('npm', ['ls', ...omit, '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 })
    .split('\n')
    .filter((p) => p && p !== ROOT.replace(/\/$/, ''));
}

/** The last stage's tree in `dir`, from its COPY lines and the other stages (`built`: the build stage's WORKDIR). */
function buildTree(stages: Stage[], dir: string, built: string) {
  const byName = new Map(stages.filter((st) => st.name).map((st) => [st.name!, st]));
  const last = stages[stages.length - 1]!;
  for (const copy of copies(last)) {
    const from = copy.from === undefined ? undefined : byName.get(copy.from);
    if (copy.from !== undefined && !from) throw new Error(`COPY --from=${copy.from}: no such stage`);
    if (from && all(from, 'RUN').some((r) => /^npm ci\b/.test(r)) && copy.sources.every((src) => src.endsWith('/node_modules'))) {
      for (const pkg of productionPackages(from)) {
        const rel = relative(ROOT, pkg);
        cpSync(pkg, join(dir, rel), { recursive: true, dereference: true, filter: (src) => src === pkg || !relative(pkg, src).startsWith('node_modules') });
      }
    } else if (from) {
      const workdir = one(from, 'WORKDIR')!;
      for (const src of copy.sources) cpSync(join(built, relative(workdir, src)), join(dir, copy.dest), { recursive: true });
    } else {
      for (const src of copy.sources) copyFromContext(src, join(dir, copy.dest === './' ? src : copy.dest));
    }
  }
}

/** An address of this machine other than loopback, as a published port reaches a container; loopback when there is none. */
function outsideAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

const ADDRESS = outsideAddress();

function http(port: number, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: ADDRESS, port });
    const chunks: Buffer[] = [];
    socket.setTimeout(30_000, () => socket.destroy(new Error('no answer')));
    socket.on('connect', () => {
      const payload = Buffer.from(body);
      socket.write(Buffer.concat([Buffer.from([`${method} ${path} HTTP/1.1`, `host: ${ADDRESS}:${port}`, 'connection: close', `content-length: ${payload.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n')), payload]));
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
let buildDir: string;
let fake: FakeGitHub;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
const instances: { child: ChildProcess; port: number; output: string }[] = [];

afterAll(async () => {
  for (const i of instances) if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
  await fake?.close();
  await redis?.stop();
  for (const d of [dir, buildDir]) if (d) rmSync(d, { recursive: true, force: true });
}, 20_000);

it('docker-compose.yml runs two instances of the image and Redis, each instance with REDIS_URL, the .env secrets and its own port', () => {
  const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, any> };
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const last = stages[stages.length - 1]!;
  const port = envOf(last).PORT;
  expect(one(last, 'EXPOSE')).toBe(port);
  const redisService = Object.entries(compose.services).find(([, s]) => String(s.image ?? '').startsWith('redis:'));
  expect(redisService).toBeDefined();
  const pyward = Object.entries(compose.services).filter(([, s]) => s.build === '.');
  expect(pyward).toHaveLength(2);
  const published = pyward.map(([, s]) => {
    expect(s.env_file).toBe('.env');
    expect(s.environment.REDIS_URL).toBe(`redis://${redisService![0]}:6379`);
    expect(s.depends_on[redisService![0]]).toEqual({ condition: 'service_healthy' });
    // Docker's stop timeout outlasts pyward's grace period, so SIGKILL never cuts a drain short
    expect(Number(/^(\d+)s$/.exec(s.stop_grace_period)![1]) * 1000).toBeGreaterThan(Number(s.environment.PYWARD_SHUTDOWN_GRACE_MS));
    expect(s.ports).toHaveLength(1);
    const [host, container] = String(s.ports[0]).split(':');
    expect(container).toBe(String(s.environment.PORT ?? port));
    return host;
  });
  expect(new Set(published).size).toBe(2);
});

it('the Dockerfile tree, started with its CMD as two instances on one Redis: a review whose instance is killed is completed by the other', async () => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  expect(stages.map((st) => st.base)).toEqual(['node:20-bookworm-slim', 'node:20-bookworm-slim', 'node:20-bookworm-slim']);
  const byName = new Map(stages.filter((st) => st.name).map((st) => [st.name!, st]));
  const last = stages[stages.length - 1]!;
  const cmd = JSON.parse(one(last, 'CMD')!) as string[];
  expect(cmd).toEqual(['node', 'dist/main.js']);
  expect(one(last, 'USER')).toBe('node');
  const imageEnv = envOf(last);
  // Probot listens on localhost unless told otherwise: unreachable through a published port
  expect(['0.0.0.0', '::']).toContain(imageEnv.HOST);

  buildDir = mkdtempSync(join(tmpdir(), 'pyward-build-stage-'));
  buildStage(byName.get('build')!, buildDir);
  dir = mkdtempSync(join(tmpdir(), 'pyward-production-'));
  buildTree(stages, dir, buildDir);
  chmodSync(dir, 0o755);
  // what the image holds, and no dev dependency
  expect(readdirSync(dir).sort()).toEqual(['app.yml', 'bin', 'dist', 'node_modules', 'package.json']);
  expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
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
  const [command, ...args] = cmd;
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
        ...imageEnv,
        // what docker-compose.yml and .env add (the port: two instances on one machine)
        PORT: String(port),
        APP_ID: '99',
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: SECRET,
        LOG_LEVEL: 'info',
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
  // The image's HEALTHCHECK command, run in the tree as Docker runs it in the container
  const healthcheck = /^(?:--\S+\s+)*CMD\s+(\[.*\])$/.exec(one(last, 'HEALTHCHECK')!)!;
  const [hcCommand, ...hcArgs] = JSON.parse(healthcheck[1]!) as string[];
  expect(hcCommand).toBe('node');
  for (const i of instances) {
    const probe = spawnSync(process.execPath, hcArgs, { cwd: dir, ...asUser, env: { PATH: process.env.PATH ?? '', ...imageEnv, PORT: String(i.port) }, timeout: 10_000 });
    expect(probe.status).toBe(0);
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
}, 360_000);
