/**
 * A ~1,000-link attribute chain (`os.path.x.x....(y)`) took 6-14 s: each level of the chain asked for the
 * object type of the chain beneath it, and each of those walked to the chain's root again. The work is
 * counted here (object types computed, chain links walked), never timed: it must grow linearly.
 */
import { analyzeFlows } from '../../src/dataflow/analyze-flows.js';
import { defaultModelIndex } from '../../src/dataflow/model-index.js';
import { parseSyntaxTree, pythonParser } from '../../src/python/parser.js';
import { Resolver } from '../../src/python/resolve.js';
import { buildFileModel, MODEL_NODE_TYPES } from '../../src/python/scopes.js';
import { analyzeProject } from '../helpers/analyze.js';

async function chainWork(text: string): Promise<number> {
  const parser = await pythonParser();
  const tree = parseSyntaxTree(parser, text, 1000, new Set([...MODEL_NODE_TYPES, 'call']));
  const model = buildFileModel(tree);
  const work = { chainLookups: 0 };
  analyzeFlows('chain.py', tree, model, new Resolver(model), defaultModelIndex(), { maxSteps: 10_000_000, fileMs: 1e12, now: () => 0, work });
  return work.chainLookups;
}

const CHAINS: [string, (n: number) => string][] = [
  ['a call on an imported module chain (module level, as sent)', (n) => `import os\ny = input()\nos.path${'.x'.repeat(n)}(y)\n`],
  ['an assignment from an imported chain', (n) => `import sys\nx = sys.argv${'.b'.repeat(n)}\n`],
  ['a request object chain', (n) => `from flask import request\n\ndef view():\n    return request.args${'.c'.repeat(n)}\n`],
];

describe('attribute chains cost linear work', () => {
  it.each(CHAINS)('%s: 4x the links, at most about 4x the lookups', async (_name, source) => {
    const small = await chainWork(source(200));
    const large = await chainWork(source(800));
    expect(small).toBeGreaterThan(200); // the counter counts
    expect(large / small).toBeLessThan(4.5); // quadratic would be 16
  });

  it('what a chain means is unchanged: request.args.get(...) into os.system is still PW102', async () => {
    const text = 'from flask import request\nimport os\n\ndef view():\n    os.system(request.args.get("cmd"))\n';
    const [result] = await analyzeProject([{ path: 'v.py', text }]);
    expect(result.findings.map((f) => `${f.location.startLine}:${f.ruleId}`)).toContain('5:PW102');
  });
});
