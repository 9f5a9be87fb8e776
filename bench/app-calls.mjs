#!/usr/bin/env node
// Benchmark of the GitHub App: how many GitHub API calls one `pull_request.opened` costs, by endpoint, and
// the time from the webhook to the completed check run. The built app (dist/) runs in-process in Probot
// against the fake GitHub of the end-to-end test (test/support/fake-github.mjs, real HTTP on 127.0.0.1,
// GHE-style base URL .../api/v3), for generated pull requests:
//   - 5 Python files and 100 Python files with a few findings each,
//   - 100 Python files with 300 findings (the call count grows only by annotation batches of 50),
//   - 250 Python files (three pages of pulls.listFiles).
// Each PR is reviewed once to warm up, then 5 times with a fresh Probot (so a fresh installation token);
// times are medians. Two Octokit set-ups: Probot's default (throttling on: GitHub's write spacing of
// >= 1 s per mutation, 3 s per notifying call, which is what production does) and throttling off (the
// app's own cost). Prints a table and writes bench/APP-RESULTS.md.
// Usage: npm run build && npm run bench:app   (the stdlib benchmark next to it: npm run bench)
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Probot, ProbotOctokit } from 'probot';
import { countByRoute, createFakeGitHub, newFilePatch, pullRequestEvent } from '../test/support/fake-github.mjs';

