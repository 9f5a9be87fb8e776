#!/usr/bin/env node
// Benchmark of the dependency check (after `npm run build`):
// 1. loading the local PyPA advisory snapshot (../shared/advisory-db: the vulns/ tree of YAML records and
//    the one-array JSON file) with the built local-db source;          target < 2 s each
// 2. scanDependencies on a 600-pin constraints file made from the database's own package names
//    (whole-tree mode, database already loaded), median of 5 runs;     target < 300 ms
// 3. the OSV API source against a local HTTP server that answers from the same database (no network):
//    how many requests a 300-package poetry.lock costs;                target: a handful, not one per package.
// Writes bench/DEPENDENCIES-RESULTS.md.  Usage: npm run bench:deps
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(import.meta.dirname, '..');
const DB = resolve(ROOT, '../shared/advisory-db');
const TARGETS = { loadMs: 2000, scanMs: 300 };
const TODAY = new Date().toISOString().slice(0, 10);

const dist = (p) => import(join(ROOT, 'dist', p));
const { createLocalDbSource } = await dist('dependencies/advisories/local-db.js');
const { createOsvApiSource } = await dist('dependencies/advisories/osv-api.js');
const { scanDependencies } = await dist('engine/scan-dependencies.js');
const { DEFAULT_CONFIG } = await dist('config/schema.js');
const { dependencyRules } = await dist('rules/dependencies/index.js');
const { parseOsvRecord } = await dist('dependencies/osv/schema.js');
const { recordAffects } = await dist('dependencies/osv/match.js');
const { parseVersion, compareVersions } = await dist('dependencies/pep440/version.js');
const { normalizeName } = await dist('dependencies/types.js');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 0)} ms`;

// --- 1. load --------------------------------------------------------------------------------------
async function timeLoad(path) {
  const source = createLocalDbSource(path);
  const t0 = performance.now();
  const stats = await source.load();
  return { source, stats, wallMs: performance.now() - t0 };
}
const dir = await timeLoad(join(DB, 'vulns'));
const json = await timeLoad(join(DB, 'pypa-osv.json'));
console.log(`load vulns/ (YAML tree): ${ms(dir.wallMs)}, ${dir.stats.records} records, ${dir.stats.names} names, ${dir.stats.skipped} skipped`);
console.log(`load pypa-osv.json:      ${ms(json.wallMs)}, ${json.stats.records} records, ${json.stats.names} names, ${json.stats.skipped} skipped`);

// --- the database's packages, with an affected and an unaffected version each ---------------------
// Outside any timing: the records are read once more here, only to pick realistic versions.
const records = JSON.parse(readFileSync(join(DB, 'pypa-osv.json'), 'utf8'));
const byName = new Map();
for (const raw of records) {
  if (raw.withdrawn) continue;
  const parsed = parseOsvRecord(raw);
  if (!parsed.ok) continue;
  for (const a of raw.affected ?? []) {
    const name = normalizeName(a.package.name);
    if (!byName.has(name)) byName.set(name, { name, raw: [], parsed: [], listed: [], fixed: [] });
    const entry = byName.get(name);
    entry.raw.push(raw);
    entry.parsed.push(parsed.record);
    for (const v of a.versions ?? []) if (parseVersion(v)) entry.listed.push(v);
    for (const r of a.ranges ?? []) for (const e of r.events ?? []) if (e.fixed && parseVersion(e.fixed)) entry.fixed.push(e.fixed);
  }
}
const newest = (vs) => [...vs].sort((a, b) => compareVersions(parseVersion(b), parseVersion(a)))[0];
const affects = (entry, version) => entry.parsed.some((r) => recordAffects(r, entry.name, version).affected);
/** An affected version (the newest listed one that some record affects), else undefined. */
function affectedVersion(entry) {
  const sorted = [...new Set(entry.listed)].sort((a, b) => compareVersions(parseVersion(b), parseVersion(a)));
  return sorted.find((v) => affects(entry, v));
}
/** A version no record affects: the newest fixed version if it is clean, else a release after it. */
function cleanVersion(entry) {
  const top = entry.fixed.length ? newest(entry.fixed) : entry.listed.length ? newest(entry.listed) : '1.0';
  for (const candidate of [top, `${top}.1`, `${parseInt(top, 10) + 1}.0.0`]) if (parseVersion(candidate) && !affects(entry, candidate)) return candidate;
  return undefined;
}
const names = [...byName.keys()].sort();

/** `count` pins, every `affectedEvery`-th one on an affected version. */
function pins(count, affectedEvery) {
  const out = [];
  for (const name of names) {
    if (out.length === count) break;
    const entry = byName.get(name);
    const wantAffected = out.length % affectedEvery === 0;
    const version = (wantAffected ? affectedVersion(entry) : cleanVersion(entry)) ?? cleanVersion(entry) ?? affectedVersion(entry);
    if (version) out.push({ name, version, affected: affects(entry, version) });
  }
  return out;
}

// --- 2. scan a 600-pin constraints file -----------------------------------------------------------
const constraints = pins(600, 3);
const constraintsText = ['# generated by bench/dependencies.mjs from the PyPA advisory snapshot', ...constraints.map((p) => `${p.name}==${p.version}`), ''].join('\n');
const scanFiles = [{ path: 'constraints.txt', status: 'added', head: constraintsText }];
const scanOptions = { config: DEFAULT_CONFIG, rules: dependencyRules, advisories: dir.source, today: TODAY };
const first = await scanDependencies(scanFiles, scanOptions); // warm-up (JIT), not counted
const scanRuns = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await scanDependencies(scanFiles, scanOptions);
  scanRuns.push(performance.now() - t0);
}
const scanMedian = median(scanRuns);
const affectedPins = constraints.filter((p) => p.affected).length;
const advisoryFindings = first.findings.filter((f) => f.ruleName === 'vulnerable-dependency');
const pinsWithFinding = new Set(advisoryFindings.map((f) => f.location.startLine)).size;
const hygiene = first.findings.length - advisoryFindings.length;
console.log(`scan 600-pin constraints.txt: median ${ms(scanMedian)} of ${scanRuns.map((x) => x.toFixed(1)).join(', ')} ms; ${affectedPins} affected pins, ${advisoryFindings.length} advisory findings on ${pinsWithFinding} pins, ${hygiene} PW5xx findings, status ${first.status.state}`);

// --- 3. OSV API requests for a 300-package lockfile --------------------------------------------------
const recordById = new Map(records.map((r) => [r.id, r]));
const requests = { querybatch: 0, vulns: 0, export: 0, other: 0, queries: 0 };
const exportZip = storedZip(records.map((r) => [`${r.id}.json`, JSON.stringify(r)]));
const answeredIds = new Set();
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const send = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && req.url === '/v1/querybatch') {
      requests.querybatch++;
      const { queries } = JSON.parse(body);
      requests.queries += queries.length;
      // Like OSV: only the ids of records that affect the queried version, with their `modified`.
      send(200, {
        results: queries.map((q) => {
          const entry = byName.get(normalizeName(q.package.name));
          const vulns = (entry?.parsed ?? []).filter((r) => recordAffects(r, entry.name, q.version).affected).map((r) => ({ id: r.id, modified: r.modified }));
          for (const v of vulns) answeredIds.add(v.id);
          return vulns.length ? { vulns } : {};
        }),
      });
      return;
    }
    if (req.method === 'GET' && req.url === '/PyPI/all.zip') {
      requests.export++;
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(exportZip);
      return;
    }
    const m = /^\/v1\/vulns\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && m) {
      requests.vulns++;
      const record = recordById.get(decodeURIComponent(m[1]));
      send(record ? 200 : 404, record ?? { code: 5, message: 'Bug not found.' });
      return;
    }
    requests.other++;
    send(404, { code: 5, message: 'not found' });
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const baseUrl = `http://127.0.0.1:${server.address().port}`;

