/**
 * One Python file -> findings. Pure apart from the parser it is handed: decode, parse, model the scopes,
 * walk the tree once dispatching nodes to the rules that asked for them, then apply `# nosec` and the
 * config's thresholds.
 */
import { redactSnippet } from './redact-secrets.js';
import type { Parser } from 'web-tree-sitter';
import { DEFAULT_CONFIG, type Config } from '../config/schema.js';
import { cutError, parseFile, type AnalyzeInput } from './parse-file.js';
import { Resolver, type Arg, type CallInfo, type ConstValue } from '../python/resolve.js';
import { buildFileModel, MODEL_NODE_TYPES, SCOPE_NODE_TYPES, type FileModel, type Scope } from '../python/scopes.js';
import { stringLiteral, type StringLiteral } from '../python/strings.js';
import type { SyntaxNode as Node, SyntaxTree } from '../python/syntax-tree.js';
import { treeFlows } from './tree-flows.js';
import { fingerprintAll } from '../report/fingerprints.js';
import { ruleFinding, type ReportOptions, type Rule, type RuleContext, type Visitor } from '../rules/rule.js';
import { NO_PROJECT_FACTS, type ProjectFacts } from '../rules/settings/project.js';
import { nosecApplies, parseNosec, suppressionRecord, type Nosec } from './suppressions.js';
import { confidenceRank, severityRank, type AnalysisError, type FileResult, type Finding, type SuppressedFinding } from './types.js';

export { MAX_TREE_DEPTH, parseFile, type AnalyzeInput } from './parse-file.js';

/** A rule's visitor for one node type; `index` is the rule's place in `ActiveRules.rules`. */
export interface RuleVisitor {
  rule: Rule;
  visit: Visitor;
  index: number;
}

export interface ActiveRules {
  rules: readonly Rule[];
  /** `call` visitors by the names they declared (`Rule.callNames`), and those that see every call. */
  calls: {
    byName: Map<string, RuleVisitor[]>;
    any: RuleVisitor[];
    /** `byName` with `any` in front: what a call of that name is shown to. */
    withAny: Map<string, RuleVisitor[]>;
    /** `call` visitors by the keyword arguments they declared (`Rule.callKeywords`; `'*'`: any keyword). */
    byKeyword: Map<string, RuleVisitor[]>;
  };
  /** Node types the scope model and the rules read: the tree copy lists them in document order. */
  collect: ReadonlySet<string>;
  byType: Map<string, RuleVisitor[]>;
  /** `byType` and scope-ness by tree-sitter type id, filled in as the walk meets each type. */
  kindByTypeId: ({ call: boolean; visitors: RuleVisitor[] | undefined; scope: boolean } | undefined)[];
  isRuleWord: (word: string) => boolean;
  /** Some data-flow rule (PW101-PW110) is selected. */
  dataflow: boolean;
}

/** The options a rule runs with: its defaults overlaid with the config's `rules.options.<ID>`. */
export function ruleOptions(rule: Rule, config: Pick<Config, 'rules'>): Record<string, unknown> {
  let byRule = optionsCache.get(config.rules);
  if (!byRule) {
    byRule = new Map();
    optionsCache.set(config.rules, byRule);
  }
  let options = byRule.get(rule);
  if (!options) {
    options = { ...rule.meta.options, ...config.rules.options[rule.meta.id] };
    byRule.set(rule, options);
  }
  return options;
}

/** Options per rule, computed once per config (not once per file). */
const optionsCache = new WeakMap<Config['rules'], Map<Rule, Record<string, unknown>>>();

/** Index the rules by the node types they visit, once per scan. */
export function prepareRules(rules: readonly Rule[], allRules: readonly Rule[] = rules, config: Pick<Config, 'rules'> = DEFAULT_CONFIG): ActiveRules {
  const byType = new Map<string, RuleVisitor[]>();
  const calls: ActiveRules['calls'] = { byName: new Map(), any: [], withAny: new Map(), byKeyword: new Map() };
  for (const [index, rule] of rules.entries()) {
    for (const [type, visit] of Object.entries(rule.visit)) {
      if (!visit) continue;
      if (type === 'call') {
        const names = typeof rule.callNames === 'function' ? rule.callNames(ruleOptions(rule, config)) : rule.callNames;
        const entry = { rule, visit, index };
        if (!names && !rule.callKeywords) calls.any.push(entry);
        for (const name of new Set(names ?? [])) calls.byName.set(name, [...(calls.byName.get(name) ?? []), entry]);
        for (const keyword of new Set(rule.callKeywords ?? [])) calls.byKeyword.set(keyword, [...(calls.byKeyword.get(keyword) ?? []), entry]);
      }
      const list = byType.get(type) ?? [];
      list.push({ rule, visit, index });
      byType.set(type, list);
    }
  }
  for (const [name, list] of calls.byName) calls.withAny.set(name, [...new Set([...calls.any, ...list])]);
  const words = new Set<string>(['B001']);
  for (const r of allRules) {
    words.add(r.meta.id.toUpperCase());
    words.add(r.meta.name.toLowerCase());
  }
  // Data flow reads every call of a function to decide how to analyse it (dataflow/analyze-flows.ts).
  const collect = new Set([...MODEL_NODE_TYPES, ...Object.keys(SCOPE_NODE_TYPES), ...byType.keys(), ...(rules.some((r) => r.dataflow) ? ['call', 'return_statement', 'yield'] : [])]);
  return { rules, byType, calls, collect, kindByTypeId: [], isRuleWord: (w) => words.has(w.toUpperCase()) || words.has(w.toLowerCase()), dataflow: rules.some((r) => r.dataflow) };
}

