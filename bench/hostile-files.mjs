#!/usr/bin/env node
// How long one hostile Python file can hold the CPU (after `npm run build`). Each generator fills a file up to
// the default max_file_size (2 MiB) with one pattern (flat calls, long assignment chains, nested brackets,
// thousands of SQL strings or Flask views...), and each file is analysed alone, in a fresh process, as a
// review's scan analyses it (default config, data flow on), with a checkpoint that never stops but records when
// it is asked. What it reports per file: the total, each phase, and the longest stretch between two asks (how
// late a timed-out or superseded review notices it must stop) and its phase.
// Writes bench/HOSTILE-RESULTS.md.  Usage: npm run bench:hostile [-- name ...]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CAP = 2 * 1024 * 1024 - 64;

/** A file of `unit(i)` lines after `header`, up to the size cap. */
function fill(unit, header = '', footer = '') {
  const parts = [header];
  let size = header.length + footer.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (size + u.length >= CAP) break;
    parts.push(u);
    size += u.length;
  }
  parts.push(footer);
  return parts.join('');
}

const GENERATORS = {
  'flat calls': () => fill((i) => `x${i % 1000} = foo(a, b, c=d)\n`),
  'subprocess shell=True': () => fill((i) => `subprocess.call(cmd${i % 50}, shell=True)\n`, 'import subprocess\n'),
  'assignment chain': () => fill((i) => `v${i + 1} = v${i}\n`, 'v0 = input()\n'),
  'assignment chain to a sink': () => fill((i) => `v${i + 1} = v${i} + "x"\n`, 'import os\nv0 = input()\n', '\nos.system(v1000)\n'),
  'nested brackets (900 deep)': () => fill(() => `x = ${'('.repeat(900)}1${')'.repeat(900)}\n`),
  'long operator chains': () => fill(() => `x = ${Array(2000).fill('a').join(' + ')}\n`),
  'SQL concatenation': () => fill(() => `cur.execute("SELECT * FROM t WHERE id=" + ${Array(30).fill('q').join(' + ')})\n`),
  'SQL f-strings then execute': () => fill(() => `q = f"SELECT {a} FROM {b} WHERE {c} = {d}"\ncur.execute(q)\n`),
  'function call chain': () => fill((i) => `def f${i}(x):\n    return f${i + 1}(x)\n\n`, 'import os\nfrom flask import request\n', '\ndef sink(x):\n    os.system(x)\n'),
  'Flask views with a flow each': () =>
    fill((i) => `@app.route("/r${i}")\ndef v${i}():\n    a = request.args["x"]\n    b = a + "y"\n    os.system(b)\n    return b\n`, 'import os\nfrom flask import Flask, request\napp = Flask(__name__)\n'),
  'one giant function': () => fill((i) => `    v${i + 1} = g(v${i}, request.args.get("p${i % 10}"))\n`, 'import os\nfrom flask import request\ndef view():\n    v0 = request.args["x"]\n', '    os.system(v1)\n'),
  'one huge dict literal': () => fill((i) => `    "k${i}": "v${i}",\n`, 'D = {\n', '}\n'),
  'regular expressions': () => fill((i) => `re.compile(r"(a${i % 7}+)+b")\n`, 'import re\n'),
  'password-like literals': () => fill((i) => `password${i} = "Zx8${(i * 7919).toString(36)}kQ2pLm9vT4rW${i}"\n`),
  'attribute chains': () => fill(() => `x = ${Array(200).fill('a').join('.')}\n`),
  'lambdas in lambdas': () => fill((i) => `f${i} = lambda x: (lambda y: (lambda z: z(y, x))(y))(x)\n`),
  comprehensions: () => fill((i) => `r${i} = [a for a in b if a for c in a if c for d in c]\n`),
  imports: () => fill((i) => `import mod${i}.sub${i} as m${i}\nm${i}.call(x)\n`),
  'one 2 MiB string': () => `x = "${'A'.repeat(CAP - 20)}"\n`,
  'try/except/pass': () => fill(() => `try:\n    a()\nexcept Exception:\n    pass\n`),
  'classes with eval': () => fill((i) => `class C${i}:\n    def m(self, x):\n        return self.n(x)\n    def n(self, x):\n        return eval(x)\n`),
  'one helper called everywhere': () => fill(() => `helper(request.args["a"])\n`, 'import os\nfrom flask import request\ndef helper(x):\n    os.system(x)\n'),
};

