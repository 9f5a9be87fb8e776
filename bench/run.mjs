#!/usr/bin/env node
// Benchmark: pyward vs the current Bandit on the CPython standard library of the machine's `python3`
// (test suites and site-packages excluded). One file list, given identically (as explicit relative paths)
// to both tools; each run measured with /usr/bin/time (wall, user+sys CPU, peak RSS). Prints a table and
// writes bench/RESULTS.md. Usage: npm run bench   (after npm run build; Bandit: scripts/bandit/setup.sh)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { measurePhases } from './phases.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, 'bench/.work');
const BANDIT = join(ROOT, 'scripts/bandit/run.sh');
const TARGETS = { wallRatio: 1 / 8, rssMiB: 400, dataflowRatio: 1.3, newRulesRatio: 1.1, fileSeconds: 2 };
mkdirSync(WORK, { recursive: true });

// --- the file list, generated once ---------------------------------------------------------------
const python = execFileSync('python3', ['-c', 'import sys, sysconfig; print(sysconfig.get_paths()["stdlib"]); print(sys.version.split()[0])'], { encoding: 'utf8' }).trim().split('\n');
const [stdlib, pythonVersion] = python;
const SKIP_DIRS = new Set(['test', 'tests', 'idle_test', 'site-packages', '__pycache__']); // covers idlelib/idle_test, lib2to3/tests
function walk(dir, rel = '') {
  const out = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) out.push(...walk(dir, p));
    else if (e.isFile() && e.name.endsWith('.py') && !e.name.startsWith('test_')) out.push(p);
  }
  return out;
}
const files = walk(stdlib);
const lines = files.reduce((n, f) => n + readFileSync(join(stdlib, f), 'utf8').split('\n').length - 1, 0);
writeFileSync(join(WORK, 'stdlib-files.txt'), files.join('\n') + '\n');
const argvBytes = files.reduce((n, f) => n + f.length + 1, 0);
if (argvBytes > 1_000_000) throw new Error(`file list too long for one argv (${argvBytes} bytes)`);
console.log(`${files.length} files, ${lines} lines under ${stdlib} (python ${pythonVersion})`);

// --- measuring -------------------------------------------------------------------------------------
/** Run cmd under /usr/bin/time in the stdlib dir: its status, stderr and wall/CPU seconds, peak RSS MiB. */
function measure(name, cmd) {
  const timeFile = join(WORK, `${name}.time`);
  process.stdout.write(`running ${name}... `);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, ...cmd], { cwd: stdlib, encoding: 'utf8', maxBuffer: 1 << 28 });
  const [wall, user, sys, rssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  console.log(`${wall.toFixed(1)} s`);
  return { status: r.status, stderr: r.stderr, wall, cpu: user + sys, rss: rssKiB / 1024 };
}
const countBy = (items) => items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map());

if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install -y time');
const jobs = availableParallelism();
const pywardOut = join(WORK, 'pyward.json');
// Wall times vary from run to run (pyward's 1.6 s by a few percent, Bandit's 13-14 s by up to 10% on this
// machine): each tool runs several times and the run with the median wall time is reported, all listed.
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BANDIT_RUNS = Number(process.env.BENCH_BANDIT_RUNS ?? 3);
const median = (runs) => [...runs].sort((a, b) => a.wall - b.wall)[Math.floor((runs.length - 1) / 2)];
const banditRuns = [];
const pyRuns = [];
// The same scan with data flow off (PW101-PW110), to see what it costs: target at most 30% more wall time;
// and without the settings, crypto and secrets rules (PW2xx-PW4xx): target at most 10% more. The three
// configurations take turns, so a change of load on the machine weighs on each alike.
const noFlowConfig = join(WORK, 'no-dataflow.yml');
writeFileSync(noFlowConfig, 'dataflow:\n  enabled: false\n');
const allRuleIds = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/pyward.js'), 'rules', '--format', 'json'], { encoding: 'utf8' })).map((r) => r.id);
const newRuleIds = allRuleIds.filter((id) => /^PW[234]\d\d$/.test(id));
const noNewRulesConfig = join(WORK, 'no-pw2-4.yml');
writeFileSync(noNewRulesConfig, `rules:\n  disable: [${newRuleIds.join(', ')}]\n`);
const noFlowRuns = [];
const noNewRuns = [];
const scan = (name, out, extra) => {
  const run = measure(name, [process.execPath, join(ROOT, 'bin/pyward.js'), 'scan', '--format', 'json', '-o', out, '--jobs', String(jobs), '--fail-on', 'critical', ...extra, ...files]);
  if (run.status !== 0 && run.status !== 1) throw new Error(`pyward failed (status ${run.status}):\n${run.stderr}`);
  return run;
};
for (let i = 0; i < RUNS; i++) {
  pyRuns.push(scan('pyward', pywardOut, []));
  noFlowRuns.push(scan('pyward-no-dataflow', join(WORK, 'pyward-no-dataflow.json'), ['-c', noFlowConfig]));
  if (newRuleIds.length) noNewRuns.push(scan('pyward-no-pw2-4', join(WORK, 'pyward-no-pw2-4.json'), ['-c', noNewRulesConfig]));
}
const noFlow = median(noFlowRuns);
const noNew = noNewRuns.length ? median(noNewRuns) : undefined;
const pyRun = median(pyRuns);
const pyWalls = pyRuns.map((r) => r.wall.toFixed(2)).join(', ');
const py = JSON.parse(readFileSync(pywardOut, 'utf8'));
const pyward = {
  ...pyRun,
  version: execFileSync(process.execPath, [join(ROOT, 'bin/pyward.js'), '--version'], { encoding: 'utf8' }).trim(),
  files: py.stats.filesAnalysed + py.stats.filesSkipped,
  errors: py.errors.length,
  lines: py.stats.lines,
  findings: py.findings.length,
  byRule: countBy(py.findings.map((f) => f.ruleId)),
  ids: new Set(JSON.parse(execFileSync(process.execPath, [join(ROOT, 'bin/pyward.js'), 'rules', '--format', 'json'], { encoding: 'utf8' })).map((r) => r.id)),
};

