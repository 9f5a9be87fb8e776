/** What a rule is: metadata and documentation as data, plus visitors over tree-sitter nodes. */
import type { SyntaxNode as Node } from '../python/syntax-tree.js';
import type { Confidence, Finding, Fix, Location, Severity } from '../engine/types.js';
import type { Arg, CallInfo, ConstValue } from '../python/resolve.js';
import type { Scope } from '../python/scopes.js';
import type { StringLiteral } from '../python/strings.js';
import type { ExtractResult } from '../dependencies/types.js';
import type { ProjectFacts } from './settings/project.js';

export interface RuleDoc {
  /** One line: what the rule flags. */
  summary: string;
  /** Why it is dangerous, for whom, and what an attacker gains. */
  why: string;
  /** Python that the rule flags. */
  bad: string;
  /** The safe way to write it. */
  good: string;
  /** One line telling the developer what to change. */
  fix: string;
  references: string[];
  /** Where pyward deliberately differs from Bandit's check of the same id, and why. */
  banditDifferences?: string;
}

export interface RuleMeta {
  id: string;
  name: string;
  severity: Severity;
  confidence: Confidence;
  cwe: number;
  doc: RuleDoc;
  /** Default options; users override them under `rules.options.<id>` in the config. */
  options?: Record<string, unknown>;
}

export interface ReportOptions {
  message?: string;
  severity?: Severity;
  confidence?: Confidence;
  fix?: Fix;
  /** Report the span from `node` to `endNode` instead of `node` alone. */
  endNode?: Node;
  /**
   * Report here instead: Bandit puts some findings on the line of a keyword argument (`shell=True`,
   * `verify=False`, `debug=True`), which is also where a PR usually adds the danger.
   */
  at?: Node;
}

export interface RuleContext {
  readonly path: string;
  readonly text: string;
  /** Options of this rule: its defaults overlaid with the user's `rules.options.<id>`. */
  readonly options: Record<string, unknown>;
  /** The scope the visited node is in. */
  readonly scope: Scope;
  /** What the scan knows about the project beyond this file (settings pointers, star imports, Flask config loads). */
  readonly project: ProjectFacts;
  /** 0-based line -> the comment on that line (from `#` to the end of the line). */
  readonly comments: ReadonlyMap<number, string>;
  /** Qualified name (`subprocess.Popen`) of a name, attribute chain or call result in the current scope. */
  qname(node: Node): string | undefined;
  /** Arguments of a call, resolved in the current scope. */
  call(node: Node): CallInfo;
  /** Value of a constant expression (follows names bound to constants). */
  constant(node: Node | Arg): ConstValue | undefined;
  /** A string literal (also f-strings, as templates); follows a name bound to one. */
  string(node: Node | Arg): StringLiteral | undefined;
  /** The expression a name is bound to at this point (`[...]` for `cmd` after `cmd = [...]`), else the node itself. */
  expression(node: Node | Arg): Arg;
  /** True when the file imports `module` or one of its submodules or members. */
  imports(module: string): boolean;
  report(node: Node, options?: ReportOptions): void;
  /** Report a text range (1-based lines and columns, end column exclusive) that no single node covers. */
  reportRange(range: { startLine: number; startColumn: number; endLine: number; endColumn: number }, options?: ReportOptions): void;
}

export type Visitor = (node: Node, ctx: RuleContext) => void;

export interface Rule {
  meta: RuleMeta;
  /** Node types (tree-sitter names: `call`, `string`, `assert_statement`, ...) -> visitor. */
  visit: Partial<Record<string, Visitor>>;
  /**
   * Optional speed-up for `visit.call`: the names the rule reacts to, each the last segment of a resolved
   * qualified name (`Popen` for `subprocess.Popen`) or a method name as written (`exec_command`). The
   * engine then calls the visitor only for calls with such a name. Omit it to see every call. A function
   * computes them from the rule's options (for rules whose call lists users can configure).
   */
  callNames?: readonly string[] | ((options: Record<string, unknown>) => readonly string[]);
  /**
   * Optional speed-up for `visit.call`, alone or with `callNames`: the rule reacts only to calls that pass one
   * of these keyword arguments (`'*'`: any keyword at all). With `callNames` too, it sees the calls matching
   * either. Most calls pass no keyword, so the engine skips these rules for them without calling anything.
   */
  callKeywords?: readonly string[];
  /**
   * Bandit checks that flag the same call as this rule, more coarsely (B311 on every `random` call, PW306 on
   * those making a secret): where both report the same node, reviews show only this rule's entry, JSON and
   * SARIF keep both, and `# nosec` naming the Bandit id silences both (as for the data-flow rules' `covers`).
   */
  covers?: readonly string[];
  /** Runs once per file with the module scope, for checks on the raw text. */
  file?: (ctx: RuleContext) => void;
  /**
   * Data-flow rules (PW1xx): reported by the project-wide solver when untrusted data reaches one of the
   * rule's sinks in the flow models (src/dataflow/models); they need no visitor.
   */
  dataflow?: {
    /** Bandit checks that flag the same call: one entry in reviews, both in JSON and SARIF. */
    covers: readonly string[];
    /** What the sink does with the data, completing "untrusted data ... reaches <sink> and ...". */
    danger: string;
  };
  /** Runs once per dependency file (requirements, lockfiles, pyproject.toml, setup.cfg): PW5xx hygiene rules. */
  dependencies?: (ctx: DependencyRuleContext) => void;
}

/** What a dependency-file rule sees: the extracted file, and which of its lines the change added. */
export interface DependencyRuleContext {
  readonly path: string;
  /** Lines of the head file (without line ends). */
  readonly lines: readonly string[];
  readonly file: ExtractResult;
  readonly options: Record<string, unknown>;
  /** True when the change added this 1-based line (always true in a whole-tree scan). */
  isAdded(line: number): boolean;
  /** True when the change added this package (absent from the base file). */
  isNewPackage(normalizedName: string): boolean;
  /** Report on a line (whole line unless columns are given). */
  reportLine(line: number, options?: ReportOptions & { startColumn?: number; endColumn?: number }): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** The fields of a finding that come from the rule and the report call (what both kinds of rule context build). */
export function ruleFinding(meta: RuleMeta, o: ReportOptions, location: Location): Omit<Finding, 'snippet' | 'fingerprint'> {
  return {
    ruleId: meta.id,
    ruleName: meta.name,
    message: o.message ?? meta.doc.summary,
    severity: o.severity ?? meta.severity,
    confidence: o.confidence ?? meta.confidence,
    cwe: meta.cwe,
    location,
    ...(o.fix ? { fix: o.fix } : {}),
  };
}