interface RawFinding extends Omit<Finding, 'fingerprint' | 'snippet'> {
  stmtStartLine: number;
  stmtEndLine: number;
}

const STATEMENT_PARENTS = new Set(['module', 'block']);

/** Lines of the statement that holds `node`: the whole simple statement, or the header of a compound one. */
function statementLines(node: Node): [number, number] {
  let stmt: Node = node;
  while (stmt.parent && !STATEMENT_PARENTS.has(stmt.parent.type)) stmt = stmt.parent;
  const start = stmt.startPosition.row;
  let end = stmt.endPosition.row;
  for (const child of stmt.children) {
    if (child?.type === 'block') {
      end = Math.max(start, child.startPosition.row - (child.startPosition.row > start ? 1 : 0));
      break;
    }
  }
  return [start + 1, Math.max(end, node.endPosition.row) + 1];
}

/**
 * Called while tree-sitter parses (every few milliseconds), between the phases of a file's analysis and every
 * {@link CHECKPOINT_NODES} nodes of its walk; it throws to stop the analysis (a review that timed out or was superseded, see scan-change.ts). The analysis
 * is synchronous: nothing else can interrupt one file.
 */
export type Checkpoint = () => void;

/** Nodes of the walk between two checkpoints: one clock read per 64 nodes costs nothing measurable. */
export const CHECKPOINT_NODES = 64;

/** `project`: what the scan knows beyond this file (project-facts.ts); without it each file is judged alone. */
export function analyzeFile(parser: Parser, input: AnalyzeInput, config: Config, active: ActiveRules, project: ProjectFacts = NO_PROJECT_FACTS, checkpoint?: Checkpoint): FileResult {
  const parsed = parseFile(parser, input, config, active, checkpoint);
  if ('result' in parsed) return parsed.result;
  checkpoint?.();
  return analyzeTree(input.path, parsed.tree, config, active, project, checkpoint);
}