let bandit;
const banditReady = existsSync(join(WORK, 'bandit-src/bandit.egg-info/PKG-INFO'));
if (!banditReady) {
  console.log('\nCurrent Bandit is not set up: fetch github:PyCQA/bandit, then run scripts/bandit/setup.sh [GIT_DIR]\n(needs apt-get install -y python3-stevedore python3-yaml python3-rich). Measuring pyward only.\n');
} else {
  const banditOut = join(WORK, 'bandit.json');
  for (let i = 0; i < BANDIT_RUNS; i++) {
    const run = measure('bandit', [BANDIT, '-f', 'json', '-q', '-o', banditOut, '-r', ...files]);
    if (run.status !== 0 && run.status !== 1) throw new Error(`bandit failed (status ${run.status}):\n${run.stderr}`);
    banditRuns.push(run);
  }
  const bRun = median(banditRuns);
  const b = JSON.parse(readFileSync(banditOut, 'utf8'));
  const analysed = Object.keys(b.metrics).filter((k) => k !== '_totals');
  const failed = b.errors.map((e) => e.filename).filter((f) => !analysed.includes(f));
  const v = execFileSync(BANDIT, ['--version'], { encoding: 'utf8' });
  bandit = {
    ...bRun,
    version: /\s(\d\S*)/.exec(v.split('\n')[0])[1],
    files: analysed.length + failed.length,
    errors: b.errors.length,
    lines: b.metrics._totals.loc,
    findings: b.results.length,
    byRule: countBy(b.results.map((r) => r.test_id)),
    ids: new Set([...execFileSync(BANDIT, ['-h'], { encoding: 'utf8' }).matchAll(/^\s+(B\d{3})\s/gm)].map((m) => m[1])),
  };
}

// --- report ---------------------------------------------------------------------------------------
const mib = (x) => x.toFixed(0);
const sec = (x) => x.toFixed(2);
const ratio = (a, b) => (b ? (a / b).toFixed(3) : 'n/a');
const rows = [
  ['files seen', (t) => String(t.files), null],
  ['files with errors', (t) => String(t.errors), null],
  ['lines (pyward: physical; Bandit: LOC)', (t) => String(t.lines), null],
  ['wall time (s)', (t) => sec(t.wall), 'wall'],
  ['CPU time user+sys (s)', (t) => sec(t.cpu), 'cpu'],
  ['peak RSS (MiB)', (t) => mib(t.rss), 'rss'],
  ['findings', (t) => String(t.findings), 'findings'],
];
const table = [['', pyward.version, bandit ? `Bandit ${bandit.version}` : 'Bandit (not set up)', 'pyward/Bandit']];
for (const [label, get, key] of rows) table.push([label, get(pyward), bandit ? get(bandit) : '-', bandit && key ? ratio(pyward[key], bandit[key]) : '']);

