#!/usr/bin/env node
// For humans: per rule, where pyward and the current Bandit disagree on the rule fixtures, with the code
// line and the reason from test/fixtures/rules/bandit-differences.json ("UNLISTED" when there is none yet).
// Analyses the fixtures with the built pyward (run `npm run build` first) and the recorded Bandit results.
// Usage: node scripts/bandit/diff-report.mjs [--json]
//   --json prints the differences as a new bandit-differences.json, keeping the listed reasons (matched by line,
//   or by code text when lines shifted) and "TODO" for new ones: review, then write it over the old file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/rules');
const dist = (p) => import(join(ROOT, 'dist', p));
const [{ DEFAULT_CONFIG }, { analyzeFile, prepareRules }, { pythonParser }, { ALL_RULES, selectRules }] = await Promise.all([
  dist('config/schema.js'),
  dist('engine/analyze-file.js'),
  dist('python/parser.js'),
  dist('rules/registry.js'),
]).catch((e) => {
  console.error(`cannot load pyward from dist/ (run npm run build): ${e.message}`);
  process.exit(2);
});

const recording = JSON.parse(readFileSync(join(FIXTURES, 'bandit-results.json'), 'utf8'));
const listed = JSON.parse(readFileSync(join(FIXTURES, 'bandit-differences.json'), 'utf8'));
const parser = await pythonParser();
const rules = prepareRules(selectRules(DEFAULT_CONFIG), ALL_RULES);
const pywardIds = new Set(ALL_RULES.map((r) => r.meta.id));

const draft = {};
const rows = [];
const notes = [];
for (const file of readdirSync(FIXTURES).filter((f) => /^B\d{3}\.py$/.test(f)).sort()) {
  const id = file.slice(0, -3);
  const bytes = readFileSync(join(FIXTURES, file));
  const rec = recording.results[file];
  if (!pywardIds.has(id)) { notes.push(`${id}: no pyward rule`); continue; }
  if (!recording.banditTests.current.includes(id)) { notes.push(`${id}: not in Bandit ${recording.banditVersions.current}`); continue; }
  if (!rec || rec.sha256 !== createHash('sha256').update(bytes).digest('hex')) { notes.push(`${id}: recording stale, re-run scripts/bandit/record-parity.mjs`); continue; }
  const result = await analyzeFile(parser, { path: file, content: new Uint8Array(bytes) }, DEFAULT_CONFIG, rules);
  const pyward = new Set(result.findings.filter((f) => f.ruleId === id).map((f) => f.location.startLine));
  const bandit = new Set(rec.current.filter(([, t]) => t === id).map(([l]) => l));
  const code = bytes.toString('utf8').split(/\r?\n/);
  for (const line of [...new Set([...bandit, ...pyward])].sort((a, b) => a - b)) {
    if (bandit.has(line) === pyward.has(line)) continue;
    const text = code[line - 1].trim();
    // A listed reason applies to the same line, or to the same code after the fixture's lines shifted.
    const same = (d) => d.bandit === bandit.has(line) && d.pyward === pyward.has(line);
    const entries = listed[file] ?? [];
    const why = (entries.find((d) => same(d) && d.line === line) ?? entries.find((d) => same(d) && d.code === text))?.why;
    (draft[file] ??= []).push({ line, bandit: bandit.has(line), pyward: pyward.has(line), code: text, why: why ?? 'TODO' });
    rows.push([id, String(line), bandit.has(line) ? 'yes' : '-', pyward.has(line) ? 'yes' : '-', text.slice(0, 50), why ?? 'UNLISTED']);
  }
  for (const d of listed[file] ?? []) {
    if (!draft[file]?.some((x) => x.line === d.line && x.bandit === d.bandit && x.pyward === d.pyward)) {
      rows.push([id, String(d.line), d.bandit ? 'yes' : '-', d.pyward ? 'yes' : '-', (code[d.line - 1] ?? '').trim().slice(0, 50), `STALE (listed, no longer differs): ${d.why}`]);
    }
  }
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(draft, null, 2));
} else {
  const header = ['rule', 'line', 'Bandit', 'pyward', 'code', 'why'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 5 ? 0 : r[i].length))));
  const fmt = (r) => r.map((c, i) => (i === 5 ? c : c.padEnd(widths[i]))).join('  ');
  console.log(`pyward vs Bandit ${recording.banditVersions.current} (python ${recording.python}) on test/fixtures/rules\n`);
  console.log(fmt(header));
  let last = '';
  for (const r of rows) {
    if (last && r[0] !== last) console.log('');
    console.log(fmt(r));
    last = r[0];
  }
  const perRule = Object.entries(draft).map(([f, l]) => `${f.slice(0, -3)} ${l.length}`);
  console.log(`\n${rows.length} differences${perRule.length ? ` (${perRule.join(', ')})` : ''}`);
  if (notes.length) console.log(`not compared: ${notes.join('; ')}`);
}