/** The second half of `analyzeFile`: scopes, rules, suppressions and thresholds on a parsed file. */
export function analyzeTree(path: string, tree: SyntaxTree, config: Config, active: ActiveRules, project: ProjectFacts = NO_PROJECT_FACTS, checkpoint?: Checkpoint): FileResult {
  const text = tree.source;
  const model = buildFileModel(tree);
  checkpoint?.();
  const errors: AnalysisError[] = [];
  const cut = cutError(path, tree);
  if (cut) errors.push(cut);
  if (model.syntaxErrors.length) {
    const first = model.syntaxErrors[0];
    const more = model.syntaxErrors.length > 1 ? ` (and ${model.syntaxErrors.length - 1} more)` : '';
    errors.push({
      path,
      kind: 'syntax',
      line: first.row + 1,
      column: first.column + 1,
      message: `syntax error at line ${first.row + 1}: ${first.message}${more}; the rest of the file was still checked`,
    });
  }
  const file = new FileState(path, text, model, project);
  const contexts: (RuleContext | undefined)[] = new Array(active.rules.length);
  const contextFor = (rule: Rule, index: number): RuleContext => (contexts[index] ??= new Context(file, rule, ruleOptions(rule, config)));

  active.rules.forEach((rule, index) => rule.file?.(contextFor(rule, index)));

  const { resolver } = file;
  const { byType, calls } = active;
  /** The `call` visitors that may care about this call: those declaring its name, and those seeing all. */
  const callVisitors = (node: Node): RuleVisitor[] => {
    const info = resolver.call(node, file.scope);
    const last = info.qname?.slice(info.qname.lastIndexOf('.') + 1);
    const byQname = last !== undefined ? calls.withAny.get(last) : undefined;
    const byName = info.name !== last ? calls.withAny.get(info.name) : undefined;
    let visitors = !byName || byName === byQname ? (byQname ?? calls.any) : !byQname ? byName : [...new Set([...byQname, ...byName])];
    if (info.keywords.size && calls.byKeyword.size) {
      let extra: RuleVisitor[] | undefined;
      for (const [keyword, list] of calls.byKeyword) if (keyword === '*' || info.keywords.has(keyword)) (extra ??= []).push(...list);
      if (extra) visitors = [...new Set([...visitors, ...extra])];
    }
    return visitors;
  };

  // One pass over the collected nodes in document order; a scope ends where its node ends. A node object is
  // made only for nodes some rule visits.
  const scopeStack: { end: number; scope: Scope }[] = [];
  const ids = tree.orderedIds;
  const { typeId: typeIds, start: starts } = tree;
  const kinds = active.kindByTypeId;
  for (let k = 0; k < ids.length; k++) {
    if (checkpoint && k % CHECKPOINT_NODES === CHECKPOINT_NODES - 1) checkpoint();
    const id = ids[k];
    const start = starts[id];
    while (scopeStack.length && start >= scopeStack[scopeStack.length - 1].end) file.scope = scopeStack.pop()!.scope;
    const typeId = typeIds[id];
    // What the walk does with a node type (looked up by name once per scan, then by number).
    let kind = kinds[typeId];
    if (kind === undefined) {
      const type = tree.typeOf(id);
      kind = kinds[typeId] = { call: type === 'call', visitors: byType.get(type), scope: SCOPE_NODE_TYPES[type] !== undefined };
    }
    if (!kind.visitors && !kind.scope) continue;
    const visitors = kind.call ? callVisitors(tree.node(id)!) : kind.visitors;
    if (visitors) {
      const node = tree.node(id)!;
      for (const { rule, visit, index } of visitors) {
        try {
          visit(node, contextFor(rule, index));
        } catch (err) {
          errors.push({ path, kind: 'internal', line: node.startPosition.row + 1, message: `rule ${rule.meta.id} failed: ${(err as Error).message}` });
        }
      }
    }
    if (kind.scope) {
      const scope = model.scopes.get(id);
      if (scope) {
        scopeStack.push({ end: tree.end[id], scope: file.scope });
        file.scope = scope;
      }
    }
  }

  checkpoint?.();
  // Data flow keeps to its own time budget per file (dataflow/analyze-flows.ts).
  const flows = active.dataflow && config.dataflow.enabled ? treeFlows(path, tree, model, file.resolver, config, errors) : undefined;
  return { path, analysed: true, lines: tree.lineCount, errors, ...finalise(file.raw, tree, model.comments, config, active), ...(flows ? { flows } : {}) };
}

/** What every rule's context shares for one file. */
class FileState {
  readonly resolver: Resolver;
  readonly raw: RawFinding[] = [];
  /** The scope of the node being visited. */
  scope: Scope;
  constructor(
    readonly path: string,
    readonly text: string,
    readonly model: FileModel,
    readonly project: ProjectFacts,
  ) {
    this.resolver = new Resolver(model);
    this.scope = model.module;
  }
}

/** One rule's view of a file: resolves in the current scope and reports under the rule's id. */
class Context implements RuleContext {
  constructor(
    private readonly file: FileState,
    private readonly rule: Rule,
    readonly options: Record<string, unknown>,
  ) {}
  get path(): string {
    return this.file.path;
  }
  get text(): string {
    return this.file.text;
  }
  get scope(): Scope {
    return this.file.scope;
  }
  get project(): ProjectFacts {
    return this.file.project;
  }
  get comments(): ReadonlyMap<number, string> {
    return this.file.model.comments;
  }
  private arg(a: Node | Arg): Arg {
    return 'scope' in a && 'node' in a ? a : { node: a as Node, scope: this.file.scope };
  }
  qname(node: Node): string | undefined {
    return this.file.resolver.qname(node, this.file.scope);
  }
  call(node: Node): CallInfo {
    return this.file.resolver.call(node, this.file.scope);
  }
  constant(a: Node | Arg): ConstValue | undefined {
    const { node, scope } = this.arg(a);
    return this.file.resolver.constant(node, scope);
  }
  string(a: Node | Arg): StringLiteral | undefined {
    const { node, scope } = this.arg(a);
    if (node.type === 'identifier') {
      const b = this.file.resolver.lookup(node.text, scope, node.startIndex);
      return b?.kind === 'value' && b.value ? stringLiteral(b.value) : undefined;
    }
    return stringLiteral(node);
  }
  expression(a: Node | Arg): Arg {
    return this.file.resolver.expression(this.arg(a));
  }
  imports(module: string): boolean {
    for (const m of this.file.model.importedModules) if (m === module || m.startsWith(`${module}.`)) return true;
    return false;
  }
  report(reported: Node, o?: ReportOptions): void {
    const node = o?.at ?? reported;
    const end = o?.at ? node : (o?.endNode ?? node);
    const start = node.startPosition;
    const stop = end.endPosition;
    this.push({ startLine: start.row + 1, startColumn: start.column + 1, endLine: stop.row + 1, endColumn: stop.column + 1 }, statementLines(node), o);
  }
  reportRange(range: { startLine: number; startColumn: number; endLine: number; endColumn: number }, o?: ReportOptions): void {
    this.push(range, [range.startLine, range.endLine], o);
  }
  private push(range: { startLine: number; startColumn: number; endLine: number; endColumn: number }, stmt: [number, number], o: ReportOptions = {}): void {
    this.file.raw.push({ ...ruleFinding(this.rule.meta, o, { path: this.file.path, ...range }), stmtStartLine: stmt[0], stmtEndLine: stmt[1] });
  }
}