const lockPins = pins(300, 10);
const lockText = [
  '# This file is automatically @generated by Poetry 1.8.2 and should not be changed by hand.',
  '',
  ...lockPins.flatMap((p) => ['[[package]]', `name = "${p.name}"`, `version = "${p.version}"`, 'description = ""', 'optional = false', 'python-versions = "*"', 'files = []', '']),
  '[metadata]',
  'lock-version = "2.0"',
  'python-versions = "^3.9"',
  'content-hash = "0000000000000000000000000000000000000000000000000000000000000000"',
  '',
].join('\n');
const osv = createOsvApiSource({ baseUrl, retries: 0, exportUrl: `${baseUrl}/PyPI/all.zip` });
const lockFiles = [{ path: 'poetry.lock', status: 'added', head: lockText }];
const t0 = performance.now();
const lockScan = await scanDependencies(lockFiles, { ...scanOptions, advisories: osv });
const osvMs = performance.now() - t0;
const firstRequests = { ...requests };
const distinctIds = answeredIds.size;
// The same lockfile again within the cache lifetime (a re-run of the check on the same pull request).
await scanDependencies(lockFiles, { ...scanOptions, advisories: osv });
const total = (r) => r.querybatch + r.vulns + r.export + r.other;
const secondTotal = total(requests) - total(firstRequests);
server.close();
const lockAffected = lockPins.filter((p) => p.affected).length;
const firstTotal = total(firstRequests);
console.log(
  `OSV API, 300-package poetry.lock (${lockAffected} affected): ${firstTotal} requests (${firstRequests.querybatch} querybatch carrying ${firstRequests.queries} queries, ${firstRequests.export} export download, ${firstRequests.vulns} GET /v1/vulns/{id}; ${distinctIds} distinct advisories) in ${ms(osvMs)}, status ${lockScan.status.state}; again from the cache: ${secondTotal} requests`,
);

