// Where pyward's time goes, single-threaded and in-process, on a list of files: tree-sitter parsing alone,
// then the copy into JS and the scope model, then everything with all rules. CPU-bound phases only (the
// files are read first). Used by bench/run.mjs; also runnable: node bench/phases.mjs FILE...
import { readFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../dist/config/schema.js';
import { analyzeFile, prepareRules } from '../dist/engine/analyze-file.js';
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
  return {
    parse: time((text) => parse(parser, text).delete()),
    model: time((text) => buildFileModel(parseSyntaxTree(parser, text, 1000, active.collect))),
    all: time((text) => analyzeFile(parser, { path: 'x.py', content: text }, DEFAULT_CONFIG, active)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const p = await measurePhases(process.argv.slice(2));
  console.log(`parse ${p.parse.toFixed(2)} s; + copy and scope model ${p.model.toFixed(2)} s; + all rules ${p.all.toFixed(2)} s`);
}