function finalise(
  raw: RawFinding[],
  tree: SyntaxTree,
  comments: Map<number, string>,
  config: Config,
  active: ActiveRules,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const minSeverity = severityRank(config.min_severity);
  const minConfidence = confidenceRank(config.min_confidence);
  const kept = raw
    .filter((f) => severityRank(f.severity) >= minSeverity && confidenceRank(f.confidence) >= minConfidence)
    .sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn || a.ruleId.localeCompare(b.ruleId));
  // The same rule on the same span twice (two visitors reaching one node) is one finding.
  const unique = kept.filter((f, i) => {
    const p = kept[i - 1];
    return !p || p.ruleId !== f.ruleId || p.location.startLine !== f.location.startLine || p.location.startColumn !== f.location.startColumn;
  });
  // A secret's value never leaves the engine: not in the snippet, nor in the fingerprint (published, and a hash of a weak password can be guessed).
  const snippets = unique.map((f) => {
    const line = tree.lineText(f.location.startLine - 1).trim();
    return redactSnippet(f.ruleId, line, tree.source);
  });
  const prints = fingerprintAll(unique.map((f, i) => ({ ruleId: f.ruleId, path: f.location.path, code: snippets[i] })));
  const nosecs = new Map<number, Nosec | undefined>();
  const nosecOn = (line: number) => {
    if (!nosecs.has(line)) {
      const c = comments.get(line - 1);
      nosecs.set(line, c ? parseNosec(c, active.isRuleWord) : undefined);
    }
    return nosecs.get(line);
  };
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const covering = coveringFindings(unique, active.rules);
  const names = new Map(active.rules.map((r) => [r.meta.id, r.meta.name]));
  const made = new Map<RawFinding, Finding>();
  unique.forEach((f, i) => {
    const { stmtStartLine, stmtEndLine, ...rest } = f;
    const covers = covering.get(f);
    const finding: Finding = { ...rest, snippet: snippets[i], fingerprint: prints[i], ...(covers ? { covers: [...new Set(covers.map((c) => c.ruleId))].sort() } : {}) };
    made.set(f, finding);
    if (config.suppressions.nosec) {
      for (let line = Math.min(stmtStartLine, f.location.startLine); line <= Math.max(stmtEndLine, f.location.startLine); line++) {
        const nosec = nosecOn(line);
        if (nosec && (nosecApplies(nosec, f.ruleId, f.ruleName) || (covers ?? []).some((c) => nosecApplies(nosec, c.ruleId, names.get(c.ruleId) ?? c.ruleName)))) {
          const quiet: SuppressedFinding = { ...finding, suppression: suppressionRecord(nosec, line) };
          made.set(f, quiet);
          suppressed.push(quiet);
          return;
        }
      }
    }
    findings.push(finding);
  });
  // A reported covering finding stands for the Bandit findings on its node: reviews show it alone.
  for (const [f, covered] of covering) {
    if (!findings.includes(made.get(f)!)) continue;
    for (const c of covered) made.get(c)!.coveredBy = f.ruleId;
  }
  return { findings, suppressed };
}

/** Raw findings of rules with `covers`, with the findings of the covered ids on the same node. */
function coveringFindings(unique: RawFinding[], rules: readonly Rule[]): Map<RawFinding, RawFinding[]> {
  const out = new Map<RawFinding, RawFinding[]>();
  const coversOf = new Map(rules.filter((r) => r.covers?.length).map((r) => [r.meta.id, r.covers!]));
  if (!coversOf.size) return out;
  for (const f of unique) {
    const ids = coversOf.get(f.ruleId);
    if (!ids) continue;
    const same = unique.filter((g) => ids.includes(g.ruleId) && g.location.startLine === f.location.startLine && g.location.startColumn === f.location.startColumn && g.location.endLine === f.location.endLine && g.location.endColumn === f.location.endColumn);
    if (same.length) out.set(f, same);
  }
  return out;
}
