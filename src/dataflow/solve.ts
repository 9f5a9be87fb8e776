/**
 * The project-wide half of the analysis: every file's flows (analyze-flows.ts) are joined by function
 * summaries (which parameters reach the return value, which sources it returns, which parameters reach
 * which sinks), computed to a fixpoint, then each sink reached by a source becomes a flow with its path.
 * Summaries are applied per call site, so data given to a helper at one call never leaks out of another.
 */
import type { CallSiteData, EntryData, FileFlowData, FlowStepData, FunctionFlowData, SinkHitData } from './flow-types.js';
import { PARAMETER_EVIDENCE_RULES, RULE_SOURCE_KINDS } from './models/source-kinds.js';
import type { SourceKind, TaintRuleId } from './models/types.js';
import { BUILT, ruleBit } from './taint.js';

export interface GlobalStep extends FlowStepData {
  path: string;
}

type Origin = { k: 'source'; kind: SourceKind; description: string } | { k: 'param'; index: number };

/** Steps as a rope: joining two paths allocates one node, not a copy (paths are flattened only for findings). */
type Path = readonly GlobalStep[] | { a: Path; b: Path; n: number };

function pathLength(p: Path): number {
  return Array.isArray(p) ? p.length : (p as { n: number }).n;
}

function joinPaths(...parts: Path[]): Path {
  let out: Path = [];
  for (const p of parts) {
    if (pathLength(p) === 0) continue;
    out = pathLength(out) === 0 ? p : { a: out, b: p, n: pathLength(out) + pathLength(p) };
  }
  return out;
}

/** The steps of a path in order, long ones cut in the middle. */
function flatten(p: Path): GlobalStep[] {
  const out: GlobalStep[] = [];
  const stack: Path[] = [p];
  while (stack.length) {
    const top = stack.pop()!;
    if (Array.isArray(top)) out.push(...(top as GlobalStep[]));
    else {
      const j = top as { a: Path; b: Path };
      stack.push(j.b, j.a);
    }
  }
  return cap(out);
}

interface Expanded {
  origin: Origin;
  flags: number;
  steps: Path;
}

interface ParamSink {
  param: number;
  flags: number;
  steps: Path;
  sink: SinkHitData;
  path: string;
  /** The helper functions the flow goes through, outermost first. */
  via: string[];
}

interface Summary {
  retParams: Map<number, { flags: number; steps: Path }>;
  retSources: Expanded[];
  paramSinks: ParamSink[];
}

export interface TaintFlow {
  rule: TaintRuleId;
  path: string;
  sink: SinkHitData;
  source: { kind: SourceKind; description: string } | undefined;
  /** For parameter-only evidence: the function and parameter. */
  parameter?: { function: string; name: string };
  steps: GlobalStep[];
  via: string[];
}

export interface SolveResult {
  flows: TaintFlow[];
  /** Functions analysed without data flow (over budget), over all files. */
  overBudget: number;
  filesOverBudget: string[];
}

const EMPTY_SUMMARY: Summary = Object.freeze({ retParams: new Map(), retSources: [], paramSinks: [] }) as Summary;
const NO_SITES: number[] = Object.freeze([]) as unknown as number[];

const MAX_STEPS = 40;
const MAX_EXPANDED = 12;
/** Visits per function, on average, before the fixpoint gives up (recursion through many modules). */
const MAX_ITERATIONS = 8;
const PARAMETER_RULES = PARAMETER_EVIDENCE_RULES;
const KINDS = RULE_SOURCE_KINDS;

/** A file's step with its path (set once on the step object itself). */
function stepOf(path: string, step: FlowStepData): GlobalStep {
  const g = step as GlobalStep;
  g.path ??= path;
  return g;
}

function cap<T>(list: T[]): T[] {
  return list.length > MAX_STEPS ? [...list.slice(0, 8), ...list.slice(-(MAX_STEPS - 8))] : list;
}

interface FnRef {
  file: FileFlowData;
  fileIndex: number;
  fn: FunctionFlowData;
  fnIndex: number;
}

