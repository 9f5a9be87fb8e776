#!/usr/bin/env node
// Load benchmark of the GitHub App (issue 9): 200 signed `pull_request` webhooks for 50 pull requests, over
// HTTP, to the built server (`node dist/main.js`, as `npm start` and the Dockerfile run it), first one instance
// (in-memory queue), then two instances sharing one redis-server (BullMQ queue), each webhook to either instance
// in turn as a load balancer would. GitHub is the fake of the end-to-end tests (test/support/fake-github.mjs)
// over real HTTP, answering every request after 30-80 ms (uniform, seeded).
//
// Per PR, 4 deliveries: `opened` (head 1), the same delivery again (a GitHub redelivery), `synchronize`
// (head 2, a newer push), and that delivery again. Deliveries go out 8 at a time, in PR order.
// Measured: throughput (reviews completed per second, from the first webhook to the last completed check),
// p50/p95 from the first webhook of a head to its check run's completion (the fake's record of the
// completing request), peak RSS of each instance (VmHWM of /proc/<pid>/status at the end), GitHub API calls per
// review (every request the fake answered / heads reviewed). Checked: every check run completed, and for each
// head at most one completed non-superseded check and at most one review POST.
// Writes bench/LOAD-RESULTS.md. Usage: npm run build && npm run bench:load
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createFakeGitHub, newFilePatch, pullRequestEvent, signWebhook } from '../test/support/fake-github.mjs';
import { startRedisServer } from '../test/support/redis-server.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'dist/main.js');
if (!existsSync(ENTRY)) throw new Error('dist/ is missing: run `npm run build` first');

const OWNER = 'acme';
const REPO = 'shop';
const INSTALLATION = 4242;
const APP_ID = 77;
const PRS = Number(process.env.LOAD_PRS ?? 50);
const DELIVERY_CONCURRENCY = 8;
const TIMEOUT_MS = Number(process.env.LOAD_TIMEOUT_MS ?? 900_000);
const LATENCY = [30, 80];
const SECRET = `secret-${randomUUID()}`;
const BASE_SHA = 'b'.repeat(40);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });

// --- cleanup: every child is killed whatever happens ------------------------------------------------
const children = new Set();
const cleanups = [];
const killAll = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(130); });

// --- deterministic pseudo-random numbers (mulberry32) -----------------------------------------------
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- pull requests: 3 Python files each, a finding or two, distinct per PR and per push ---------------
const VULN = [
  (n) => [`def load_${n}(text):`, '    return yaml.load(text)'],
  (n) => [`def etag_${n}(payload):`, '    return hashlib.md5(payload).hexdigest()'],
  (n) => [`def fetch_${n}(url):`, '    return requests.get(url).json()'],
  (n) => [`def compute_${n}(expression):`, '    return eval(expression)'],
];
function files(pr, push) {
  return [0, 1, 2].map((k) => {
    const lines = ['"""Generated for the pyward load benchmark."""', 'import hashlib', '', 'import requests', 'import yaml', ''];
    for (let j = 0; j < 6; j++) lines.push('', '', `def helper_${pr}_${push}_${k}_${j}(value):`, `    return str(value) + "${pr}-${push}"`);
    if (k !== 2) lines.push('', '', ...VULN[(pr + k + push) % VULN.length](`pr${pr}_p${push}_${k}`));
    const content = `${lines.join('\n')}\n`;
    return { filename: `svc${pr}/module_${k}.py`, status: 'added', patch: newFilePatch(content), content };
  });
}
const headSha = (pr, push) => `${push.toString(16)}${pr.toString(16).padStart(4, '0')}`.padEnd(40, 'c');