// The child: analyse one generated file as scanChange does (parse, scope model and rule walk, the file's data
// flow, the project-wide data flow), with a checkpoint that never stops but records when it is asked.
if (process.argv[2] === '--child') {
  const dist = (p) => import(join(ROOT, 'dist', p));
  const { pythonParser } = await dist('python/parser.js');
  const { prepareRules, parseFile, analyzeTree } = await dist('engine/analyze-file.js');
  const { applyDataFlow } = await dist('engine/flow-findings.js');
  const { ALL_RULES, selectRules } = await dist('rules/registry.js');
  const { DEFAULT_CONFIG: config } = await dist('config/schema.js');
  const text = GENERATORS[process.argv[3]]();
  const parser = await pythonParser();
  const active = prepareRules(selectRules(config), ALL_RULES, config);
  const asks = [];
  const ask = (phase) => () => asks.push({ at: performance.now(), phase });
  ask('start')();
  const parsed = parseFile(parser, { path: 'hostile.py', content: text }, config, active, ask('parse'));
  ask('parsed')(); // analyzeFile asks between parsing and the scope model
  const result = analyzeTree('hostile.py', parsed.tree, config, active, undefined, ask('tree'));
  ask('analysed')(); // scanChange asks before the project-wide data flow
  applyDataFlow([result], active.rules, config, active.isRuleWord);
  ask('end')();
  const tree = asks.filter((a) => a.phase === 'tree');
  const at = (phase) => asks.find((a) => a.phase === phase).at;
  const phases = {
    parse: at('parsed') - at('start'),
    'scope model': tree[0].at - at('parsed'),
    'rule walk': tree[tree.length - 1].at - tree[0].at,
    'file data flow': at('analysed') - tree[tree.length - 1].at,
    'project data flow': at('end') - at('analysed'),
  };
  // the phase of the stretch between two asks: where the later ask is, or what follows the earlier one
  const where = (a, b) => (b.phase === 'parse' || b.phase === 'parsed' ? 'parse' : a.phase === 'parsed' ? 'scope model' : b.phase === 'analysed' ? 'file data flow' : b.phase === 'end' ? 'project data flow' : 'rule walk');
  let worst = ['', 0];
  let walkMaxMs = 0;
  let parseMaxMs = 0;
  for (let i = 1; i < asks.length; i++) {
    const gap = asks[i].at - asks[i - 1].at;
    const phase = where(asks[i - 1], asks[i]);
    if (gap > worst[1]) worst = [phase, gap];
    if (phase === 'rule walk') walkMaxMs = Math.max(walkMaxMs, gap);
    if (phase === 'parse') parseMaxMs = Math.max(parseMaxMs, gap);
  }
  console.log(JSON.stringify({ bytes: Buffer.byteLength(text), lines: text.split('\n').length, totalMs: at('end') - at('start'), phases, walkMaxMs, parseMaxMs, worst, asks: asks.length }));
  process.exit(0);
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(GENERATORS);
const rows = [];
for (const name of names) {
  let result;
  try {
    result = JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--child', name], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 }).trim().split('\n').pop());
  } catch (err) {
    result = { error: (err.signal ? `killed (${err.signal}) after 600 s` : err.message).split('\n')[0] };
  }
  rows.push({ name, ...result });
  const s = (ms) => (ms / 1000).toFixed(1);
  console.log(result.error ? `${name}: ${result.error}` : `${name}: ${s(result.totalMs)} s in all, longest without an ask ${s(result.worst[1])} s (${result.worst[0]})`);
}

const s = (ms) => (ms / 1000).toFixed(1);
const table = rows.map((r) =>
  r.error
    ? `| ${r.name} | | | ${r.error} | | | | | |`
    : `| ${r.name} | ${r.lines.toLocaleString('en')} | ${s(r.totalMs)} | ${s(r.worst[1])} (${r.worst[0]}) | ${s(r.phases.parse)} | ${s(r.phases['scope model'])} | ${s(r.phases['rule walk'])} (${s(r.walkMaxMs)}) | ${s(r.phases['file data flow'])} | ${s(r.phases['project data flow'])} |`,
);
const worst = rows.filter((r) => !r.error).sort((a, b) => b.worst[1] - a.worst[1])[0];
const load = loadavg().map((l) => l.toFixed(1)).join(', ');
writeFileSync(
  join(ROOT, 'bench/HOSTILE-RESULTS.md'),
  `# One hostile file: how long it holds the CPU, and how late a stop is noticed

\`npm run bench:hostile\` (bench/hostile-files.mjs), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${platform()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average at the end ${load}.

Each file is one pattern repeated up to the default \`max_file_size\` (2 MiB), analysed alone in a fresh process the way a review
analyses a file (default config, data flow on). A review that times out or is superseded stops at the next time the scan asks
\`shouldStop\`: before each file, every 256 progress callbacks of tree-sitter while it parses (a few milliseconds), after parsing,
after the scope model, every 64 nodes of the rule walk, before the file's data flow and before the project-wide data flow.
"Longest without an ask" is how late such a review can notice, and in which phase; the scope model and the data flow (which keeps
to its own 1.5 s budget per file) are not cut further. Seconds; on a shared machine, runs of the same file differ by up to 2x.

| File (2 MiB) | Lines | Total | Longest without an ask | Parse | Scope model | Rule walk (longest 64 nodes) | File data flow | Project data flow |
|---|---:|---:|---|---:|---:|---:|---:|---:|
${table.join('\n')}

Worst: ${worst ? `${worst.name}, ${s(worst.worst[1])} s without an ask (${worst.worst[0]})` : 'none'}.
`,
);
console.log('wrote bench/HOSTILE-RESULTS.md');