// --- results ---------------------------------------------------------------------------------------
const loadMet = dir.wallMs < TARGETS.loadMs && json.wallMs < TARGETS.loadMs;
const scanMet = scanMedian < TARGETS.scanMs;
const batchMet = firstTotal <= 5;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const md = `# Dependency check benchmark

Generated by \`npm run bench:deps\` (bench/dependencies.mjs) on ${TODAY}.

Machine: ${cpu}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()} ${arch()}, Node ${process.version}.

Data: the PyPA advisory database snapshot in \`../shared/advisory-db\` (${json.stats.records} records, ${json.stats.names} package names).

| measurement | result | target | met |
|---|---|---|---|
| load \`vulns/\` (${dir.stats.files} YAML files) with \`createLocalDbSource\` | ${ms(dir.wallMs)} | < 2 s | ${dir.wallMs < TARGETS.loadMs ? 'yes' : 'no'} |
| load \`pypa-osv.json\` (one array) | ${ms(json.wallMs)} | < 2 s | ${json.wallMs < TARGETS.loadMs ? 'yes' : 'no'} |
| \`scanDependencies\`, 600-pin constraints.txt, whole tree, DB loaded (median of 5: ${scanRuns.map((x) => x.toFixed(1)).join(', ')} ms) | ${ms(scanMedian)} | < 300 ms | ${scanMet ? 'yes' : 'no'} |
| OSV API requests, 300-package poetry.lock, cold cache | ${firstTotal}: ${firstRequests.querybatch} \`POST /v1/querybatch\` (${firstRequests.queries} queries) + ${firstRequests.export} PyPI export download + ${firstRequests.vulns} \`GET /v1/vulns/{id}\` | a handful, not one per package | ${batchMet ? 'yes' : 'no'} |
| the same lockfile again, warm cache | ${secondTotal} | 0 | ${secondTotal === 0 ? 'yes' : 'no'} |

Details:

- Constraints file: ${constraints.length} pins (\`name==version\`), one package per name taken from the database, every third
  meant to be on an affected version (the newest version a record lists and affects), the rest on a version no record
  affects (the newest fixed version); packages with no published fix stay on an affected version, so ${affectedPins} of the
  ${constraints.length} pins are affected. They gave ${advisoryFindings.length} advisory findings (one per advisory) on ${pinsWithFinding} lines, plus
  ${hygiene} PW5xx hygiene findings (all five rules ran: real database names such as near-duplicates trip PW505), status \`${first.status.state}\`.
  One warm-up scan precedes the five timed ones.
- OSV API: a local HTTP server answers \`querybatch\` with the ids of the records that affect each queried version
  (as OSV does) and \`/v1/vulns/{id}\` with the record; no network. The lockfile has ${lockPins.length} packages, one in ten
  meant to be on an affected version (${lockAffected} are, for the same reason as above). All ${lockPins.length} versions go in ${firstRequests.querybatch} batch request(s)
  (up to 1,000 queries each). OSV answers ids only; when a lookup needs more than 20 records pyward downloads
  the PyPI export once instead of fetching each (${distinctIds} distinct ids here; with few ids they are fetched one by one, 8 in
  parallel). A lockfile with no vulnerable pin costs exactly one request. ${lockScan.advisories.length} advisory rows, ${ms(osvMs)} end to end on loopback.

Targets: ${loadMet && scanMet && batchMet ? 'met (the request count with the caveat above)' : `not all met (load ${loadMet ? 'met' : 'NOT met'}, scan ${scanMet ? 'met' : 'NOT met'}, requests ${batchMet ? 'met' : 'NOT met'})`}.
`;
writeFileSync(join(ROOT, 'bench/DEPENDENCIES-RESULTS.md'), md);
console.log(`wrote bench/DEPENDENCIES-RESULTS.md; targets ${loadMet && scanMet && batchMet ? 'met' : 'NOT all met'}`);

/** A zip of stored (uncompressed) entries: enough for the fake export. */
function storedZip(entries) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBuf.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}
