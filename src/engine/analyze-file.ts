/**
 * One Python file -> findings. Pure apart from the parser it is handed: decode, parse, model the scopes,
 * walk the tree once dispatching nodes to the rules that asked for them, then apply `# nosec` and the
 * config's thresholds.
 */
import type { Parser } from 'web-tree-sitter';
import { DEFAULT_CONFIG, type Config } from '../config/schema.js';
import { decodePythonSource } from '../python/decode.js';
import { parseSyntaxTree } from '../python/parser.js';
import { Resolver, type Arg } from '../python/resolve.js';
import { buildFileModel, MODEL_NODE_TYPES, SCOPE_NODE_TYPES, type Scope } from '../python/scopes.js';
import { stringLiteral } from '../python/strings.js';
import type { SyntaxNode as Node } from '../python/syntax-tree.js';
import { fingerprintAll } from '../report/fingerprints.js';
import type { ReportOptions, Rule, RuleContext, Visitor } from '../rules/rule.js';
import { nosecApplies, parseNosec, type Nosec } from './suppressions.js';
import { confidenceRank, severityRank, type AnalysisError, type FileResult, type Finding, type SuppressedFinding } from './types.js';

/** CPython refuses nesting this deep ("too many nested parentheses" comes far earlier), so nothing real is lost. */
export const MAX_TREE_DEPTH = 1000;

export interface AnalyzeInput {
  path: string;
  content: Uint8Array | string;
}

export interface ActiveRules {
  rules: readonly Rule[];
  /** `call` visitors by the names they declared (`Rule.callNames`), and those that see every call. */
  calls: { byName: Map<string, { rule: Rule; visit: Visitor }[]>; any: { rule: Rule; visit: Visitor }[] };
  /** Node types the scope model and the rules read: the tree copy lists them in document order. */
  collect: ReadonlySet<string>;
  byType: Map<string, { rule: Rule; visit: Visitor }[]>;
  isRuleWord: (word: string) => boolean;
}

/** The options a rule runs with: its defaults overlaid with the config's `rules.options.<ID>`. */
export function ruleOptions(rule: Rule, config: Pick<Config, 'rules'>): Record<string, unknown> {
  return { ...rule.meta.options, ...config.rules.options[rule.meta.id] };
}