export function solveFlows(files: readonly FileFlowData[]): SolveResult {
  // Functions by qualified name; and by their last name, to find `app.db.run` for `from db import run` (a suffix).
  const exact = new Map<string, FnRef>();
  const byName = new Map<string, FnRef[]>();
  files.forEach((file, fileIndex) =>
    file.functions.forEach((fn, fnIndex) => {
      if (fnIndex === 0) return;
      const ref = { file, fileIndex, fn, fnIndex };
      exact.set(fn.key, ref);
      const name = fn.key.slice(fn.key.lastIndexOf('.') + 1);
      const list = byName.get(name);
      if (list) list.push(ref);
      else byName.set(name, [ref]);
    }),
  );
  /** The one function whose qualified name ends with `.qname` (none when several do). */
  const bySuffix = (qname: string): FnRef | undefined => {
    const matches = (byName.get(qname.slice(qname.lastIndexOf('.') + 1)) ?? []).filter((r) => r.fn.key.endsWith(`.${qname}`));
    return matches.length === 1 ? matches[0] : undefined;
  };
  const resolve = (file: FileFlowData, fileIndex: number, site: CallSiteData): FnRef | undefined => {
    if (site.local !== undefined) return { file, fileIndex, fn: file.functions[site.local], fnIndex: site.local };
    if (site.qname === undefined) return undefined;
    // `import lib` in bad/views.py is bad/lib.py (the script's own directory comes first on sys.path), not good/lib.py
    const pkg = /(^|\/)__init__\.pyi?$/.test(file.path) ? file.module : file.module.split('.').slice(0, -1).join('.');
    const sibling = pkg && !site.qname.startsWith(`${pkg}.`) ? exact.get(`${pkg}.${site.qname}`) : undefined;
    return sibling ?? exact.get(site.qname) ?? bySuffix(site.qname);
  };

  // Most functions have no summary, no caller and no call site: their entries stay the shared empty ones.
  const summaries: Summary[][] = files.map((f) => new Array<Summary>(f.functions.length).fill(EMPTY_SUMMARY));
  const callers = files.map((f) => new Uint32Array(f.functions.length));
  // Call sites by calling function
  const sitesOf: number[][][] = files.map((f) => new Array<number[]>(f.functions.length).fill(NO_SITES));
  const resolved: (FnRef | undefined)[][] = files.map((file, fi) =>
    file.calls.map((site, si) => {
      const sites = sitesOf[fi];
      if (site.fn < sites.length) {
        if (sites[site.fn] === NO_SITES) sites[site.fn] = [];
        sites[site.fn].push(si);
      }
      const callee = resolve(file, fi, site);
      if (callee) callers[callee.fileIndex][callee.fnIndex]++;
      return callee;
    }),
  );

  let memo = new Map<string, Expanded[]>();
  const visiting = new Set<string>();
  /** Steps of an entry, with its file's path: the step objects are the file's own, given the path once. */
  const stepsOf = (path: string, e: EntryData): GlobalStep[] => {
    const steps = e.steps as GlobalStep[];
    // Step objects are shared between a file's entries (common tails): each gets its path the first time.
    for (let i = 0; i < steps.length; i++) steps[i].path ??= path;
    return steps;
  };

  /** The arguments of a call site that a parameter of the callee receives. */
  const argsFor = (site: CallSiteData, callee: FunctionFlowData, param: number): EntryData[] => {
    const p = callee.params[param];
    if (!p) return [];
    if (p.kind === 'args') return site.args.slice(param).flat();
    if (p.kind === 'kwargs') {
      const named = new Set(callee.params.map((x) => x.name));
      return Object.entries(site.keywords).filter(([k]) => !named.has(k)).flatMap(([, v]) => v);
    }
    if (p.kind === 'positional' && param < site.args.length) return site.args[param];
    return site.keywords[p.name] ?? [];
  };

  const expandCall = (fi: number, si: number): Expanded[] => {
    const key = `${fi}:${si}`;
    const cached = memo.get(key);
    if (cached) return cached;
    if (visiting.has(key)) return [];
    visiting.add(key);
    const file = files[fi];
    const site = file.calls[si];
    const callStep = stepOf(file.path, site.step);
    const out: Expanded[] = [];
    const callee = resolved[fi][si];
    if (!callee) {
      // A function outside the scan: its result carries its arguments (as for any unmodelled call).
      for (const e of [...site.args.flat(), ...Object.values(site.keywords).flat()]) {
        for (const x of expand(fi, site.fn, e)) if (out.length < MAX_EXPANDED) out.push({ ...x, steps: joinPaths(x.steps, [callStep]) });
      }
    } else {
      const summary = summaries[callee.fileIndex][callee.fnIndex];
      for (const [param, inner] of summary.retParams) {
        for (const e of argsFor(site, callee.fn, param)) {
          for (const x of expand(fi, site.fn, e)) {
            if (out.length < MAX_EXPANDED) out.push({ origin: x.origin, flags: x.flags | inner.flags, steps: joinPaths(x.steps, [callStep], inner.steps) });
          }
        }
      }
      for (const s of summary.retSources) if (out.length < MAX_EXPANDED) out.push({ ...s, steps: joinPaths(s.steps, [callStep]) });
    }
    visiting.delete(key);
    memo.set(key, out);
    return out;
  };

  /** An entry of function `fn` of file `fi`, in terms of sources and that function's parameters. */
  const expand = (fi: number, fnIndex: number, e: EntryData): Expanded[] => {
    const file = files[fi];
    const label = file.labels[e.label];
    if (label.k === 'source') return [{ origin: label, flags: e.flags, steps: stepsOf(file.path, e) }];
    if (label.k === 'param') return label.fn === fnIndex ? [{ origin: { k: 'param', index: label.index }, flags: e.flags, steps: stepsOf(file.path, e) }] : [];
    const after = stepsOf(file.path, e);
    return expandCall(fi, label.site).map((x) => ({ origin: x.origin, flags: x.flags | e.flags, steps: joinPaths(x.steps, after) }));
  };

  const flows: TaintFlow[] = [];
  /**
   * One function's summary (collect = false) or its flows to report (collect = true), from its returns,
   * its sinks, and the parameter sinks of the functions it calls.
   */
  const visit = (fi: number, fnIndex: number, collect: boolean): Summary => {
    memo = new Map();
    const file = files[fi];
    const fn = file.functions[fnIndex];
    const summary: Summary = { retParams: new Map(), retSources: [], paramSinks: [] };
    if (!collect) {
      for (const e of fn.returns) {
        for (const x of expand(fi, fnIndex, e)) {
          if (x.origin.k === 'param') {
            if (!summary.retParams.has(x.origin.index)) summary.retParams.set(x.origin.index, { flags: x.flags, steps: x.steps });
          } else if (summary.retSources.length < MAX_EXPANDED) summary.retSources.push(x);
        }
      }
    }
    const reach = (x: Expanded, rule: TaintRuleId, sink: SinkHitData, path: string, steps: () => Path, via: string[]) => {
      if (x.flags & ruleBit(rule)) return;
      if (x.origin.k === 'param') {
        if (!collect && summary.paramSinks.length < 64 && !summary.paramSinks.some((p) => p.param === (x.origin as { index: number }).index && p.sink === sink)) {
          summary.paramSinks.push({ param: x.origin.index, flags: x.flags, steps: steps(), sink, path, via });
        }
      } else if (collect && KINDS[x.origin.kind].has(rule)) {
        flows.push({ rule, path, sink, source: { kind: x.origin.kind, description: x.origin.description }, steps: flatten(steps()), via });
      }
    };
    for (const sink of fn.sinks) {
      for (const e of sink.entries) {
        for (const x of expand(fi, fnIndex, e)) reach(x, sink.rule, sink, file.path, () => joinPaths(x.steps, [stepOf(file.path, sink.step)]), []);
      }
    }
    for (const si of sitesOf[fi][fnIndex] ?? []) {
      const callee = resolved[fi][si];
      if (!callee) continue;
      const paramSinks = summaries[callee.fileIndex][callee.fnIndex].paramSinks;
      if (!paramSinks.length) continue;
      const site = file.calls[si];
      const callStep = stepOf(file.path, site.step);
      for (const ps of paramSinks) {
        for (const e of argsFor(site, callee.fn, ps.param)) {
          for (const x of expand(fi, fnIndex, e)) {
            reach({ origin: x.origin, flags: x.flags | ps.flags, steps: x.steps }, ps.sink.rule, ps.sink, ps.path, () => joinPaths(x.steps, [callStep], ps.steps), [callee.fn.display, ...ps.via]);
          }
        }
      }
    }
    return summary;
  };

  // Summaries to a fixpoint with a worklist: a function is visited again when a function it calls changed.
  const callersOf = new Map<string, Set<string>>();
  files.forEach((file, fi) =>
    file.calls.forEach((site, si) => {
      const callee = resolved[fi][si];
      if (!callee) return;
      const k = `${callee.fileIndex}:${callee.fnIndex}`;
      let set = callersOf.get(k);
      if (!set) callersOf.set(k, (set = new Set()));
      set.add(`${fi}:${site.fn}`);
    }),
  );
  const sizeOf = (s: Summary) => s.retParams.size * 1_000_000 + s.retSources.length * 1_000 + s.paramSinks.length;
  const queue: [number, number][] = [];
  const queued = new Set<string>();
  // Functions with no return value, no sink and no call to a project function keep an empty summary.
  files.forEach((file, fi) => file.functions.forEach((fn, fnIndex) => (fn.returns.length || fn.sinks.length || sitesOf[fi][fnIndex].length ? queue.push([fi, fnIndex]) : 0)));
  for (const [fi, fnIndex] of queue) queued.add(`${fi}:${fnIndex}`);
  const maxVisits = queue.length * MAX_ITERATIONS;
  for (let head = 0; head < queue.length && head < maxVisits; head++) {
    const [fi, fnIndex] = queue[head];
    const key = `${fi}:${fnIndex}`;
    queued.delete(key);
    const before = sizeOf(summaries[fi][fnIndex]);
    const next = visit(fi, fnIndex, false);
    summaries[fi][fnIndex] = next;
    if (sizeOf(next) === before) continue;
    for (const caller of callersOf.get(key) ?? []) {
      if (queued.has(caller)) continue;
      queued.add(caller);
      const [a, b] = caller.split(':').map(Number);
      queue.push([a, b]);
    }
  }
  // Flows, with the final summaries
  files.forEach((file, fi) =>
    file.functions.forEach((fn, fnIndex) => {
      if (fn.sinks.length || sitesOf[fi][fnIndex]?.length) visit(fi, fnIndex, true);
    }),
  );

  // Parameter evidence alone: a public plain function nobody in the scan calls, building the string from its parameter.
  const reached = new Set(flows.map((f) => f.sink));
  files.forEach((file, fi) =>
    file.functions.forEach((fn, fnIndex) => {
      if (fn.entry || fn.internal || fn.called || callers[fi][fnIndex] > 0) return;
      for (const ps of summaries[fi][fnIndex].paramSinks) {
        if (reached.has(ps.sink) || !PARAMETER_RULES.has(ps.sink.rule) || !(ps.flags & BUILT)) continue;
        // A method's receiver (`self`, `cls`) is the object, not data its callers pass.
        if (ps.param === 0 && fn.receiver) continue;
        reached.add(ps.sink);
        flows.push({ rule: ps.sink.rule, path: ps.path, sink: ps.sink, source: undefined, parameter: { function: fn.display, name: fn.params[ps.param]?.name ?? '?' }, steps: flatten(ps.steps), via: ps.via });
      }
    }),
  );
  return {
    flows,
    overBudget: files.reduce((n, f) => n + f.overBudget, 0),
    filesOverBudget: files.filter((f) => f.fileOverBudget).map((f) => f.path),
  };
}
