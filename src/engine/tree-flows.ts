/**
 * The data-flow analysis of one parsed file, with the flow models its config asks for. The main thread runs
 * it with the rules; a worker thread runs it on a tree it parsed only while the main thread is behind
 * (`flowsOfTree`, src/cli/worker.ts): running it in the workers for every file was measured slower on the
 * stdlib (each thread warms the analysis and rebuilds the scope model, and the workers became the
 * bottleneck), running it only on the main thread left the worker idle for the last third of the scan.
 */
import type { Config } from '../config/schema.js';
import { analyzeFlows, DEFAULT_FLOW_BUDGET } from '../dataflow/analyze-flows.js';
import type { FileFlowData } from '../dataflow/flow-types.js';
import { buildModelIndex, type ModelIndex } from '../dataflow/model-index.js';
import { Resolver } from '../python/resolve.js';
import { buildFileModel, type FileModel } from '../python/scopes.js';
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

/** A file's flows computed apart from its rules (in a worker thread): the data and the errors of the analysis. */
export interface TreeFlowResult {
  flows: FileFlowData | undefined;
  errors: AnalysisError[];
}

/** The flows of a parsed file on their own: its scope model is built for them (and again for the rules). */
export function flowsOfTree(path: string, tree: SyntaxTree, config: Config): TreeFlowResult {
  const errors: AnalysisError[] = [];
  try {
    const model = buildFileModel(tree);
    return { flows: treeFlows(path, tree, model, new Resolver(model), config, errors), errors };
  } catch (err) {
    return { flows: undefined, errors: [{ path, kind: 'internal', message: `data-flow analysis failed: ${(err as Error).message}` }] };
  }
}