// --- HTTP ---------------------------------------------------------------------------------------------
function http(port, method, path, headers = {}, body = '') {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { connection: 'close', 'content-length': Buffer.byteLength(body), ...headers }, timeout: 30_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startInstance(fake, redisUrl, n) {
  const cwd = mkdtempSync(join(tmpdir(), 'pyward-load-'));
  cleanups.push(() => rmSync(cwd, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawn(process.execPath, [ENTRY], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      NODE_ENV: 'production',
      APP_ID: String(APP_ID),
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      GHE_HOST: fake.host,
      GHE_PROTOCOL: 'http',
      PYWARD_STATE_DIR: join(cwd, 'state'),
      ...(redisUrl ? { REDIS_URL: redisUrl, PYWARD_REDIS_PREFIX: "load" } : {}), // one queue shared by every instance
    },
  });
  children.add(child);
  const inst = { child, port, output: '', name: `instance ${n}` };
  child.stdout.on('data', (d) => (inst.output += d));
  child.stderr.on('data', (d) => (inst.output += d));
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${inst.name} exited (${child.exitCode}):\n${inst.output.slice(-4000)}`);
    if (await http(port, 'GET', '/healthz').then((r) => r.status === 200, () => false)) return inst;
    if (Date.now() > end) throw new Error(`${inst.name} not healthy in 60 s:\n${inst.output.slice(-4000)}`);
    await sleep(100);
  }
}

function vmHWM(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

async function scenario(label, instanceCount) {
  const random = rng(9);
  const fake = createFakeGitHub({
    owner: OWNER,
    repo: REPO,
    installationId: INSTALLATION,
    appId: APP_ID,
    appPublicKey: publicKey,
    pullRequests: Array.from({ length: PRS }, (_, i) => ({ number: i + 1, headSha: headSha(i + 1, 1), baseSha: BASE_SHA, files: files(i + 1, 1) })),
    delayMs: () => LATENCY[0] + Math.floor(random() * (LATENCY[1] - LATENCY[0] + 1)),
  });
  await fake.listen();
  const redis = instanceCount > 1 ? await startRedisServer() : undefined;
  const instances = [];
  try {
    for (let n = 1; n <= instanceCount; n++) instances.push(await startInstance(fake, redis?.url, n));

    // 200 deliveries: per PR, opened (head 1) twice, synchronize (head 2) twice; same delivery id for a redelivery
    const deliveries = [];
    for (let pr = 1; pr <= PRS; pr++) {
      const opened = JSON.stringify(pullRequestEvent('opened', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: pr, headSha: headSha(pr, 1), baseSha: BASE_SHA }));
      const sync = JSON.stringify(pullRequestEvent('synchronize', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: pr, headSha: headSha(pr, 2), baseSha: BASE_SHA }));
      const [d1, d2] = [randomUUID(), randomUUID()];
      deliveries.push({ pr, push: 1, id: d1, body: opened }, { pr, push: 1, id: d1, body: opened }, { pr, push: 2, id: d2, body: sync }, { pr, push: 2, id: d2, body: sync });
    }
    const firstSent = new Map(); // head sha -> performance.now() of its first webhook
    const statuses = new Map();
    const t0 = performance.now();
    let next = 0;
    let rr = 0;
    await Promise.all(
      Array.from({ length: DELIVERY_CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++];
          const sha = headSha(d.pr, d.push);
          if (d.push === 2 && !firstSent.has(sha)) fake.push(d.pr, sha, files(d.pr, 2)); // the push happens before GitHub sends its webhook
          if (!firstSent.has(sha)) firstSent.set(sha, performance.now());
          const inst = instances[rr++ % instances.length];
          const res = await http(inst.port, 'POST', '/api/github/webhooks', { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': d.id, 'x-hub-signature-256': signWebhook(SECRET, d.body) }, d.body);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      }),
    );
    const sentMs = performance.now() - t0;

    // wait: every head has a completed check, none is left in progress, and the queue is idle for a moment
    const heads = [...firstSent.keys()];
    const deadline = Date.now() + TIMEOUT_MS;
    let stableSince = 0;
    for (;;) {
      const done = heads.every((sha) => fake.checkRuns.some((c) => c.head_sha === sha && c.status === 'completed')) && fake.checkRuns.every((c) => c.status === 'completed');
      if (done) {
        stableSince ||= Date.now();
        if (Date.now() - stableSince > 3_000) break;
      } else stableSince = 0;
      if (Date.now() > deadline) {
        const pending = heads.filter((sha) => !fake.checkRuns.some((c) => c.head_sha === sha && c.status === 'completed'));
        throw new Error(
          `${label}: timed out after ${TIMEOUT_MS / 1000} s (LOAD_TIMEOUT_MS): ${pending.length} of ${heads.length} heads without a completed check, ` +
            `${fake.checkRuns.filter((c) => c.status !== 'completed').length} check runs not completed\n` +
            instances.map((i) => `--- ${i.name}:\n${i.output.slice(-3000)}`).join('\n'),
        );
      }
      await sleep(100);
    }

    // --- measurements from the fake's records ---------------------------------------------------------
    const runById = new Map(fake.checkRuns.map((c) => [c.id, c]));
    const completedAt = new Map(); // check run id -> time of the completing request
    for (const r of fake.requests) {
      if (r.status >= 300) continue;
      if (r.route === 'PATCH /repos/{o}/{r}/check-runs/{id}' && r.body?.status === 'completed') completedAt.set(Number(r.path.split('/').pop()), r.at);
      if (r.route === 'POST /repos/{o}/{r}/check-runs' && r.body?.status === 'completed') {
        const run = fake.checkRuns.find((c) => c.head_sha === r.body.head_sha && !completedAt.has(c.id));
        if (run) completedAt.set(run.id, r.at);
      }
    }
    const superseded = (c) => c.conclusion === 'neutral' && /^Superseded/.test(c.output?.title ?? '');
    const latencies = [];
    const reviewedLatencies = [];
    let reviewed = 0;
    let supersededHeads = 0;
    const doubles = [];
    for (const sha of heads) {
      const runs = fake.checkRuns.filter((c) => c.head_sha === sha);
      const real = runs.filter((c) => c.status === 'completed' && !superseded(c));
      const posts = fake.requests.filter((r) => r.route === 'POST /repos/{o}/{r}/pulls/{n}/reviews' && r.status < 300 && r.body?.commit_id === sha);
      if (real.length > 1 || posts.length > 1) doubles.push(`${sha.slice(0, 8)}: ${real.length} completed checks (${real.map((c) => `#${c.id} ${c.conclusion} "${c.output?.title ?? ''}"`).join('; ')}), ${posts.length} review POSTs`);
      const last = Math.max(...runs.map((c) => completedAt.get(c.id) ?? NaN));
      latencies.push(last - firstSent.get(sha));
      if (real.length) {
        reviewed++;
        reviewedLatencies.push(Math.max(...real.map((c) => completedAt.get(c.id) ?? NaN)) - firstSent.get(sha));
      } else supersededHeads++;
    }
    const lastCompletion = Math.max(...completedAt.values());
    const wallS = (lastCompletion - t0) / 1000;
    const byRoute = new Map();
    for (const r of fake.requests) byRoute.set(r.route ?? 'unknown', (byRoute.get(r.route ?? 'unknown') ?? 0) + 1);
    const rss = instances.map((i) => vmHWM(i.child.pid));
    const inProgress = fake.checkRuns.filter((c) => c.status !== 'completed').length;
    const sorted = (a) => a.filter(Number.isFinite).sort((x, y) => x - y);
    const conclusions = {};
    for (const c of fake.checkRuns) {
      const k = superseded(c) ? 'neutral (superseded)' : c.conclusion;
      conclusions[k] = (conclusions[k] ?? 0) + 1;
    }
    return {
      label,
      instances: instanceCount,
      webhooks: deliveries.length,
      statuses: Object.fromEntries(statuses),
      sentS: sentMs / 1000,
      wallS,
      heads: heads.length,
      reviewed,
      supersededHeads,
      checkRuns: fake.checkRuns.length,
      conclusions,
      throughput: reviewed / wallS,
      headsPerS: heads.length / wallS,
      all: sorted(latencies),
      rev: sorted(reviewedLatencies),
      rss,
      apiCalls: fake.requests.length,
      apiPerReview: fake.requests.length / reviewed,
      byRoute,
      reviewPosts: fake.requests.filter((r) => r.route === 'POST /repos/{o}/{r}/pulls/{n}/reviews').length,
      unknown: fake.unknown.length,
      inProgress,
      doubles,
    };
  } finally {
    for (const i of instances) {
      if (i.child.exitCode === null && i.child.signalCode === null) {
        const exited = new Promise((r) => i.child.once('exit', r));
        i.child.kill('SIGTERM');
        await Promise.race([exited, sleep(5_000)]);
        if (i.child.exitCode === null && i.child.signalCode === null) i.child.kill('SIGKILL');
      }
    }
    await fake.close();
    await redis?.stop();
  }
}

const startLoad = loadavg();
const results = [];
try {
  for (const [label, n] of [['1 instance (in-memory queue)', 1], ['2 instances + Redis (BullMQ)', 2]]) {
    console.error(`running: ${label} ...`);
    const r = await scenario(label, n);
    results.push(r);
    console.error(`  done in ${r.wallS.toFixed(1)} s`);
  }
} finally {
  for (const c of cleanups) c();
}
const endLoad = loadavg();

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mb = (b) => (b === undefined ? 'n/a' : `${(b / 2 ** 20).toFixed(0)} MB`);
const rows = [
  ['webhooks sent (HTTP status: count)', (r) => `${r.webhooks} (${Object.entries(r.statuses).map(([k, v]) => `${k}: ${v}`).join(', ')})`],
  ['time to send all webhooks', (r) => `${r.sentS.toFixed(1)} s`],
  ['first webhook to last completed check', (r) => `${r.wallS.toFixed(1)} s`],
  ['PR heads (50 PRs x 2 pushes)', (r) => String(r.heads)],
  ['heads reviewed (completed, not superseded)', (r) => String(r.reviewed)],
  ['heads superseded before their review finished', (r) => String(r.supersededHeads)],
  ['check runs created / conclusions', (r) => `${r.checkRuns} / ${Object.entries(r.conclusions).map(([k, v]) => `${k} ${v}`).join(', ')}`],
  ['**throughput: reviews completed per second**', (r) => `**${r.throughput.toFixed(2)}**`],
  ['heads settled (any completed check) per second', (r) => r.headsPerS.toFixed(2)],
  ['**p50 / p95 webhook to completed check, reviewed heads**', (r) => `**${s(pct(r.rev, 50))} / ${s(pct(r.rev, 95))}**`],
  ['p50 / p95 webhook to completed check, all heads', (r) => `${s(pct(r.all, 50))} / ${s(pct(r.all, 95))}`],
  ['max webhook to completed check', (r) => s(r.all[r.all.length - 1])],
  ['**peak RSS per instance (VmHWM)**', (r) => `**${r.rss.map(mb).join(' + ')}**`],
  ['GitHub API calls (all)', (r) => String(r.apiCalls)],
  ['**API calls per review** (all calls / heads reviewed)', (r) => `**${r.apiPerReview.toFixed(1)}**`],
  ['review POSTs', (r) => String(r.reviewPosts)],
  ['requests to unknown routes', (r) => String(r.unknown)],
  ['**check runs left in progress**', (r) => `**${r.inProgress}**`],
  ['**heads reviewed twice** (2+ non-superseded completed checks or review POSTs)', (r) => `**${r.doubles.length}**`],
];
const table = [`|  | ${results.map((r) => r.label).join(' | ')} |`, `| --- | ${results.map(() => '---:').join(' | ')} |`, ...rows.map(([name, f]) => `| ${name} | ${results.map(f).join(' | ')} |`)].join('\n');
const routes = [...new Set(results.flatMap((r) => [...r.byRoute.keys()]))].sort();
const routeTable = [`| endpoint | ${results.map((r) => r.label).join(' | ')} |`, `| --- | ${results.map(() => '---:').join(' | ')} |`, ...routes.map((k) => `| \`${k}\` | ${results.map((r) => r.byRoute.get(k) ?? 0).join(' | ')} |`)].join('\n');
console.log(table);
console.log();
console.log(routeTable);
for (const r of results) for (const d of r.doubles) console.log(`${r.label}: reviewed twice: ${d}`);

