#!/usr/bin/env node
// Runs pyward and the current Bandit on Bandit's own example files (bench/.work/bandit-src/examples, put
// there by scripts/bandit/setup.sh; nothing of it is committed), or on another directory of Python files, and
// prints every (file, line, test id) one reports and the other does not.
// Usage: node scripts/bandit/compare-examples.mjs [--ignore-nosec] [DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const dirArg = process.argv.slice(2).find((a) => !a.startsWith('--'));
const EXAMPLES = dirArg ? resolve(dirArg) : join(ROOT, 'bench/.work/bandit-src/examples');
const WORK = join(ROOT, 'bench/.work');
if (!existsSync(EXAMPLES)) {
  console.error(`no ${EXAMPLES}: run scripts/bandit/setup.sh first`);
  process.exit(2);
}
const nosec = process.argv.includes('--ignore-nosec') ? ['--ignore-nosec'] : [];
spawnSync(process.execPath, [join(ROOT, 'bin/pyward.js'), 'scan', EXAMPLES, '-f', 'json', '-o', join(WORK, 'examples.pyward.json'), ...nosec, '--advisory-db', join(ROOT, 'examples/advisories')], { stdio: 'inherit' });
spawnSync(join(ROOT, 'scripts/bandit/run.sh'), ['-r', EXAMPLES, '-f', 'json', '-q', '-o', join(WORK, 'examples.bandit.json'), ...nosec], { stdio: 'ignore' });
const rel = (p) => (p.startsWith(EXAMPLES) ? p.slice(EXAMPLES.length + 1) : p.replace(/^.*?examples\//, ''));
const pyward = JSON.parse(readFileSync(join(WORK, 'examples.pyward.json'), 'utf8')).findings.map((f) => `${rel(f.location.path)}:${f.location.startLine} ${f.ruleId}`);
const bandit = JSON.parse(readFileSync(join(WORK, 'examples.bandit.json'), 'utf8')).results.map((r) => `${rel(r.filename)}:${r.line_number} ${r.test_id}`);
const p = new Set(pyward);
const b = new Set(bandit);
const onlyBandit = [...b].filter((k) => !p.has(k)).sort();
const onlyPyward = [...p].filter((k) => !b.has(k) && / B\d{3}$/.test(k)).sort();
console.log(`Bandit ${b.size} findings, pyward ${[...p].filter((k) => / B\d{3}$/.test(k)).length} (Bandit ids only)`);
console.log(`\nOnly Bandit (${onlyBandit.length}):\n${onlyBandit.map((k) => `  ${k}`).join('\n')}`);
console.log(`\nOnly pyward (${onlyPyward.length}):\n${onlyPyward.map((k) => `  ${k}`).join('\n')}`);
