/**
 * The data-flow analysis of one parsed file, with the flow models its config asks for. (Running it in the
 * worker threads before they hand a tree over was measured slower on the stdlib: each thread compiles and
 * warms the analysis again and rebuilds the scope model.)
 */
import type { Config } from '../config/schema.js';
import { analyzeFlows, DEFAULT_FLOW_BUDGET } from '../dataflow/analyze-flows.js';
import type { FileFlowData } from '../dataflow/flow-types.js';
import { buildModelIndex, type ModelIndex } from '../dataflow/model-index.js';
import type { Resolver } from '../python/resolve.js';
import type { FileModel } from '../python/scopes.js';
import type { SyntaxTree } from '../python/syntax-tree.js';
import type { AnalysisError } from './types.js';

/** The flow models a config runs with: the shipped tables plus the team's own (`dataflow:` keys). */
export function modelIndexFor(config: Pick<Config, 'dataflow'>): ModelIndex {
  let index = modelIndexes.get(config.dataflow);
  if (!index) {
    const { sources, sinks, sanitizers } = config.dataflow;
    index = buildModelIndex(undefined, {
      sources,
      sinks,
      sanitizers: sanitizers.map((s) => (typeof s === 'string' ? { name: s, rules: 'all' as const } : { name: s.name, rules: s.rules })),
    });
    modelIndexes.set(config.dataflow, index);
  }
  return index;
}
const modelIndexes = new WeakMap<Config['dataflow'], ModelIndex>();

/** The file's flows; a failure is the file's internal error (the other rules still ran), not the scan's. */
export function treeFlows(path: string, tree: SyntaxTree, model: FileModel, resolver: Resolver, config: Config, errors: AnalysisError[]): FileFlowData | undefined {
  try {
    return analyzeFlows(path, tree, model, resolver, modelIndexFor(config), { ...DEFAULT_FLOW_BUDGET, now: () => performance.now() });
  } catch (err) {
    errors.push({ path, kind: 'internal', message: `data-flow analysis failed: ${(err as Error).message}` });
    return undefined;
  }
}
