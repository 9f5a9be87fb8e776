/**
 * Data-flow findings for a set of analysed files: the project-wide solver's flows become PW1xx findings
 * (with their path, `# nosec` and the config's thresholds applied), and the Bandit findings on the same
 * calls are marked as covered, so reviews show one entry per problem while JSON and SARIF keep both.
 */
import type { Config } from '../config/schema.js';
import type { FileFlowData } from '../dataflow/flow-types.js';
import { solveFlows, type GlobalStep, type TaintFlow } from '../dataflow/solve.js';
import { fingerprintAll } from '../report/fingerprints.js';
import type { Rule } from '../rules/rule.js';
import { nosecApplies, parseNosec, suppressionRecord } from './suppressions.js';
import { confidenceRank, severityRank, SEVERITIES, type Confidence, type FileResult, type Finding, type FlowStep, type ScanStats, type Severity, type SuppressedFinding } from './types.js';

const KIND_WORDS = { remote: 'untrusted data', local: 'command-line input', environment: 'an environment variable' } as const;

function code(label: string): string {
  return `\`${label.replace(/`/g, "'")}\``;
}

/** `line 12` when the whole flow is in one file, else `path:12` for every step. */
function place(step: GlobalStep, flow: TaintFlow): string {
  return flow.steps.every((s) => s.path === flow.path) ? `line ${step.line}` : `${step.path}:${step.line}`;
}

function toStep(s: GlobalStep): FlowStep {
  return { location: { path: s.path, startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn }, label: s.label };
}

function message(flow: TaintFlow, rule: Rule): string {
  const sink = flow.steps[flow.steps.length - 1];
  const via = flow.via.length ? ` through ${flow.via.map((v) => code(v)).join(' and ')}` : '';
  const danger = rule.dataflow?.danger ?? 'is used unsafely';
  if (!flow.source) {
    const p = flow.parameter!;
    return `Parameter ${code(p.name)} of ${code(p.function)} is built into the value that reaches ${code(sink.label)} (${place(sink, flow)})${via} and ${danger}. No caller in the scanned code passes untrusted data to it, so this is reported with low confidence: check what its callers pass.`;
  }
  const origin = flow.steps[0];
  return `${KIND_WORDS[flow.source.kind][0].toUpperCase()}${KIND_WORDS[flow.source.kind].slice(1)} from ${code(origin.label)} (${place(origin, flow)}: ${flow.source.description.replace(/\s+\(.*$/, '')}) reaches ${code(sink.label)} (${place(sink, flow)})${via} and ${danger}.`;
}

