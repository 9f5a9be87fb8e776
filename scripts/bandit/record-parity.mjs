#!/usr/bin/env node
// Run the current Bandit (scripts/bandit/run.sh) and Debian's Bandit 1.6.2 (`bandit`) once each over
// test/fixtures/rules/ with every test enabled, and record which [line, testId] pairs each reports per
// fixture in test/fixtures/rules/bandit-results.json. test/rules/bandit-parity.test.ts reads that file,
// so `npm test` needs no Bandit. Usage: node scripts/bandit/record-parity.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/rules');
const OUT = join(FIXTURES, 'bandit-results.json');

const BANDITS = {
  current: [join(ROOT, 'scripts/bandit/run.sh')],
  debian: ['/usr/bin/bandit'],
};

// Debian's bandit must not see a PYTHONPATH that points at the current Bandit's source.
const env = { ...process.env };
delete env.PYTHONPATH;

function version(cmd) {
  const text = execFileSync(cmd[0], [...cmd.slice(1), '--version'], { env, encoding: 'utf8' });
  return { bandit: /\s(\d[^\s]*)/.exec(text.split('\n')[0])[1], python: /python version = (\S+)/.exec(text)[1] };
}

/** Test ids the version knows, from the list at the end of its `-h` output. */
function testIds(cmd) {
  const text = execFileSync(cmd[0], [...cmd.slice(1), '-h'], { env, encoding: 'utf8' });
  return [...text.matchAll(/^\s+(B\d{3})\s/gm)].map((m) => m[1]).sort();
}

function scan(cmd, files) {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-parity-'));
  try {
    const out = join(dir, 'out.json');
    // Exit status 1 means "issues found"; anything else without an output file is a failure.
    const r = spawnSync(cmd[0], [...cmd.slice(1), '-f', 'json', '-o', out, '-q', ...files], { env, encoding: 'utf8' });
    let report;
    try {
      report = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`${cmd.join(' ')} failed (status ${r.status}):\n${r.stderr}`);
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** JSON with one line per array (id lists, [line, id] lists), nested objects indented. */
function format(value, indent = '') {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return JSON.stringify(value).replace(/,(?=[["\d])/g, ', ');
  const inner = indent + '  ';
  const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`);
  return entries.length ? `{\n${entries.join(',\n')}\n${indent}}` : '{}';
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort();
if (files.length === 0) throw new Error(`no fixtures in ${FIXTURES}`);
const paths = files.map((f) => join(FIXTURES, f));

const record = { banditVersions: {}, python: '', banditTests: {}, results: {}, errors: {} };
// The hash lets the parity test tell when a fixture changed after it was recorded.
for (const f of files) record.results[f] = { sha256: createHash('sha256').update(readFileSync(join(FIXTURES, f))).digest('hex') };
for (const [key, cmd] of Object.entries(BANDITS)) {
  const v = version(cmd);
  record.banditVersions[key] = v.bandit;
  record.python = v.python; // both run under the same /usr/bin/python3
  record.banditTests[key] = testIds(cmd);
  const report = scan(cmd, paths);
  const pairs = Object.fromEntries(files.map((f) => [f, new Set()]));
  for (const r of report.results) pairs[basename(r.filename)].add(JSON.stringify([r.line_number, r.test_id]));
  for (const f of files) {
    record.results[f][key] = [...pairs[f]].map((p) => JSON.parse(p)).sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  }
  for (const e of report.errors) (record.errors[basename(e.filename)] ??= {})[key] = e.reason;
  console.log(`${key}: bandit ${v.bandit} on python ${v.python}: ${report.results.length} results, ${report.errors.length} errors`);
}
writeFileSync(OUT, format(record) + '\n');
console.log(`wrote ${OUT.slice(ROOT.length + 1)} (${files.length} fixtures)`);