const shared = bandit ? [...new Set([...pyward.byRule.keys(), ...bandit.byRule.keys()])].filter((id) => pyward.ids.has(id) && bandit.ids.has(id)).sort() : [];
const perRule = [['rule', 'pyward', 'Bandit', 'difference'], ...shared.map((id) => [id, String(pyward.byRule.get(id) ?? 0), String(bandit.byRule.get(id) ?? 0), String((pyward.byRule.get(id) ?? 0) - (bandit.byRule.get(id) ?? 0))])];

const sameFiles = bandit ? pyward.files === files.length && bandit.files === files.length : pyward.files === files.length;
const wallMet = bandit ? pyward.wall <= bandit.wall * TARGETS.wallRatio : null;
const rssMet = pyward.rss < TARGETS.rssMiB;
const verdict = (ok) => (ok === null ? 'not measured (no Bandit)' : ok ? 'met' : 'NOT met');
const flowRatio = pyward.wall / noFlow.wall;
const targets = [
  `- pyward wall time <= 1/8 of Bandit's: ${verdict(wallMet)}${bandit ? ` (${sec(pyward.wall)} s vs ${sec(bandit.wall)} s, ratio ${ratio(pyward.wall, bandit.wall)}; limit 0.125)` : ''}`,
  `- data flow adds at most 30% wall time: ${verdict(flowRatio <= TARGETS.dataflowRatio)} (${sec(pyward.wall)} s with it, ${sec(noFlow.wall)} s with \`dataflow: {enabled: false}\` (median of ${noFlowRuns.map((r) => r.wall.toFixed(2)).join(', ')} s), ratio ${flowRatio.toFixed(2)}; CPU ${sec(pyward.cpu)} s vs ${sec(noFlow.cpu)} s; peak RSS ${mib(pyward.rss)} vs ${mib(noFlow.rss)} MiB)`,
  ...(noNew ? [`- the settings, crypto and secrets rules (${newRuleIds.length} rules, PW2xx-PW4xx) add at most 10% wall time: ${verdict(pyward.wall / noNew.wall <= TARGETS.newRulesRatio)} (${sec(pyward.wall)} s with them, ${sec(noNew.wall)} s without (median of ${noNewRuns.map((r) => r.wall.toFixed(2)).join(', ')} s), ratio ${(pyward.wall / noNew.wall).toFixed(2)})`] : []),
  `- pyward peak RSS < ${TARGETS.rssMiB} MiB: ${verdict(rssMet)} (${mib(pyward.rss)} MiB)`,
  `- both tools saw the same ${files.length} files: ${sameFiles ? 'yes' : `NO (pyward ${pyward.files}${bandit ? `, Bandit ${bandit.files}` : ''})`}`,
];

const text = (t) => {
  const w = t[0].map((_, i) => Math.max(...t.map((r) => r[i].length)));
  return t.map((r) => r.map((c, i) => (i ? c.padStart(w[i]) : c.padEnd(w[i]))).join('  ')).join('\n');
};
const md = (t) => [t[0], t[0].map((_, i) => (i ? '---:' : '---')), ...t.slice(1)].map((r) => `| ${r.join(' | ')} |`).join('\n');

