// Where pyward's time goes, single-threaded and in-process, on a list of files: tree-sitter parsing alone,
// then the copy into JS and the scope model, then everything with all rules. CPU-bound phases only (the
// files are read first). Used by bench/run.mjs; also runnable: node bench/phases.mjs FILE...
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../dist/config/schema.js';
import { analyzeFile, prepareRules } from '../dist/engine/analyze-file.js';
import { solveFlows } from '../dist/dataflow/solve.js';
import { parse, parseSyntaxTree, pythonParser } from '../dist/python/parser.js';
import { buildFileModel } from '../dist/python/scopes.js';
import { ALL_RULES } from '../dist/rules/registry.js';

export async function measurePhases(paths) {
  const texts = paths.map((p) => readFileSync(p, 'utf8'));
  const parser = await pythonParser();
  const active = prepareRules(ALL_RULES, ALL_RULES);
  const time = (fn) => {
    const t = performance.now();
    for (const text of texts) fn(text);
    return (performance.now() - t) / 1000;
  };
  time((text) => parse(parser, text).delete()); // warm-up: JIT and WASM
  const withoutFlows = prepareRules(ALL_RULES.filter((r) => !r.dataflow), ALL_RULES);
  // Data flow: each file's analysis (the slowest file is what a per-file budget must cover) and the project-wide solver
  let slowest = { path: '', ms: 0 };
  const flows = [];
  const allWithFlows = (() => {
    const t = performance.now();
    texts.forEach((text, i) => {
      const f0 = performance.now();
      const r = analyzeFile(parser, { path: paths[i], content: text }, DEFAULT_CONFIG, active);
      const ms = performance.now() - f0;
      if (ms > slowest.ms) slowest = { path: paths[i], ms };
      if (r.flows) flows.push(r.flows);
    });
    return (performance.now() - t) / 1000;
  })();
  const s0 = performance.now();
  solveFlows(flows);
  const solve = (performance.now() - s0) / 1000;
  return {
    parse: time((text) => parse(parser, text).delete()),
    model: time((text) => buildFileModel(parseSyntaxTree(parser, text, 1000, active.collect))),
    all: time((text) => analyzeFile(parser, { path: 'x.py', content: text }, DEFAULT_CONFIG, withoutFlows)),
    allWithFlows,
    solve,
    slowest,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = await measurePhases(process.argv.slice(2));
  console.log(`parse ${p.parse.toFixed(2)} s; + copy and scope model ${p.model.toFixed(2)} s; + all rules ${p.all.toFixed(2)} s; + data flow per file ${p.allWithFlows.toFixed(2)} s, solver ${p.solve.toFixed(2)} s; slowest file ${p.slowest.ms.toFixed(0)} ms (${p.slowest.path})`);
}