const ROOT = resolve(import.meta.dirname, '..');
if (!existsSync(join(ROOT, 'dist/app/app.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const { createApp } = await import(pathToFileURL(join(ROOT, 'dist/app/app.js')).href);

const OWNER = 'acme';
const REPO = 'shop';
const INSTALLATION = 4242;
const APP_ID = 1;
const RUNS = 5;
const HEAD_SHA = 'a1'.repeat(20);
const BASE_SHA = 'b'.repeat(40);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });

// --- generated pull requests ----------------------------------------------------------------------
const AREAS = ['billing', 'catalog', 'orders', 'accounts', 'shipping', 'search', 'reports', 'inventory', 'notifications', 'auth'];
const KINDS = ['service', 'views', 'models', 'tasks', 'utils', 'client', 'forms', 'serializers', 'admin', 'api'];

/** Code blocks that each yield exactly one finding (rule, severity) with pyward's default configuration. */
const VULNERABLE = [
  (n) => [`def load_${n}_settings(text):`, `    """Parse the ${n} settings document."""`, '    return yaml.load(text)'], // B506 medium
  (n) => [`def ${n}_etag(payload):`, '    digest = hashlib.md5(payload)', '    return digest.hexdigest()'], // B324 high
  (n) => [`def fetch_${n}(session_url):`, '    response = requests.get(session_url)', '    response.raise_for_status()', '    return response.json()'], // B113 medium
  (n) => [`def compute_${n}_total(expression):`, '    # totals are configured as Python expressions', '    return eval(expression)'], // B307 medium
  (n) => [`def run_${n}_hook(source):`, '    namespace = {}', '    exec(source, namespace)', '    return namespace'], // B102 medium
];

function cleanBlock(area, kind, j) {
  return [
    `@dataclass`,
    `class ${cap(area)}${cap(kind)}${j}:`,
    `    """A ${area} ${kind} record as the API returns it."""`,
    '',
    '    identifier: str',
    '    quantity: int = 0',
    '    tags: list[str] = field(default_factory=list)',
    '',
    '    def label(self) -> str:',
    `        return f"{self.identifier}-{self.quantity}"`,
    '',
    '    def is_empty(self) -> bool:',
    '        return self.quantity <= 0 and not self.tags',
  ];
}
const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** One module: `findings` vulnerable blocks; odd-numbered files are modified (a block inserted mid-file), the others added. */
function pythonFile(i, findings) {
  const area = AREAS[i % AREAS.length];
  const kind = KINDS[Math.floor(i / AREAS.length) % KINDS.length];
  const filename = `shop/${area}/${kind}${i >= 100 ? i : ''}.py`;
  const header = [`"""${cap(area)} ${kind}: generated for the pyward app benchmark."""`, 'from __future__ import annotations', '', 'import hashlib', 'import logging', 'from dataclasses import dataclass, field', '', 'import requests', 'import yaml', '', 'log = logging.getLogger(__name__)', ''];
  const clean = [0, 1].flatMap((j) => ['', ...cleanBlock(area, kind, j), '']);
  const added = Array.from({ length: findings }, (_, k) => ['', '', ...VULNERABLE[(i + k) % VULNERABLE.length](`${area}_${k}`)]).flat();
  const extra = ['', '', `def describe_${area}(item) -> str:`, '    log.debug("describing %s", item)', '    return str(item)'];
  if (i % 2 === 0) {
    const lines = [...header, ...clean, ...added, ...extra];
    const content = `${lines.join('\n')}\n`;
    return { filename, status: 'added', patch: newFilePatch(content), content };
  }
  const old = [...header, ...clean, ...extra];
  const at = header.length + clean.length; // insert the new functions before describe_*
  const inserted = [...added, '', '', `def ${area}_version() -> str:`, '    return "2"'];
  const lines = [...old.slice(0, at), ...inserted, ...old.slice(at)];
  const before = old.slice(Math.max(0, at - 3), at);
  const after = old.slice(at, at + 3);
  const start = at - before.length + 1;
  const patch = [`@@ -${start},${before.length + after.length} +${start},${before.length + inserted.length + after.length} @@ class ${cap(area)}${cap(kind)}1:`, ...before.map((l) => ` ${l}`), ...inserted.map((l) => `+${l}`), ...after.map((l) => ` ${l}`)].join('\n');
  return { filename, status: 'modified', patch, content: `${lines.join('\n')}\n` };
}

/** A few findings per file: 2, 0, 1, 0, 2, 0, 1, ... */
const few = (i) => [2, 0, 1, 0][i % 4];
const SCENARIOS = [
  { name: '5 files', files: Array.from({ length: 5 }, (_, i) => pythonFile(i, few(i))) },
  { name: '100 files', files: Array.from({ length: 100 }, (_, i) => pythonFile(i, few(i))) },
  { name: '100 files, 300 findings', files: Array.from({ length: 100 }, (_, i) => pythonFile(i, 3)) },
  // beyond one page of pulls.listFiles (100 per page): the fake paginates with Link headers as GitHub does
  { name: '250 files', files: Array.from({ length: 250 }, (_, i) => pythonFile(i, few(i))) },
];

// --- one review -----------------------------------------------------------------------------------
const NO_THROTTLE = ProbotOctokit.defaults((options) => ({ ...options, throttle: { ...options.throttle, enabled: false } }));
const COMPLETING = (r) => r.route === 'PATCH /repos/{o}/{r}/check-runs/{id}' && r.body?.status === 'completed';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function reviewOnce(fake, throttled) {
  fake.reset();
  const probot = new Probot({ appId: APP_ID, privateKey, baseUrl: fake.apiUrl, logLevel: 'warn', logFormat: 'json', ...(throttled ? {} : { Octokit: NO_THROTTLE }) });
  const app = createApp({ concurrency: 4 });
  await probot.load(app);
  const queue = app.queue;
  const payload = pullRequestEvent('opened', { owner: OWNER, repo: REPO, installationId: INSTALLATION, number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA });
  const t0 = performance.now();
  await probot.receive({ id: `bench-${t0}`, name: 'pull_request', payload });
  const acked = performance.now() - t0; // what the webhook's HTTP answer would wait for
  await queue.idle();
  const done = fake.requests.find(COMPLETING);
  if (!done) throw new Error(`no completed check run; requests:\n${fake.requests.map((r) => `${r.status} ${r.method} ${r.path}`).join('\n')}`);
  const failed = fake.requests.filter((r) => r.status >= 400 && !/contents/.test(r.path));
  if (fake.unknown.length || failed.length) throw new Error(`unexpected requests: ${[...fake.unknown, ...failed].map((r) => `${r.status} ${r.method} ${r.path}`).join(', ')}`);
  const run = fake.checkRuns[0];
  return {
    acked,
    completed: done.at - t0,
    idle: performance.now() - t0,
    calls: countByRoute(fake.requests),
    total: fake.requests.length,
    conclusion: run.conclusion,
    annotations: run.annotations.length,
    comments: fake.reviews.reduce((n, r) => n + r.comments.length, 0),
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sameCalls = (a, b) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

const results = [];
for (const scenario of SCENARIOS) {
  const fake = createFakeGitHub({
    owner: OWNER,
    repo: REPO,
    installationId: INSTALLATION,
    appId: APP_ID,
    appPublicKey: publicKey,
    pullRequest: { number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA, files: scenario.files },
  });
  await fake.listen();
  const result = { name: scenario.name, files: scenario.files.length };
  for (const throttled of [true, false]) {
    process.stdout.write(`${scenario.name}, throttling ${throttled ? 'on ' : 'off'}: `);
    await reviewOnce(fake, throttled); // warm-up: tree-sitter's WASM, V8's JIT
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      if (throttled) await sleep(3_100); // let the process-wide write/notification spacing of the previous run lapse
      runs.push(await reviewOnce(fake, throttled));
      process.stdout.write('.');
    }
    if (!runs.every((r) => sameCalls(r.calls, runs[0].calls))) throw new Error(`${scenario.name}: the calls differ between runs`);
    const key = throttled ? 'throttled' : 'unthrottled';
    result[key] = { completed: median(runs.map((r) => r.completed)), acked: median(runs.map((r) => r.acked)), idle: median(runs.map((r) => r.idle)) };
    Object.assign(result, { calls: runs[0].calls, total: runs[0].total, conclusion: runs[0].conclusion, annotations: runs[0].annotations, comments: runs[0].comments });
    console.log(` completed after ${(result[key].completed / 1000).toFixed(2)} s (median)`);
  }
  await fake.close();
  results.push(result);
}

// --- report ---------------------------------------------------------------------------------------
const routes = [...new Set(results.flatMap((r) => [...r.calls.keys()]))];
const s = (ms) => (ms / 1000).toFixed(2);
const table = [
  ['', ...results.map((r) => r.name)],
  ['annotations (findings on added lines)', ...results.map((r) => r.annotations)],
  ['inline comments (review.max_comments 25)', ...results.map((r) => r.comments)],
  ['conclusion', ...results.map((r) => r.conclusion)],
  ...routes.map((route) => [`\`${route}\``, ...results.map((r) => r.calls.get(route) ?? 0)]),
  ['**total API calls**', ...results.map((r) => `**${r.total}**`)],
  ['webhook -> completed check run, throttling on (s, median of 5)', ...results.map((r) => s(r.throttled.completed))],
  ['webhook -> last call, throttling on (s)', ...results.map((r) => s(r.throttled.idle))],
  ['webhook -> completed check run, throttling off (s)', ...results.map((r) => s(r.unthrottled.completed))],
  ['webhook -> last call, throttling off (s)', ...results.map((r) => s(r.unthrottled.idle))],
  ['webhook handler done (HTTP answer), throttling on (s)', ...results.map((r) => s(r.throttled.acked))],
];
const md = (rows) => [`| ${rows[0].join(' | ')} |`, `| --- | ${rows[0].slice(1).map(() => '---:').join(' | ')} |`, ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`)].join('\n');
const text = (rows) => {
  const plain = rows.map((r) => r.map((c) => String(c).replace(/[`*]/g, '')));
  const widths = plain[0].map((_, i) => Math.max(...plain.map((r) => r[i].length)));
  return plain.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
};
console.log(`\n${text(table)}\n`);

