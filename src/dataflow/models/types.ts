/**
 * Flow models as data, one table per framework or library (as CodeQL's models-as-data and Pysa's model
 * files): where untrusted data comes from, which arguments of which calls are dangerous for which rule,
 * what makes a value safe for which rule, and what passes data through. The analysis (src/dataflow/*.ts)
 * knows none of these names.
 *
 * Names are the qualified names pyward's resolver gives (`flask.request.args`, `subprocess.run`); a call's
 * result is the callee's name followed by `()` (`input()`, `argparse.ArgumentParser().parse_args()`), an
 * instance's attribute is the constructor call's name then the attribute (`flask.Flask().route`).
 */

export const TAINT_RULES = ['PW101', 'PW102', 'PW103', 'PW104', 'PW105', 'PW106', 'PW107', 'PW108', 'PW109', 'PW110'] as const;
export type TaintRuleId = (typeof TAINT_RULES)[number];

/**
 * Who controls a source: `remote` (an HTTP client, a GraphQL caller, a socket peer), `local` (whoever runs
 * the program: `input()`, `sys.argv`), `environment` (environment variables).
 */
export type SourceKind = 'remote' | 'local' | 'environment';

/** A value that is untrusted wherever it appears: an attribute (`flask.request.args`) or a call result (`input()`). */
export interface SourceModel {
  /** Qualified names; a call's result ends in `()`. */
  qnames: string[];
  /** Or the result of these methods on any object (`conn.recv(...)`), in modules importing one of `whenImports`. */
  methods?: string[];
  whenImports?: string[];
  kind: SourceKind;
  description: string;
}

/**
 * An object whose members carry untrusted data (a framework's request object), held by a parameter the
 * entry-point models name or by a qualified name (Flask's `request` proxy).
 */
export interface ObjectModel {
  type: string;
  /** Qualified names that are this object (`flask.request`). */
  qnames?: string[];
  /** Members that are untrusted: attributes (`GET`) and methods whose result is (`get_json()`). */
  members: string[];
  /** Members that are themselves such objects (`self.request` of a view, `request.rel_url`). */
  objectMembers?: Record<string, string>;
  kind: SourceKind;
  description: string;
}

/** How a parameter of an entry point is treated. */
export interface ParameterPolicy {
  /** Parameter names that are not data (`self`, `info`, `root`): skipped. */
  skip?: string[];
  /** Skip this many leading parameters (Ariadne's `obj, info`). */
  skipLeading?: number;
  /** The parameter with this name (or, with `'#0'`, the first after skipped ones) holds an object of this type. */
  objects?: Record<string, string>;
  /** Annotations (qualified names, or builtins) that make a parameter an object of a type (`Request`). */
  annotatedObjects?: Record<string, string>;
  /** Other parameters carry untrusted data (URL parts, query values, GraphQL arguments). */
  rest: boolean;
}

/**
 * Functions a framework calls with untrusted data: recognised by decorator, by class base, or by their
 * first parameter's name in a module that imports the framework.
 */
export interface EntryPointModel {
  description: string;
  kind: SourceKind;
  /** Decorators, as the qualified name of the decorator's callee (`flask.Flask().route`). */
  decorators?: string[];
  /** Decorator method names accepted when the object's name cannot be resolved, if the module imports `whenImports`. */
  decoratorMethods?: string[];
  /** Methods of classes with one of these bases (qualified-name prefixes, `django.views.`). */
  classBases?: string[];
  /** With `classBases`: which methods (`get`, `post`); `resolve_*` style prefixes end in `*`. */
  methods?: string[];
  /** Members of `self` in such classes: untrusted (`kwargs`) or objects (`request`). */
  selfMembers?: string[];
  selfObjects?: Record<string, string>;
  /** Module-level functions whose first parameter has this name (Django function views' `request`). */
  firstParameter?: string;
  /** The model applies only in modules importing one of these. */
  whenImports?: string[];
  parameters: ParameterPolicy;
}

/** A named condition on a call, evaluated by the analysis (see conditions.ts). */
export type SinkCondition = 'shell-true' | 'shell-not-true' | 'allow-pickle' | 'unsafe-yaml-loader' | 'html-content' | 'html-unless-other-content-type';

/** Arguments of a call that must not receive untrusted data, for one rule. */
export interface SinkModel {
  rule: TaintRuleId;
  /** Callees by qualified name. */
  qnames?: string[];
  /** Or methods of this name on any object (`cursor.execute`), for receivers whose type is not known. */
  methods?: string[];
  /** With `methods`: only on objects of this type (an object model's type, e.g. a handler's response stream). */
  objectType?: string;
  /** Positions (0-based, after the receiver) and keyword names of the dangerous arguments. */
  args: (number | string)[];
  /** The receiver itself is the dangerous value (`Path(name).read_text()`). */
  receiver?: boolean;
  /** Only the program name matters: in a list or tuple literal, only its first element. */
  program?: boolean;
  when?: SinkCondition;
  description: string;
}

/** Calls whose result is safe for some rules whatever their input (`shlex.quote` for shells, `int` for all). */
export interface SanitizerModel {
  qnames?: string[];
  methods?: string[];
  /** Rules the result is safe for; `all` for every rule. */
  clears: TaintRuleId[] | 'all';
  description: string;
}

/**
 * Calls a guard test can use: a branch on `f(x)` being true makes `x` safe for these rules on that branch
 * (`url_has_allowed_host_and_scheme(url, ...)`), and `x.method()` tests (`name.isdigit()`).
 */
export interface GuardModel {
  qnames?: string[];
  /** Methods called on the tested value (`x.isdigit()`). */
  methods?: string[];
  /** Which argument is the tested value (default 0). */
  arg?: number;
  clears: TaintRuleId[] | 'all';
  description: string;
}

/** Calls whose result carries their arguments' data (documentation, and exact positions where it matters). */
export interface PassThroughModel {
  qnames?: string[];
  methods?: string[];
  /** Which arguments flow into the result (`receiver` for the object a method is called on); default all. */
  from?: (number | string | 'receiver')[];
  description: string;
}

/** Calls that never return (the code after them on a branch is unreachable): `abort`, `sys.exit`. */
export interface NoReturnModel {
  qnames: string[];
  description: string;
}

export interface FlowModel {
  /** The framework or library the table describes. */
  name: string;
  sources?: SourceModel[];
  objects?: ObjectModel[];
  entryPoints?: EntryPointModel[];
  sinks?: SinkModel[];
  sanitizers?: SanitizerModel[];
  guards?: GuardModel[];
  passThrough?: PassThroughModel[];
  noReturn?: NoReturnModel[];
}
