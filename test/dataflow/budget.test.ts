/** Hostile code must not stall a scan: over its step or time budget, a function or file goes without data flow, counted. */
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { analyzeFlows } from '../../src/dataflow/analyze-flows.js';
import { defaultModelIndex } from '../../src/dataflow/model-index.js';
import { parseSyntaxTree, pythonParser } from '../../src/python/parser.js';
import { Resolver } from '../../src/python/resolve.js';
import { buildFileModel, MODEL_NODE_TYPES } from '../../src/python/scopes.js';
import { analyzeProject } from '../helpers/analyze.js';

/** A view with `n` statements that build a command from a request value, then run it. */
function longView(n: number): string {
  return ['from flask import request', 'import os', '', 'def view():', '    acc = request.args["a"]', ...Array.from({ length: n }, () => '    acc = acc + "x"'), '    os.system(acc)', ''].join('\n');
}

/** Nested loops, each assigning from a request value (the loop fixpoint must not multiply with depth). */
function nestedLoops(depth: number): string {
  const lines = ['from flask import request', 'import os', '', 'def view():', '    acc = request.args["a"]'];
  for (let i = 0; i < depth; i++) lines.push(`${'    '.repeat(i + 1)}for v${i} in range(3):`, `${'    '.repeat(i + 2)}acc = acc + str(v${i})`);
  lines.push(`${'    '.repeat(depth + 1)}os.system(acc)`, '', 'def ok(cmd):', '    return cmd.strip()', '');
  return lines.join('\n');
}

describe('data-flow budgets', () => {
  it('a function over its step budget is left without data flow and counted; the other rules still run', async () => {
    const results = await analyzeProject([{ path: 'hostile.py', text: longView(70_000) }]);
    const ids = results[0].findings.map((f) => f.ruleId);
    expect(ids).toContain('B605'); // Bandit's check of the same call still runs
    expect(ids).not.toContain('PW102');
    expect(results[0].errors.filter((e) => e.kind === 'internal')).toEqual([]);
  });

  it('counts the function over budget', async () => {
    const parser = await pythonParser();
    const tree = parseSyntaxTree(parser, longView(300), 1000, new Set([...MODEL_NODE_TYPES, 'call']));
    const model = buildFileModel(tree);
    const flows = analyzeFlows('hostile.py', tree, model, new Resolver(model), defaultModelIndex(), { maxSteps: 1_000, fileMs: 60_000, now: () => performance.now() });
    expect(flows.overBudget).toBe(1);
    expect(flows.fileOverBudget).toBe(false);
    expect(flows.functions[1].sinks).toEqual([]);
  });

  it('deeply nested loops do not multiply the work', async () => {
    const started = Date.now();
    const results = await analyzeProject([{ path: 'loops.py', text: nestedLoops(20) }]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(results[0].findings.map((f) => f.ruleId)).toContain('PW102');
  });

  it('a file over its time budget stops where the budget ran out, and says so', async () => {
    const parser = await pythonParser();
    const text = Array.from({ length: 50 }, (_, i) => `def f${i}(a):\n    return a.strip()\n`).join('\n');
    const tree = parseSyntaxTree(parser, text, 1000, new Set([...MODEL_NODE_TYPES, 'call']));
    const model = buildFileModel(tree);
    let clock = 0;
    const flows = analyzeFlows('slow.py', tree, model, new Resolver(model), defaultModelIndex(), { maxSteps: 200_000, fileMs: 10, now: () => (clock += 1) });
    expect(flows.fileOverBudget).toBe(true);
    expect(flows.overBudget).toBeGreaterThan(30);
  });

  it('a normal nested loop is analysed within the budget', async () => {
    const results = await analyzeProject([{ path: 'fine.py', text: nestedLoops(3) }], DEFAULT_CONFIG);
    expect(results[0].findings.map((f) => f.ruleId)).toContain('PW102');
  });
});