function lower(s: Severity): Severity {
  return SEVERITIES[Math.max(0, severityRank(s) - 1)];
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/**
 * A flow is better than another for the same sink: one through code the change touched (in a review), then
 * a remote source, then a shorter path.
 */
function better(a: TaintFlow, b: TaintFlow, preferred: (path: string) => boolean): boolean {
  const touched = (f: TaintFlow) => (f.steps.some((s) => preferred(s.path)) ? 0 : 1);
  if (touched(a) !== touched(b)) return touched(a) < touched(b);
  const rank = (f: TaintFlow) => (f.source ? (f.source.kind === 'remote' ? 0 : f.source.kind === 'local' ? 1 : 2) : 3);
  return rank(a) !== rank(b) ? rank(a) < rank(b) : a.steps.length < b.steps.length;
}

/**
 * Runs the solver over the results' flows and adds the findings to the results (in place). Returns the
 * data-flow statistics for the review's stats. `report` limits the sinks reported to some files; of several
 * flows to one sink, one through a `preferred` file is shown (a review prefers the changed files).
 */
export function applyDataFlow(results: FileResult[], rules: readonly Rule[], config: Config, isRuleWord: (w: string) => boolean, report: (path: string) => boolean = () => true, preferred: (path: string) => boolean = () => false): ScanStats['dataflow'] {
  const files = results.map((r) => r.flows).filter((f): f is FileFlowData => f !== undefined);
  for (const r of results) delete r.flows;
  if (!files.length) return config.dataflow.enabled ? { functionsOverBudget: 0, filesOverBudget: [] } : undefined;
  const solved = solveFlows(files);
  const byId = new Map(rules.filter((r) => r.dataflow).map((r) => [r.meta.id, r]));
  // One flow per sink and rule: the best one.
  const best = new Map<string, TaintFlow>();
  for (const flow of solved.flows) {
    if (!byId.has(flow.rule) || !report(flow.path)) continue;
    const key = `${flow.rule}\u0000${flow.path}\u0000${flow.sink.line}:${flow.sink.column}`;
    const prev = best.get(key);
    if (!prev || better(flow, prev, preferred)) best.set(key, flow);
  }
  const resultByPath = new Map(results.map((r) => [r.path, r]));
  const fileByPath = new Map(files.map((f) => [f.path, f]));
  const minSeverity = severityRank(config.min_severity);
  const minConfidence = confidenceRank(config.min_confidence);
  const added = new Map<FileResult, { finding: Omit<Finding, 'fingerprint'>; suppressedBy?: { comment: string; line: number } }[]>();
  // A file's Bandit findings and suppressed findings, by line (the lists do not change until every flow is placed).
  const indexed = new Map<FileResult, [LineIndex<Finding>, LineIndex<SuppressedFinding>]>();

  for (const flow of best.values()) {
    const rule = byId.get(flow.rule)!;
    const result = resultByPath.get(flow.path);
    if (!result) continue;
    const sink = flow.sink;
    const stepLines = new Set(flow.steps.filter((st) => st.path === flow.path).map((st) => st.line));
    let indexes = indexed.get(result);
    if (!indexes) indexed.set(result, (indexes = [byStartLine(result.findings), byStartLine(result.suppressed)]));
    const covers = rule.dataflow!.covers;
    const covered = indexes.flatMap((index) => startingOn(index, sink.line, sink.endLine, stepLines).filter((f) => covers.includes(f.ruleId)));
    let severity: Severity = rule.meta.severity;
    let confidence: Confidence = rule.meta.confidence;
    if (!flow.source) {
      severity = lower(severity);
      confidence = 'low';
      for (const b of covered) severity = maxSeverity(severity, b.severity);
    } else {
      if (flow.source.kind === 'environment') confidence = 'low';
      else if (flow.source.kind === 'local' && confidence === 'high') confidence = 'medium';
    }
    const finding: Omit<Finding, 'fingerprint'> = {
      ruleId: rule.meta.id,
      ruleName: rule.meta.name,
      message: message(flow, rule),
      severity,
      confidence,
      cwe: rule.meta.cwe,
      location: { path: flow.path, startLine: sink.line, startColumn: sink.column, endLine: sink.endLine, endColumn: sink.endColumn },
      snippet: sink.snippet,
      flow: flow.steps.map(toStep),
      ...(covered.length ? { covers: [...new Set(covered.map((b) => b.ruleId))].sort() } : {}),
      // One comment for the problem: it carries the mechanical fix of the Bandit finding it covers (`yaml.safe_load`).
      ...(covered.find((b) => b.fix?.edit)?.fix ? { fix: covered.find((b) => b.fix?.edit)!.fix! } : {}),
      properties: {
        sink: sink.description,
        ...(flow.source ? { source: flow.source.description, sourceKind: flow.source.kind } : { parameter: flow.parameter }),
        ...(flow.via.length ? { through: flow.via } : {}),
      },
    };
    if (severityRank(finding.severity) < minSeverity || confidenceRank(finding.confidence) < minConfidence) continue;
    // `# nosec` on any line of the sink's statement, naming this rule or a Bandit rule it covers.
    let suppressedBy: SuppressedFinding['suppression'] | undefined;
    if (config.suppressions.nosec) {
      const comments = fileByPath.get(flow.path)?.nosec ?? {};
      for (let line = Math.min(sink.stmtStart, sink.line); line <= Math.max(sink.stmtEnd, sink.line) && !suppressedBy; line++) {
        const text = comments[line];
        const nosec = text ? parseNosec(text, isRuleWord) : undefined;
        if (!nosec) continue;
        if (nosecApplies(nosec, rule.meta.id, rule.meta.name) || (finding.covers ?? []).some((id) => nosecApplies(nosec, id, byIdName(rules, id)))) suppressedBy = suppressionRecord(nosec, line);
      }
    }
    // Reported: the Bandit findings on the same call are shown through it (and take its severity when the data is untrusted).
    if (!suppressedBy) {
      for (const b of covered) {
        if (flow.source) b.severity = maxSeverity(b.severity, severity);
        b.coveredBy = rule.meta.id;
      }
    }
    const list = added.get(result) ?? [];
    list.push({ finding, ...(suppressedBy ? { suppressedBy } : {}) });
    added.set(result, list);
  }

  for (const [result, list] of added) {
    list.sort((a, b) => a.finding.location.startLine - b.finding.location.startLine || a.finding.location.startColumn - b.finding.location.startColumn);
    const prints = fingerprintAll(list.map((x) => ({ ruleId: x.finding.ruleId, path: x.finding.location.path, code: x.finding.snippet })));
    list.forEach((x, i) => {
      const finding: Finding = { ...x.finding, fingerprint: prints[i] };
      if (x.suppressedBy) result.suppressed.push({ ...finding, suppression: x.suppressedBy });
      else result.findings.push(finding);
    });
    result.findings.sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn || a.ruleId.localeCompare(b.ruleId));
  }
  return { functionsOverBudget: solved.overBudget, filesOverBudget: solved.filesOverBudget };
}

/**
 * Findings by start line, to find the ones a flow covers without scanning the file's list for every flow (a
 * generated module of thousands of views, each a flow and a Bandit finding, took minutes that way).
 */
interface LineIndex<T> {
  list: T[];
  /** line -> positions in `list`, ascending */
  at: Map<number, number[]>;
  /** the lines of `at`, ascending */
  lines: number[];
}

function byStartLine<T extends Finding>(list: T[]): LineIndex<T> {
  const at = new Map<number, number[]>();
  list.forEach((f, i) => {
    const positions = at.get(f.location.startLine);
    if (positions) positions.push(i);
    else at.set(f.location.startLine, [i]);
  });
  return { list, at, lines: [...at.keys()].sort((a, b) => a - b) };
}

/** The findings starting on a line from `from` to `to` or on one of `also`, in their list's order. */
function startingOn<T>(index: LineIndex<T>, from: number, to: number, also: ReadonlySet<number>): T[] {
  const picked = new Set<number>();
  let lo = 0;
  let hi = index.lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index.lines[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < index.lines.length && index.lines[i] <= to; i++) for (const p of index.at.get(index.lines[i])!) picked.add(p);
  for (const line of also) for (const p of index.at.get(line) ?? []) picked.add(p);
  return [...picked].sort((a, b) => a - b).map((p) => index.list[p]);
}

function byIdName(rules: readonly Rule[], id: string): string {
  return rules.find((r) => r.meta.id === id)?.meta.name ?? id;
}