/** Index the rules by the node types they visit, once per scan. */
export function prepareRules(rules: readonly Rule[], allRules: readonly Rule[] = rules, config: Pick<Config, 'rules'> = DEFAULT_CONFIG): ActiveRules {
  const byType = new Map<string, { rule: Rule; visit: Visitor }[]>();
  const calls: ActiveRules['calls'] = { byName: new Map(), any: [] };
  for (const rule of rules) {
    for (const [type, visit] of Object.entries(rule.visit)) {
      if (!visit) continue;
      if (type === 'call') {
        const names = typeof rule.callNames === 'function' ? rule.callNames(ruleOptions(rule, config)) : rule.callNames;
        if (!names) calls.any.push({ rule, visit });
        else for (const name of new Set(names)) calls.byName.set(name, [...(calls.byName.get(name) ?? []), { rule, visit }]);
      }
      const list = byType.get(type) ?? [];
      list.push({ rule, visit });
      byType.set(type, list);
    }
  }
  const words = new Set<string>(['B001']);
  for (const r of allRules) {
    words.add(r.meta.id.toUpperCase());
    words.add(r.meta.name.toLowerCase());
  }
  const collect = new Set([...MODEL_NODE_TYPES, ...Object.keys(SCOPE_NODE_TYPES), ...byType.keys()]);
  return { rules, byType, calls, collect, isRuleWord: (w) => words.has(w.toUpperCase()) || words.has(w.toLowerCase()) };
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

function skipped(path: string, message: string, kind: AnalysisError['kind'] = 'skipped'): FileResult {
  return { path, analysed: false, lines: 0, findings: [], suppressed: [], errors: [{ path, kind, message }] };
}

export function analyzeFile(parser: Parser, input: AnalyzeInput, config: Config, active: ActiveRules): FileResult {
  const { path } = input;
  const size = typeof input.content === 'string' ? Buffer.byteLength(input.content) : input.content.length;
  if (size > config.max_file_size) {
    return skipped(path, `not analysed: ${(size / 1048576).toFixed(1)} MiB is over the ${(config.max_file_size / 1048576).toFixed(1)} MiB limit (max_file_size); generated or data files are usually the cause`);
  }
  let text: string;
  if (typeof input.content === 'string') text = input.content.replace(/^\uFEFF/, '');
  else {
    const decoded = decodePythonSource(input.content);
    if (!decoded.ok) return skipped(path, `not analysed: ${decoded.reason}`);
    text = decoded.text;
  }
  const tree = parseSyntaxTree(parser, text, MAX_TREE_DEPTH, active.collect);
  if (tree.maxDepth > MAX_TREE_DEPTH) {
    return skipped(path, `not analysed: the syntax tree is more than ${MAX_TREE_DEPTH} levels deep; CPython itself refuses such nesting`);
  }
  const model = buildFileModel(tree);
  // Rows as tree-sitter counts them: `\n` ends a line; a `\r` before it is not part of the code.
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const errors: AnalysisError[] = [];
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
  const resolver = new Resolver(model);
  const raw: RawFinding[] = [];
  const state = { scope: model.module as Scope };

  const contexts = new Map<Rule, RuleContext>();
  const contextFor = (rule: Rule): RuleContext => {
    let ctx = contexts.get(rule);
    if (ctx) return ctx;
    const options = ruleOptions(rule, config);
    const argNode = (a: Node | Arg) => ('scope' in a && 'node' in a ? a : { node: a as Node, scope: state.scope });
    const push = (range: { startLine: number; startColumn: number; endLine: number; endColumn: number }, stmt: [number, number], o: ReportOptions = {}) => {
      raw.push({
        ruleId: rule.meta.id,
        ruleName: rule.meta.name,
        message: o.message ?? rule.meta.doc.summary,
        severity: o.severity ?? rule.meta.severity,
        confidence: o.confidence ?? rule.meta.confidence,
        cwe: rule.meta.cwe,
        location: { path, ...range },
        stmtStartLine: stmt[0],
        stmtEndLine: stmt[1],
        ...(o.fix ? { fix: o.fix } : {}),
      });
    };
    ctx = {
      path,
      text,
      options,
      get scope() {
        return state.scope;
      },
      qname: (node) => resolver.qname(node, state.scope),
      call: (node) => resolver.call(node, state.scope),
      constant: (a) => {
        const { node, scope } = argNode(a);
        return resolver.constant(node, scope);
      },
      string: (a) => {
        const { node, scope } = argNode(a);
        if (node.type === 'identifier') {
          const b = resolver.lookup(node.text, scope, node.startIndex);
          return b?.kind === 'value' && b.value ? stringLiteral(b.value) : undefined;
        }
        return stringLiteral(node);
      },
      expression: (a) => resolver.expression(argNode(a)),
      imports: (module) => {
        for (const m of model.importedModules) if (m === module || m.startsWith(`${module}.`)) return true;
        return false;
      },
      report: (reported, o) => {
        const node = o?.at ?? reported;
        const end = o?.at ? node : (o?.endNode ?? node);
        push(
          {
            startLine: node.startPosition.row + 1,
            startColumn: node.startPosition.column + 1,
            endLine: end.endPosition.row + 1,
            endColumn: end.endPosition.column + 1,
          },
          statementLines(node),
          o,
        );
      },
      reportRange: (range, o) => push(range, [range.startLine, range.endLine], o),
    };
    contexts.set(rule, ctx);
    return ctx;
  };

  for (const rule of active.rules) if (rule.file) rule.file(contextFor(rule));

  /** The `call` visitors that may care about this call: those declaring its name, and those seeing all. */
  const callVisitors = (node: Node) => {
    const info = resolver.call(node, state.scope);
    const last = info.qname?.slice(info.qname.lastIndexOf('.') + 1);
    const byQname = last !== undefined ? active.calls.byName.get(last) : undefined;
    const byName = info.name !== last ? active.calls.byName.get(info.name) : undefined;
    if (!byQname && !byName) return active.calls.any;
    return [...new Set([...active.calls.any, ...(byQname ?? []), ...(byName ?? [])])];
  };

  // One pass over the collected nodes in document order; a scope ends where its node ends.
  const scopeStack: { end: number; scope: Scope }[] = [];
  const { byType } = active;
  for (const node of tree.ordered) {
    while (scopeStack.length && node.startIndex >= scopeStack[scopeStack.length - 1].end) state.scope = scopeStack.pop()!.scope;
    const visitors = node.type === 'call' ? callVisitors(node) : byType.get(node.type);
    if (visitors) {
      for (const { rule, visit } of visitors) {
        try {
          visit(node, contextFor(rule));
        } catch (err) {
          errors.push({ path, kind: 'internal', line: node.startPosition.row + 1, message: `rule ${rule.meta.id} failed: ${(err as Error).message}` });
        }
      }
    }
    if (SCOPE_NODE_TYPES[node.type] !== undefined) {
      const scope = model.scopes.get(node.id);
      if (scope) {
        scopeStack.push({ end: node.endIndex, scope: state.scope });
        state.scope = scope;
      }
    }
  }

  return { path, analysed: true, lines: lines.length, errors, ...finalise(raw, lines, model.comments, config, active) };
}

function finalise(
  raw: RawFinding[],
  lines: string[],
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
  const snippets = unique.map((f) => (lines[f.location.startLine - 1] ?? '').trim());
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
  unique.forEach((f, i) => {
    const { stmtStartLine, stmtEndLine, ...rest } = f;
    const finding: Finding = { ...rest, snippet: snippets[i], fingerprint: prints[i] };
    if (config.suppressions.nosec) {
      for (let line = Math.min(stmtStartLine, f.location.startLine); line <= Math.max(stmtEndLine, f.location.startLine); line++) {
        const nosec = nosecOn(line);
        if (nosec && nosecApplies(nosec, f.ruleId, f.ruleName)) {
          suppressed.push({ ...finding, suppression: { comment: nosec.comment, line } });
          return;
        }
      }
    }
    findings.push(finding);
  });
  return { findings, suppressed };
}