const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), node ${process.version}`;
writeFileSync(
  join(ROOT, 'bench/APP-RESULTS.md'),
  `# Benchmark: GitHub API calls of the pyward app per pull request

Generated by \`npm run bench:app\` (bench/app-calls.mjs) on ${new Date().toISOString().slice(0, 10)}; machine: ${machine}.
The scanner's own speed is measured by \`npm run bench\` (bench/run.mjs, results in bench/RESULTS.md).

- The built app (\`dist/app/app.js\`) runs in-process in Probot (\`new Probot({ baseUrl })\`, \`probot.receive()\` of a
  \`pull_request.opened\` example payload from @octokit/webhooks-examples), against the fake GitHub of the end-to-end
  test (\`test/support/fake-github.mjs\`): real HTTP on 127.0.0.1, GitHub Enterprise-style \`/api/v3\`, pagination with
  \`Link\` headers, review anchors checked against the diff, no configuration file anywhere (defaults apply).
- Pull requests: generated Python modules under \`shop/<area>/\`, half added (the whole file is new), half modified (a
  block of new functions inserted mid-file, a 3-line-context hunk); each finding is one vulnerable function (yaml.load,
  hashlib.md5, requests.get without timeout, eval, exec). "A few findings": 2, 0, 1, 0, 2, ... per file.
- Each PR is reviewed once to warm up, then ${RUNS} times, each with a fresh Probot instance (so each run asks for an
  installation token, as the first event of an installation does; Probot caches the token for later events).
  The call counts were identical in every run. Times are medians from \`probot.receive()\`.
- "Throttling on" is Probot's default Octokit (@octokit/plugin-throttling: one mutation at a time, >= 1 s apart,
  >= 3 s between notifying calls such as creating a review), i.e. what production does; "throttling off" shows the
  app's own cost (fetching, parsing, analysing, rendering).

${md(table)}

## Reading it

- The calls a review costs are fixed: token, check-run lookup + create, the config lookups (repository, then the
  organisation's \`.github\`, both 404 here), \`pulls.listFiles\` (one page per 100 files), one blob per Python file,
  the existing review comments (one page per 100), one review, and the completing check-run update.
- \`POST /graphql\` is data flow reading the unchanged project modules the changed files import, at the head commit:
  one query per batch of up to 100 paths where those modules may be, within 50 modules / 2 MB per review, then one
  per batch for the modules those import. Here the files import only the standard library (never looked up),
  requests and yaml, so there is one query whose paths (the repository root, \`src/\`, each file's folder) all come
  back null. With throttling on, @octokit/plugin-throttling spaces a GraphQL query like a write (>= 1 s from the
  check-run creation), so it adds about 1 s before the review; with throttling off it costs one round trip and a
  parse of the changed files for their imports.
- Findings only add check-run updates: one per further batch of 50 annotations (${results.map((r) => `${r.name}: ${r.annotations} annotations -> ${r.calls.get('PATCH /repos/{o}/{r}/check-runs/{id}')} PATCH${r.calls.get('PATCH /repos/{o}/{r}/check-runs/{id}') === 1 ? '' : 'es'}`).join('; ')}).
  Inline comments always go in one review, whatever their number (capped by \`review.max_comments\`).
- The blob downloads dominate on large pull requests (one GET per changed Python file, 6 at a time).
- With throttling on, the time is mostly the write spacing: create check run, (>= 1 s) review, (>= 1 s) completing
  update, (>= 1 s each) further annotation batches.
`,
);
console.log('wrote bench/APP-RESULTS.md');