const cpu = cpus();
const date = new Date().toISOString().slice(0, 10);
const md = `# Load benchmark: 200 webhooks for 50 pull requests, one instance and two sharing Redis

Generated by \`npm run bench:load\` (bench/load.mjs) on ${date}; machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GB,
node ${process.version}; load average ${startLoad.map((l) => l.toFixed(2)).join(' ')} before, ${endLoad.map((l) => l.toFixed(2)).join(' ')} after.
Do not edit: rerun the benchmark.

- **Server:** the built app as production runs it, \`node dist/main.js\` (\`npm start\`, the Dockerfile's CMD) in child
  processes, default settings (\`PYWARD_CONCURRENCY\` 4, 2 per installation); Probot's throttling is on as in production
  (one mutation a second, three seconds between notifying writes such as creating a review, **per process**).
  One instance uses the in-memory queue with its journal; two instances share one \`redis-server\` (BullMQ), and the
  webhooks alternate between them as a round-robin load balancer would send them.
- **GitHub:** the fake of the end-to-end tests (\`test/support/fake-github.mjs\`) over real HTTP on 127.0.0.1, serving 50
  open pull requests of one repository and installation, each answer delayed ${LATENCY[0]}-${LATENCY[1]} ms (uniform, seeded); installation
  tokens are real JWT exchanges (checked against the app's public key). Each PR: 3 new Python files (2 with a finding),
  a second push with 3 different files.
- **Webhooks:** 200 signed (\`x-hub-signature-256\`) \`pull_request\` deliveries over HTTP, 8 in flight, PR by PR:
  \`opened\` (head 1), the same delivery again (redelivery, same delivery id), \`synchronize\` (head 2; the fake's PR head
  moves just before), and that delivery again.
- **Measured:** times are from the first webhook of a head to the request that completed its check run, as the fake
  recorded it (same clock). Throughput = heads reviewed (check completed and not superseded) / time from the first
  webhook to the last completed check. Peak RSS: \`VmHWM\` of each instance's /proc/<pid>/status at the end. API calls
  per review: every request the fake answered (tokens, superseded heads' check runs included) / heads reviewed.
  "Reviewed twice": a head with more than one completed non-superseded check run or more than one review POST.

${table}

GitHub API calls by endpoint (whole run):

${routeTable}

Findings listed by the run (heads with more than one completed non-superseded check run or review POST):

${results.flatMap((r) => r.doubles.map((d) => `- ${r.label}: ${d}`)).join('\n') || '- none'}

Reading: writes are paced per process by Probot's throttling (>= 1 s between mutations, >= 3 s between review POSTs),
so one instance is bound by that pacing rather than by CPU; a second instance brings its own pacing. A head whose
newer push arrived before its review finished ends \`neutral\` (superseded) without a review.
`;
writeFileSync(join(ROOT, 'bench/LOAD-RESULTS.md'), md);
console.error('wrote bench/LOAD-RESULTS.md');
const failed = results.filter((r) => r.inProgress > 0 || r.doubles.length > 0);
if (failed.length) {
  console.error(`FAILED: ${failed.map((r) => `${r.label}: ${r.inProgress} in progress, ${r.doubles.length} reviewed twice`).join('; ')}`);
  process.exitCode = 1;
}