process.stdout.write('measuring pyward phases single-threaded... ');
const phases = await measurePhases(files.map((f) => join(stdlib, f)));
console.log(`parse ${phases.parse.toFixed(2)} s, + copy/model ${phases.model.toFixed(2)} s, all ${phases.all.toFixed(2)} s`);
const share = (s) => (bandit ? ` (${((100 * s) / bandit.wall).toFixed(0)}% of Bandit's wall time)` : '');
const phaseText = [
  `- tree-sitter parsing alone (WASM): ${phases.parse.toFixed(2)} s${share(phases.parse)}`,
  `- plus copying the tree out of WASM and the scope model: ${phases.model.toFixed(2)} s${share(phases.model)}`,
  `- plus every rule, suppressions and fingerprints: ${phases.all.toFixed(2)} s${share(phases.all)}`,
  `- with data flow as well (each file's flows): ${phases.allWithFlows.toFixed(2)} s, then the project-wide solver ${phases.solve.toFixed(2)} s; the slowest file took ${phases.slowest.ms.toFixed(0)} ms in all (\`${phases.slowest.path.replace(`${stdlib}/`, '')}\`; limit ${TARGETS.fileSeconds} s: ${phases.slowest.ms <= TARGETS.fileSeconds * 1000 ? 'met' : 'NOT met'})`,
  `- the ${jobs}-thread run above used ${sec(pyward.cpu)} s of CPU for these ${sec(phases.all)} s of warmed-up single-threaded work; the rest is starting node and a worker, V8 compiling pyward's JavaScript (background threads) and running it cold at first`,
  `- how the threads share the work: workers read and parse (WASM) and move the flat tree to the main thread, which runs the scope model and the rules and parses files itself whenever no parsed tree is waiting (src/cli/run-files.ts), so V8 compiles the rules (and the data flow) in one isolate, not in every thread: running the data flow in a worker as well while trees waited for the main thread was measured slower (4.6 s -> 5.0 s wall, +1 s CPU: a second isolate warms the same code up cold)`,
].join('\n');
const load = loadavg()[0].toFixed(2); // other work on the machine skews wall times
const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), node ${process.version}, python ${pythonVersion} (stdlib), Bandit ${bandit?.version ?? 'not set up'} on ${bandit ? execFileSync('/usr/bin/python3', ['--version'], { encoding: 'utf8' }).trim().toLowerCase() : '-'}; load average ${load} at the end of the run`;
console.log(`\n${text(table)}\n\n${targets.join('\n')}\n`);
if (shared.length) console.log(`findings per rule id both tools have:\n${text(perRule)}\n`);

/**
 * The other benchmarks write their own files (each rerun by its own script); their headline rows are
 * repeated here so that bench/RESULTS.md is the one page with every measured target.
 */
function otherBenchmarks() {
  const rows = (file, labels) => {
    const path = join(ROOT, 'bench', file);
    if (!existsSync(path)) return [];
    const text = readFileSync(path, 'utf8');
    const header = text.split('\n').find((l) => l.startsWith('|') && !l.startsWith('| ---')) ?? '';
    const generated = /Generated by[^\n]* on (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
    const picked = text.split('\n').filter((l) => labels.some((label) => l.replace(/\*/g, '').startsWith(`| ${label}`)));
    return picked.length ? [``, `From [bench/${file}](${file})${generated ? ` (${generated})` : ''}:`, ``, header, header.replace(/[^|]+/g, ' --- '), ...picked] : [];
  };
  const load = rows('LOAD-RESULTS.md', ['throughput', 'p50 / p95 webhook to completed check, reviewed heads', 'peak RSS per instance', 'API calls per review', 'check runs left in progress', 'heads reviewed twice']);
  // Imported modules for data flow are read in one GraphQL query: a 100-file PR costs one POST /graphql more
  const calls = rows('APP-RESULTS.md', ['`GET /repos/{o}/{r}/git/blobs/{sha}`', '`POST /graphql`', 'total API calls']);
  return [
    ...(calls.length ? ['', '## GitHub API calls per pull request (`npm run bench:app`)', ...calls] : []),
    ...(load.length ? ['', '## The App under load (`npm run bench:load`)', ...load] : []),
    '',
  ].join('\n');
}

writeFileSync(
  join(ROOT, 'bench/RESULTS.md'),
  `# Benchmark: pyward vs Bandit on the CPython standard library

Generated by \`npm run bench\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}.

- Machine: ${machine}
- Corpus: ${files.length} files, ${lines} lines of \`${stdlib}\`, without test suites (\`test/\`, \`tests/\`, \`idlelib/idle_test\`, \`lib2to3/tests\`, \`test_*.py\`) and site-packages; the same explicit file list given to both tools
- pyward: \`pyward scan --format json --jobs ${jobs} FILE...\`; Bandit: \`bandit -f json -q -r FILE...\` (single process); all rules, default severity/confidence, \`# nosec\` honoured by both
- Measured with \`/usr/bin/time -f '%e %U %S %M'\` (peak RSS of pyward includes its worker threads); each tool ran several times and the run with the median wall time is shown (pyward ${RUNS} runs: ${pyWalls} s; Bandit ${banditRuns.length} runs: ${banditRuns.map((r) => r.wall.toFixed(2)).join(', ') || '-'} s)

${md(table)}

## Targets

${targets.join('\n')}

## Where pyward's time goes (one thread, in-process, files already read)

${phaseText}

## Findings per rule id (ids both tools implement)

${shared.length ? md(perRule) : '(Bandit not measured)'}

Counts differ where the rules differ on purpose (see test/fixtures/rules/bandit-differences.json and
\`node scripts/bandit/diff-report.mjs\`).
${otherBenchmarks()}`,
);
console.log('wrote bench/RESULTS.md');
