/**
 * What the analysis of one file hands to the project-wide solver: plain, structured-cloneable data (a
 * worker thread may produce it). Everything is stated in the file's own terms: labels are sources, the
 * parameters of its functions, and the results of its calls to project functions, which only the solver,
 * seeing every file, can resolve.
 */
import type { SourceKind, TaintRuleId } from './models/types.js';

/** A step of a flow: a place in a file and what to call it. 1-based lines and columns, end exclusive. */
export interface FlowStepData {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  label: string;
}

export type LabelData =
  | { k: 'source'; kind: SourceKind; description: string }
  | { k: 'param'; fn: number; index: number }
  | { k: 'call'; site: number };

export interface EntryData {
  label: number;
  flags: number;
  steps: FlowStepData[];
}

export interface ParamData {
  name: string;
  kind: 'positional' | 'keyword' | 'args' | 'kwargs';
}

export interface SinkHitData {
  rule: TaintRuleId;
  description: string;
  /** The dangerous call, where the finding goes. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Lines of the statement (for `# nosec` on any of them). */
  stmtStart: number;
  stmtEnd: number;
  snippet: string;
  /** The last step: the call, labelled with its text. */
  step: FlowStepData;
  entries: EntryData[];
}

export interface CallSiteData {
  fn: number;
  /** A function of this file (index), or a project function by qualified name. */
  local?: number;
  qname?: string;
  /** The call, as a step (`clean_name(name)`). */
  step: FlowStepData;
  /** Arguments by parameter position (the receiver first for `self.method(...)`), and by keyword. */
  args: EntryData[][];
  keywords: Record<string, EntryData[]>;
  /** `*args` / `**kwargs` at the call: positions or names after them are unknown. */
  spread: boolean;
}

export interface FunctionFlowData {
  /** Qualified name: module, classes, function (`app.views.Search.get`); `<module>` code is `app.views`. */
  key: string;
  /** How messages name it: `search()`, `Search.get()`. */
  display: string;
  line: number;
  params: ParamData[];
  /** A framework calls it with untrusted data (its parameters are sources already). */
  entry: boolean;
  /** Module-level code, a nested function or a `_private` one: never reported on parameter evidence alone. */
  internal: boolean;
  /** A method or class method: its first parameter is the receiver (`self`, `cls`). */
  receiver: boolean;
  /** Something in its own file calls it (by name): never reported on parameter evidence alone. */
  called: boolean;
  returns: EntryData[];
  sinks: SinkHitData[];
}

export interface FileFlowData {
  path: string;
  module: string;
  labels: LabelData[];
  functions: FunctionFlowData[];
  calls: CallSiteData[];
  /** 1-based line -> comment, for lines whose comment mentions `nosec` (suppressions apply to flow findings too). */
  nosec: Record<number, string>;
  /** Functions analysed without data flow (over the step budget or the file's time budget). */
  overBudget: number;
  /** The whole file was over its time budget: the rest of it had no data flow. */
  fileOverBudget: boolean;
}
