/**
 * Data flow inside one file. Each function (and the module's own code) is interpreted once over its syntax
 * tree with abstract values (taint.ts): assignments, string building, containers, attributes, `with`,
 * loops to a fixpoint, comprehensions, walrus, `try`, branches joined, guards applied to the branch they
 * protect, and code after `return`/`raise`/`abort()` cut off. What a function returns and which sinks it
 * reaches are stated in terms of its parameters and of the calls it makes to project functions; the
 * project-wide solver (solve.ts) resolves those with the summaries of every file.
 *
 * One class, longer than our files usually are: statements, expressions and calls are one mutually
 * recursive interpreter over one mutable state (the environment), and splitting it would scatter that
 * state. It walks node ids (ast.ts), not node objects, which halves the cost of a scan.
 */
import type { Resolver } from '../python/resolve.js';
import type { FileModel, Scope } from '../python/scopes.js';
import type { SyntaxNode as Node, SyntaxTree } from '../python/syntax-tree.js';
import { Ast, NONE } from './ast.js';
import { EntryPoints, type EntryMatch } from './entry-points.js';
import type { CallSiteData, EntryData, FileFlowData, FlowStepData, FunctionFlowData, LabelData, ParamData } from './flow-types.js';
import { Guards, type GuardFact } from './guards.js';
import type { ModelIndex } from './model-index.js';
import type { SinkModel, SourceKind, TaintRuleId } from './models/types.js';
import { plainSummary, type Labels, type PlainHooks } from './plain-functions.js';
import { STDLIB_MODULES } from './stdlib-modules.js';
import { ALL_RULES_CLEARED as ALL_CLEARED, BUILT, clear, FIXED_HOST, mark, ruleBit, ruleMask, sameTaint, traceSteps, union, withStep, type Entry, type Step, type Taint, type Trace } from './taint.js';

export interface FlowBudget {
  /** Expressions and statements one function may evaluate (loops count each pass). */
  maxSteps: number;
  /** Milliseconds for the whole file; functions after it are left without data flow. */
  fileMs: number;
  now: () => number;
  /** Counts lookups on attribute chains (object types computed, chain links walked): tests count work, not time. */
  work?: { chainLookups: number };
}

export const DEFAULT_FLOW_BUDGET: Omit<FlowBudget, 'now'> = { maxSteps: 200_000, fileMs: 1_500 };

type Env = Map<string, Taint>;

interface FnRecord {
  index: number;
  /** The function_definition node (undefined for module code). */
  node: Node | undefined;
  id: number;
  scope: Scope;
  key: string;
  display: string;
  line: number;
  params: { name: string; kind: ParamData['kind']; id: number; annotation: Node | undefined; default: Node | undefined }[];
  entry: EntryMatch | undefined;
  internal: boolean;
  parent: FnRecord | undefined;
  /** For methods: the class's scope. */
  classScope: Scope | undefined;
  selfName: string | undefined;
  returns: Taint;
  sinks: { rule: TaintRuleId; description: string; id: number; taint: Taint }[];
  finalEnv: Env | undefined;
}

class OverBudget extends Error {}

/** Entries a call site keeps per argument over a loop's passes (as many as a value keeps). */
const MAX_SITE_ENTRIES = 12;

const NO_FACTS: { yes: GuardFact[]; no: GuardFact[] } = { yes: [], no: [] };

const HTML_TAG = /<\/?[a-zA-Z][^>]*>?/;
/** A string starting like this cannot send a redirect off this site: a path (`/account/`), not `//evil.example`. */
const LOCAL_PATH = /^\/[^/\\]/;
const URL_RULES = ruleMask(['PW105', 'PW108']);
const REDIRECT = ruleMask(['PW108']);
const CONTAINER_ADDERS = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'extendleft', 'setdefault', 'put', 'put_nowait', 'write', 'writelines']);
/** Programs that run their `-c` argument as a shell script. */
const SHELLS = /(^|[\\/])(sh|bash|zsh|dash|ksh|fish|cmd|cmd\.exe|powershell|powershell\.exe|pwsh)$/i;
const SEQUENCES = new Set(['tuple', 'list', 'expression_list']);
const TARGET_LISTS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'expression_list', 'parenthesized_expression']);
/** Expressions whose value is the union of their children's. */
const UNION_EXPRESSIONS = new Set([
  'boolean_operator', 'list', 'tuple', 'set', 'expression_list', 'parenthesized_expression', 'list_splat', 'dictionary_splat',
  'await', 'unary_operator', 'yield', 'pair', 'argument_list', 'interpolation', 'format_expression', 'dictionary',
]);

function labelText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 72 ? `${t.slice(0, 69)}...` : t;
}

/** `app/views.py` -> `app.views`, `app/__init__.py` -> `app`. */
export function moduleName(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\.pyi?$/, '')
    .replace(/\/__init__$/, '')
    .split('/')
    .filter((p) => p && p !== '.')
    .join('.');
}

const rootsByIndex = new WeakMap<ModelIndex, Map<string, string[]>>();
/**
 * Qualified names of every source and request object (without call parentheses), by every prefix they
 * have: `os` -> [`.environ`, `.getenv`], `os.environ` -> [``], `sys` -> [`.argv`, `.stdin`, ...]. Made once
 * per model index, so a file looks up each import once.
 */
function sourceRoots(index: ModelIndex): Map<string, string[]> {
  let byPrefix = rootsByIndex.get(index);
  if (!byPrefix) {
    byPrefix = new Map();
    for (const root of new Set([...index.sources.keys(), ...index.objectsByQname.keys()].map((r) => r.replace(/\(.*$/, '')))) {
      const parts = root.split('.');
      for (let i = 1; i <= parts.length; i++) {
        const prefix = parts.slice(0, i).join('.');
        const rest = root.slice(prefix.length);
        const list = byPrefix.get(prefix);
        if (list) list.push(rest);
        else byPrefix.set(prefix, [rest]);
      }
    }
    rootsByIndex.set(index, byPrefix);
  }
  return byPrefix;
}

const callNamesByIndex = new WeakMap<ModelIndex, Set<string>>();
/** The last names of every callable the models know (sinks, sources, sanitisers, guards; qualified names and methods). */
function modelCallNames(index: ModelIndex): Set<string> {
  let names = callNamesByIndex.get(index);
  if (!names) {
    names = new Set();
    // `input()` -> `input`; `django.template.loader.get_template().render` -> `render`
    const last = (q: string) => {
      const name = q.replace(/\(\)$/, '');
      return name.slice(name.lastIndexOf('.') + 1);
    };
    for (const keys of [index.sinksByQname.keys(), index.sources.keys(), index.sanitizersByQname.keys(), index.guardsByQname.keys()]) for (const q of keys) names.add(last(q));
    for (const keys of [index.sourceMethods.keys(), index.sinksByMethod.keys(), index.sanitizersByMethod.keys(), index.guardsByMethod.keys()]) for (const m of keys) names.add(m);
    callNamesByIndex.set(index, names);
  }
  return names;
}

const WORD = /[\w]/;
const NOT_PATH_START = /[/'"\s]/;

/** `text[at]` starts a word (nothing word-like or, for dotted names, no dot just before it). */
function wordStart(text: string, at: number, noDot: boolean): boolean {
  if (at === 0) return true;
  const before = text[at - 1];
  return !WORD.test(before) && !(noDot && before === '.');
}

/**
 * Offsets, ascending, where a file may write a source or a fixed URL or path: the source names it imports
 * (`sys.argv`, `request`; whole words), calls of `input(` / `raw_input(` (not methods), `://`, and string
 * literals starting with one `/` (`"/admin"`, not `"//host"`). Found with `indexOf`, one needle at a time,
 * which the engine runs far faster than one regex with a leading word boundary over the whole file.
 */
export function sourceMentions(text: string, names: readonly string[]): number[] {
  const out: number[] = [];
  const each = (needle: string, accept: (at: number) => boolean) => {
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) if (accept(at)) out.push(at);
  };
  for (const name of names) {
    const clean = name.replace(/[^\w.]/g, '');
    if (!clean) continue;
    each(clean, (at) => wordStart(text, at, false) && !WORD.test(text[at + clean.length] ?? ''));
  }
  for (const call of ['input', 'raw_input']) {
    each(call, (at) => {
      if (!wordStart(text, at, true)) return false;
      let i = at + call.length;
      while (i < text.length && /\s/.test(text[i])) i++;
      return text[i] === '(';
    });
  }
  each('://', () => true);
  for (const quote of ['"/', "'/"]) each(quote, (at) => at + 2 < text.length && !NOT_PATH_START.test(text[at + 2]));
  return out.sort((a, b) => a - b);
}

export class FileFlowAnalysis {
  readonly labels: LabelData[] = [];
  readonly calls: CallSiteData[] = [];
  private readonly ast: Ast;
  private readonly sourceLabels = new Map<string, number>();
  private readonly fns: FnRecord[] = [];
  /** Functions defined in a scope, by name (the last definition wins). */
  private readonly defsIn = new Map<Scope, Map<string, FnRecord>>();
  /** Classes defined in a scope, by name: their own scopes (for methods called on instances). */
  private readonly classScopes = new Map<Scope, Map<string, Scope>>();
  /** Attributes of `self` holding untrusted data, per class (only source data: parameters of one method mean nothing in another). */
  private readonly classAttrs = new Map<Scope, Map<string, Taint>>();
  private readonly module: string;
  private readonly packageName: string;
  private readonly entries: EntryPoints;
  private readonly importsModule: (module: string) => boolean;
  private readonly guards: Guards;
  private overBudget = 0;
  private callsByFn: number[][] = [];
  /** 1 for functions with a `return <value>` or a `yield` of their own. */
  private returnsValue = new Uint8Array(0);
  /** Offsets of source names and URL-like literals in the file, ascending. */
  private readonly sourceOffsets: number[] = [];
  /** The node id of each scope (made at the first call of a method a class does not define). */
  private scopeIds: Map<Scope, number> | undefined;
  /** Output steps by the step they were made from. */
  private readonly flowSteps = new Map<Step, FlowStepData>();
  /** 1 for functions that enclose another (its closures read their final values): the others' are not kept. */
  private enclosing = new Uint8Array(0);
  /** The label of the call site recorded for each call node of the function being analysed. */
  private labelByCall = new Map<number, number>();
  /** Functions of this file that a call in it resolves to (their summaries are needed). */
  private readonly locallyCalled = new Set<number>();
  private fileOverBudget = false;

  // The function being analysed
  private fn!: FnRecord;
  private env: Env = new Map();
  private objs = new Map<string, string>();
  /** Leftmost node of each attribute chain seen (`chainRoot`). */
  private readonly roots = new Map<number, number>();
  /** Object types of one attribute chain being evaluated (`attribute`); undefined between chains. */
  private typeMemo: Map<number, string | undefined> | undefined;
  private scope!: Scope;
  private steps = 0;
  private loopExits: Env[][] = [];

  constructor(
    private readonly path: string,
    private readonly tree: SyntaxTree,
    private readonly model: FileModel,
    private readonly resolver: Resolver,
    private readonly index: ModelIndex,
    private readonly budget: FlowBudget,
  ) {
    this.ast = new Ast(tree);
    this.module = moduleName(path);
    this.packageName = /(^|\/)__init__\.pyi?$/.test(path) ? this.module : this.module.split('.').slice(0, -1).join('.');
    const imports = (m: string) => {
      for (const i of model.importedModules) if (i === m || i.startsWith(`${m}.`)) return true;
      return false;
    };
    this.importsModule = imports;
    this.entries = new EntryPoints(index, resolver, imports);
    this.guards = new Guards(index, resolver, (n) => this.isClean(n.id), (call, scope) => this.localValidator(call, scope));
  }

  run(): FileFlowData {
    const started = this.budget.now();
    this.collectFunctions();
    this.enclosing = new Uint8Array(this.fns.length);
    for (const fn of this.fns) if (fn.parent) this.enclosing[fn.parent.index] = 1;
    this.collectCalls();
    // Interpreted functions first; plain ones are summarised once it is known that something can call them.
    const plain: FnRecord[] = [];
    const overBudget = () => {
      if (this.budget.now() - started <= this.budget.fileMs) return false;
      this.fileOverBudget = true;
      return true;
    };
    for (const fn of this.fns) {
      if (overBudget()) {
        this.overBudget += this.fns.length - fn.index;
        break;
      }
      if (!fn.node && this.quietModule()) fn.finalEnv = new Map();
      else if (!this.isPlain(fn)) this.analyse(fn);
      else if (this.returnsValue[fn.index] || this.callsByFn[fn.index].length) plain.push(fn);
    }
    // In a module another file can import, every public function may be called from elsewhere; in one named
    // like a standard-library module, only the calls of this file can reach it (calls into those are library calls).
    const importable = !STDLIB_MODULES.has(this.module.split('.')[0]);
    const done = new Set<number>();
    for (let changed = true; changed && !this.fileOverBudget; ) {
      changed = false;
      for (const fn of plain) {
        if (done.has(fn.index) || !(importable || this.locallyCalled.has(fn.index))) continue;
        if (overBudget()) {
          this.overBudget += plain.length - done.size;
          break;
        }
        done.add(fn.index);
        this.summarisePlain(fn);
        changed = true;
      }
    }
    return this.output();
  }

  // ---- plain functions -----------------------------------------------------------------------------

  /** Calls directly in each function (not in functions nested in it), from the tree's collected nodes. */
  private collectCalls(): void {
    const { ast } = this;
    this.callsByFn = this.fns.map(() => []);
    this.returnsValue = new Uint8Array(this.fns.length);
    const byId = new Map(this.fns.map((f) => [f.id, f]));
    const stack: FnRecord[] = [this.fns[0]];
    for (const id of this.tree.orderedIds) {
      while (stack.length > 1 && ast.start[id] >= ast.end[stack[stack.length - 1].id]) stack.pop();
      const type = ast.type(id);
      if (type === 'call') this.callsByFn[stack[stack.length - 1].index].push(id);
      else if (type === 'return_statement' || type === 'yield') {
        if (type === 'yield' || this.ast.firstNamed(id) !== NONE) this.returnsValue[stack[stack.length - 1].index] = 1;
      }
      else if (type === 'function_definition') {
        const fn = id !== 0 ? byId.get(id) : undefined;
        if (fn) stack.push(fn);
      }
    }
    // How this file can write a source or a request object: `request`, `argv`, `sys.argv`, `os.environ`; and
    // calls of `input()` (a name that is far more often a variable or a parameter)
    const tokens = new Set<string>();
    const roots = sourceRoots(this.index);
    const addImports = (scope: Scope) =>
      scope.bindings.forEach((bindings, name) => {
        for (let i = 0; i < bindings.length; i++) {
          const b = bindings[i];
          if (b.kind !== 'import' || !b.qname) continue;
          const rests = roots.get(b.qname);
          if (rests) for (let j = 0; j < rests.length; j++) tokens.add(name + rests[j]);
        }
      });
    addImports(this.model.module);
    this.model.scopes.forEach(addImports);
    // Where sources and URL-like literals appear, found once for the whole file (functions are ranges of it).
    this.sourceOffsets.push(...sourceMentions(this.tree.source, [...tokens]));
  }

  /**
   * A function whose summary is only "which parameters reach the return value": no entry point, not
   * nested (closures read the enclosing function's values), no source name in its text, no URL-like
   * literal (a fixed host or path would clear URL rules), and no call that is a sink, a source, a
   * rule-specific sanitiser, or a call to a project function.
   */
  private isPlain(fn: FnRecord): boolean {
    if (!fn.node || fn.entry || fn.parent !== this.fns[0]) return false;
    if (this.mentionsSource(this.ast.start[fn.id], this.ast.end[fn.id])) return false;
    for (const call of this.callsByFn[fn.index]) if (this.relevantCall(call, fn)) return false;
    return true;
  }

  /** The last segment of every callee in this file (`helper` in `helper(x)` and `self.helper(x)`). */
  private namesCalledHere(): Set<string> {
    const names = new Set<string>();
    for (const calls of this.callsByFn) {
      for (const id of calls) {
        const func = this.ast.field(id, 'function');
        if (func === NONE) continue;
        const name = this.ast.type(func) === 'attribute' ? this.ast.field(func, 'attribute') : func;
        if (name !== NONE) names.add(this.ast.text(name));
      }
    }
    return names;
  }

  /** Some source name or URL-like literal lies in [start, end) (binary search in the sorted offsets). */
  private mentionsSource(start: number, end: number): boolean {
    const offsets = this.sourceOffsets;
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo] < end;
  }

  /**
   * Module code that cannot matter: the file names no source anywhere, and the module level calls no sink,
   * no guard or rule-specific sanitiser, and no project function (whose result could be a source). Its
   * values then carry nothing the functions of the module could read.
   */
  private quietModule(): boolean {
    if (this.sourceOffsets.length) return false;
    const moduleFn = this.fns[0];
    for (const call of this.callsByFn[0]) {
      if (this.relevantCall(call, moduleFn)) return false;
      const func = this.ast.field(call, 'function');
      if (func === NONE) continue;
      const root = this.rootName(func);
      if (root === NONE) return false; // `Cls(...).method()`, `f()()`: not worth telling apart
      const b = this.resolver.lookup(this.ast.text(root), this.model.module, this.ast.start[call]);
      if (b?.kind === 'def' || b?.kind === 'class') return false;
      if (b?.kind === 'import' && b.qname && !STDLIB_MODULES.has(this.absolute(b.qname).split('.')[0])) return false;
    }
    return true;
  }

  /** A call a plain function may not have: a sink, a source, a sanitiser for some rules only. */
  private relevantCall(id: number, fn: FnRecord): boolean {
    const { ast, index } = this;
    // Most calls name nothing a model knows: tell them by their last name before resolving them. A method's
    // name is its qualified name's last part; a plain name may be an alias (`from os import system as run`,
    // `run = partial(subprocess.run, shell=True)`), so only a name bound by a `def`, a class or a parameter,
    // or not bound at all, is told apart by its text.
    const callee = ast.field(id, 'function');
    if (callee !== NONE) {
      const names = modelCallNames(index);
      const type = ast.type(callee);
      if (type === 'attribute') {
        const attr = ast.field(callee, 'attribute');
        const object = ast.field(callee, 'object');
        // `self.run(...)` may be an instance attribute bound to a sink (`self.run = subprocess.run`)
        if (attr !== NONE && !names.has(ast.text(attr)) && !(object !== NONE && ast.type(object) === 'identifier' && ast.text(object) === fn.selfName)) return false;
      } else if (type === 'identifier') {
        const name = ast.text(callee);
        if (!names.has(name)) {
          const kind = this.resolver.lookup(name, fn.scope, ast.start[id])?.kind;
          if (kind === undefined || kind === 'def' || kind === 'class' || kind === 'param') return false;
        }
      }
    }
    const info = this.resolver.boundCall(ast.node(id), fn.scope);
    const q = info.qname;
    const func = info.func ? info.func.id : ast.field(id, 'function');
    const method = func !== NONE && ast.type(func) === 'attribute' ? info.name : undefined;
    if (q !== undefined && (index.sinksByQname.has(q) || index.sources.has(`${q}()`))) return true;
    if (method !== undefined && index.sourceMethods.has(method)) return true;
    if (method !== undefined && index.sinksByMethod.has(method)) return true;
    const sanitizer = (q !== undefined ? index.sanitizersByQname.get(q) : undefined) ?? (method !== undefined ? index.sanitizersByMethod.get(method) : undefined);
    if (sanitizer !== undefined && sanitizer !== ALL_CLEARED) return true;
    // Guards work only in the interpreter (`if url_has_allowed_host_and_scheme(u, ...): return u`); `isinstance` is everywhere and rarely guards text.
    return (q !== undefined && q !== 'isinstance' && index.guardsByQname.has(q)) || (method !== undefined && index.guardsByMethod.has(method));
  }

  private summarisePlain(fn: FnRecord): void {
    const { ast } = this;
    this.fn = fn;
    this.labelByCall = new Map();
    this.scope = fn.scope;
    this.env = new Map();
    const params = fn.params.map((p, i) => ({ name: p.name, label: this.paramLabel(fn.index, i), id: p.id }));
    const hooks: PlainHooks = {
      isCleanCall: (call) => {
        const info = this.resolver.call(ast.node(call), fn.scope);
        const q = info.qname;
        const method = info.func?.type === 'attribute' ? info.name : undefined;
        return ((q !== undefined ? this.index.sanitizersByQname.get(q) : undefined) ?? (method !== undefined ? this.index.sanitizersByMethod.get(method) : undefined)) === ALL_CLEARED;
      },
      projectCall: (call, depsOf) => {
        const info = this.resolver.call(ast.node(call), fn.scope);
        const func = info.func ? info.func.id : ast.field(call, 'function');
        const receiverId = func !== NONE && ast.type(func) === 'attribute' ? ast.field(func, 'object') : NONE;
        const asTaint = (labels: Labels): Taint => (labels.length ? labels.map((label) => ({ label, flags: 0, trace: this.originTrace(label, params) })) : undefined);
        const args = info.positional.map((a) => asTaint(depsOf(a.node.id)));
        const keywords = info.keywords.size ? new Map([...info.keywords].map(([k, a]) => [k, asTaint(depsOf(a.node.id))] as const)) : undefined;
        const receiver = receiverId !== NONE ? asTaint(depsOf(receiverId)) : undefined;
        const site = this.projectCall(call, func, info.qname, args, keywords, receiverId, receiver, info.hasStarArgs || info.hasUnknownKwargs);
        return site?.map((e) => e.label);
      },
    };
    const result = plainSummary(ast, ast.field(fn.id, 'body'), params, hooks);
    if (this.enclosing[fn.index]) fn.finalEnv = this.env;
    if (!result.returned.length) return;
    const returnStep = this.step(result.returnId !== NONE ? result.returnId : fn.id);
    fn.returns = result.returned.map((label) => {
      const origin = this.originTrace(label, params);
      return { label, flags: result.built ? BUILT : 0, trace: { step: returnStep, prev: origin, length: (origin?.length ?? 0) + 1 } };
    });
  }

  /** Where a label's data enters a plain function: the parameter (a call result starts at the call, in the solver). */
  private originTrace(label: number, params: { label: number; name: string; id: number }[]): Trace | undefined {
    const p = params.find((x) => x.label === label);
    return p ? { step: this.step(p.id, p.name), prev: undefined, length: 1 } : undefined;
  }

  // ---- functions ---------------------------------------------------------------------------------

  private collectFunctions(): void {
    const { ast } = this;
    // Every record has every field, in this order: one object shape for the whole analysis.
    const moduleFn: FnRecord = { index: 0, node: undefined, id: 0, scope: this.model.module, key: this.module || '<module>', display: 'module code', line: 1, params: [], entry: undefined, internal: true, parent: undefined, classScope: undefined, selfName: undefined, returns: undefined, sinks: [], finalEnv: undefined };
    this.fns.push(moduleFn);
    const byId = new Map<number, FnRecord>([[0, moduleFn]]);
    const ids: number[] = [];
    this.model.scopes.forEach((scope, id) => {
      const type = ast.type(id);
      if (type === 'function_definition') ids.push(id);
      else if (type === 'class_definition' && scope.parent) {
        const n = ast.field(id, 'name');
        if (n === NONE) return;
        let byName = this.classScopes.get(scope.parent);
        if (!byName) this.classScopes.set(scope.parent, (byName = new Map()));
        byName.set(ast.text(n), scope);
      }
    });
    ids.sort((a, b) => a - b);
    for (const id of ids) {
      const node = ast.node(id);
      const scope = this.model.scopes.get(id)!;
      const outer = scope.parent ?? this.model.module;
      const nameId = ast.field(id, 'name');
      const name = nameId === NONE ? '<lambda>' : ast.text(nameId);
      // Enclosing function (lexically) and the qualified name through classes and functions
      const names = [name];
      let parent: FnRecord | undefined;
      let classScope: Scope | undefined;
      for (let p = ast.parent(id); p !== NONE; p = ast.parent(p)) {
        const type = ast.type(p);
        if (type === 'class_definition') {
          const n = ast.field(p, 'name');
          names.unshift(n === NONE ? '?' : ast.text(n));
          if (!classScope && !parent && outer.kind === 'class') classScope = outer;
        } else if (type === 'function_definition') {
          const n = ast.field(p, 'name');
          names.unshift(n === NONE ? '?' : ast.text(n));
          parent ??= byId.get(p);
        }
      }
      parent ??= moduleFn;
      const isModuleLevel = outer === this.model.module;
      const entry = this.entries.match(node, scope, outer, isModuleLevel);
      const fn: FnRecord = {
        index: this.fns.length,
        node,
        id,
        scope,
        key: [this.module, ...names].filter(Boolean).join('.'),
        display: `${names.slice(-2).join('.')}()`,
        line: this.tree.position(ast.start[id]).row + 1,
        params: this.entries.params(node).map((p) => ({ name: p.name, kind: p.kind, id: p.node.id, annotation: p.annotation ?? undefined, default: p.default ?? undefined })),
        entry,
        internal: (name.startsWith('_') && !name.startsWith('__')) || parent !== moduleFn,
        parent,
        classScope,
        selfName: classScope ? scope.selfName : undefined,
        returns: undefined,
        sinks: [],
        finalEnv: undefined,
      };
      byId.set(id, fn);
      this.fns.push(fn);
      let defs = this.defsIn.get(outer);
      if (!defs) this.defsIn.set(outer, (defs = new Map()));
      defs.set(name, fn);
    }
  }

  private analyse(fn: FnRecord): void {
    this.fn = fn;
    this.labelByCall = new Map();
    this.env = new Map();
    this.objs = new Map();
    this.scope = fn.scope;
    this.steps = 0;
    this.loopExits = [];
    try {
      if (!fn.node) this.block(0);
      else {
        this.enterParameters(fn);
        const body = this.ast.field(fn.id, 'body');
        if (body !== NONE) this.block(body);
      }
      if (this.enclosing[fn.index]) fn.finalEnv = this.env;
    } catch (err) {
      if (!(err instanceof OverBudget)) throw err;
      fn.returns = undefined;
      fn.sinks = [];
      fn.finalEnv = new Map();
      this.overBudget++;
    }
  }

  private enterParameters(fn: FnRecord): void {
    const entry = fn.entry;
    const policy = entry?.function ? entry.model.parameters : undefined;
    let seen = 0;
    fn.params.forEach((p, i) => {
      const skipped = !policy || policy.skip?.includes(p.name) || i < (policy.skipLeading ?? 0) || (i === 0 && fn.selfName === p.name);
      const annotation = p.annotation ? this.entries.annotationName(p.annotation, fn.scope.parent ?? fn.scope) : undefined;
      if (policy && !skipped) {
        const objectType = policy.objects?.[p.name] ?? (seen === 0 ? policy.objects?.['#0'] : undefined) ?? (annotation ? policy.annotatedObjects?.[annotation] : undefined);
        seen++;
        if (objectType) {
          this.objs.set(p.name, objectType);
          return;
        }
        const dependency = p.default?.type === 'call' && /^(Depends|Security|fastapi\.Depends|fastapi\.Security)$/.test(p.default.childForFieldName('function')?.text ?? '');
        if (entry?.converted?.has(p.name)) return; // `<int:item_id>`: the framework made it a number
        if (policy.rest && !this.entries.isSafeAnnotation(annotation) && !dependency) {
          this.env.set(p.name, [this.sourceEntry(entry!.model.kind, entry!.model.description, p.id, `${p.name} (${this.paramRole(entry!)})`)]);
          return;
        }
      }
      if (annotation && (!policy || !policy.rest)) {
        for (const e of this.index.entryPoints) {
          const t = e.parameters.annotatedObjects?.[annotation];
          if (t) {
            this.objs.set(p.name, t);
            return;
          }
        }
      }
      this.env.set(p.name, [{ label: this.paramLabel(fn.index, i), flags: 0, trace: { step: this.step(p.id, p.name), prev: undefined, length: 1 } }]);
    });
    // Self in methods of entry classes: its request object and untrusted members
    if (entry && fn.selfName) {
      const self = entry.model.selfObjects?.[''];
      if (self) this.objs.set(fn.selfName, self);
    }
  }

  private paramRole(entry: EntryMatch): string {
    const d = entry.model.description;
    if (/GraphQL|Graphene|Strawberry|Ariadne/.test(d)) return 'GraphQL argument';
    if (/click|typer/.test(d)) return 'command-line argument';
    return 'request parameter';
  }

  // ---- labels and steps ----------------------------------------------------------------------------

  private step(id: number, label?: string): Step {
    return { start: this.ast.start[id], end: this.ast.end[id], label };
  }

  private sourceLabel(kind: SourceKind, description: string): number {
    const key = `${kind}\u0000${description}`;
    let id = this.sourceLabels.get(key);
    if (id === undefined) {
      id = this.labels.length;
      this.labels.push({ k: 'source', kind, description });
      this.sourceLabels.set(key, id);
    }
    return id;
  }

  private paramLabel(fn: number, index: number): number {
    this.labels.push({ k: 'param', fn, index });
    return this.labels.length - 1;
  }

  private sourceEntry(kind: SourceKind, description: string, id: number, label?: string): Entry {
    return { label: this.sourceLabel(kind, description), flags: 0, trace: { step: this.step(id, label), prev: undefined, length: 1 } };
  }

  private tick(): void {
    if (++this.steps > this.budget.maxSteps) throw new OverBudget();
  }

  /** The env key of a plain value expression: `x`, `self.x`, `obj.attr`; undefined for anything else. */
  private key(id: number): string | undefined {
    const { ast } = this;
    const type = ast.type(id);
    if (type === 'identifier') return ast.text(id);
    if (type === 'attribute') {
      const obj = ast.field(id, 'object');
      const attr = ast.field(id, 'attribute');
      if (obj !== NONE && attr !== NONE && ast.type(obj) === 'identifier') return `${ast.text(obj)}.${ast.text(attr)}`;
    }
    if (type === 'parenthesized_expression') {
      const kids = ast.namedKids(id);
      if (kids.length === 1) return this.key(kids[0]);
    }
    return undefined;
  }

  // ---- statements ------------------------------------------------------------------------------------

  /** Runs the statements of a block; false when control cannot leave it normally. */
  private block(block: number): boolean {
    const { ast } = this;
    for (let c = ast.first[block]; c !== NONE; c = ast.next[c]) {
      if (!ast.named(c)) continue;
      if (!this.statement(c)) return false;
    }
    return true;
  }

  private statement(id: number): boolean {
    this.tick();
    const { ast } = this;
    switch (ast.type(id)) {
      case 'expression_statement': {
        for (let e = ast.first[id]; e !== NONE; e = ast.next[e]) {
          if (!ast.named(e)) continue;
          const type = ast.type(e);
          if (type === 'assignment' || type === 'augmented_assignment') this.assignment(e);
          else {
            this.expr(e);
            if (type === 'call' && this.isNoReturn(e)) return false;
          }
        }
        return true;
      }
      case 'return_statement': {
        const value = ast.firstNamed(id);
        if (value !== NONE) {
          const t = this.expr(value);
          if (t) {
            this.fn.returns = union(this.fn.returns, withStep(t, this.step(id)));
            this.htmlReturn(id, value, t);
          }
        }
        return false;
      }
      case 'raise_statement':
        for (const c of ast.namedKids(id)) this.expr(c);
        return false;
      case 'continue_statement':
      case 'break_statement':
        this.loopExits[this.loopExits.length - 1]?.push(new Map(this.env));
        return false;
      case 'if_statement':
        return this.ifStatement(id);
      case 'for_statement':
        return this.forStatement(id);
      case 'while_statement':
        return this.whileStatement(id);
      case 'try_statement':
        return this.tryStatement(id);
      case 'with_statement':
        return this.withStatement(id);
      case 'match_statement':
        return this.matchStatement(id);
      case 'decorated_definition':
        for (let d = ast.first[id]; d !== NONE; d = ast.next[d]) {
          if (ast.type(d) !== 'decorator') continue;
          const e = ast.firstNamed(d);
          if (e !== NONE) this.expr(e);
        }
        return true;
      case 'assert_statement': {
        const cond = ast.firstNamed(id);
        if (cond !== NONE) {
          this.expr(cond);
          this.refine(this.factsOf(cond).yes);
        }
        return true;
      }
      case 'delete_statement': {
        const first = ast.firstNamed(id);
        const targets = first !== NONE && ast.type(first) === 'expression_list' ? ast.namedKids(first) : ast.namedKids(id);
        for (const t of targets) {
          const key = this.key(t);
          if (key) this.env.set(key, undefined);
        }
        return true;
      }
      case 'block':
        return this.block(id);
      default:
        return true; // pass, import, global, nonlocal, function and class definitions (analysed on their own) ...
    }
  }

  private isNoReturn(call: number): boolean {
    const q = this.resolver.call(this.ast.node(call), this.scope).qname;
    return q !== undefined && this.index.noReturn.has(q);
  }

  private assignment(id: number): void {
    const { ast } = this;
    const left = ast.field(id, 'left');
    let right = ast.field(id, 'right');
    if (ast.type(id) === 'augmented_assignment') {
      const t = right !== NONE ? this.expr(right) : undefined;
      if (left === NONE) return;
      const key = this.key(left);
      if (key) {
        const op = ast.text(ast.field(id, 'operator') !== NONE ? ast.field(id, 'operator') : left);
        const joined = union(this.read(left), op === '+=' || op === '%=' ? mark(t, BUILT) : t);
        this.write(key, joined === undefined ? undefined : withStep(joined, this.step(left)));
      } else if (ast.type(left) === 'subscript' || ast.type(left) === 'attribute') this.weakUpdate(left, t);
      return;
    }
    // a = b = value: every target gets the value
    const targets: number[] = [];
    if (left !== NONE) targets.push(left);
    while (right !== NONE && ast.type(right) === 'assignment') {
      const l = ast.field(right, 'left');
      if (l !== NONE) targets.push(l);
      right = ast.field(right, 'right');
    }
    if (right === NONE) return; // `x: int` declares only
    const t = this.expr(right);
    for (const target of targets) this.bind(target, t, right);
    // Remember request objects assigned to names (`req = self.request`)
    if (left !== NONE && ast.type(left) === 'identifier') {
      const name = ast.text(left);
      const type = this.objectType(right);
      if (type) this.objs.set(name, type);
      else if (this.objs.size) this.objs.delete(name);
    }
  }

  /** Assigns a value to a target: names, attributes, subscripts (a weak update of the container), unpacking. */
  private bind(target: number, t: Taint, value = NONE): void {
    const { ast } = this;
    const type = ast.type(target);
    if (type === 'identifier') {
      this.write(ast.text(target), t === undefined ? undefined : withStep(t, this.step(target)));
      return;
    }
    if (type === 'attribute') {
      const key = this.key(target);
      if (key) this.write(key, t === undefined ? undefined : withStep(t, this.step(target)));
      else this.weakUpdate(target, t);
      return;
    }
    if (type === 'subscript') {
      this.weakUpdate(target, t);
      return;
    }
    if (TARGET_LISTS.has(type)) {
      const targets = ast.namedKids(target);
      const values = value !== NONE && SEQUENCES.has(ast.type(value)) ? ast.namedKids(value) : [];
      const pairwise = values.length === targets.length && !values.some((v) => ast.type(v) === 'list_splat');
      targets.forEach((child, i) => this.bind(child, pairwise ? this.expr(values[i]) : t, pairwise ? values[i] : NONE));
      return;
    }
    if (type === 'list_splat_pattern' || type === 'list_splat') {
      const inner = ast.firstNamed(target);
      if (inner !== NONE) this.bind(inner, t);
    }
  }

  private write(key: string, t: Taint): void {
    this.env.set(key, t);
    // `self.x = <source data>` is seen by the class's other methods
    if (!t || !this.fn.classScope) return;
    const dot = key.indexOf('.');
    if (dot > 0 && key.slice(0, dot) === this.fn.selfName) {
      const concrete = t.filter((e) => this.labels[e.label].k === 'source');
      if (concrete.length) {
        let attrs = this.classAttrs.get(this.fn.classScope);
        if (!attrs) this.classAttrs.set(this.fn.classScope, (attrs = new Map()));
        const attr = key.slice(dot + 1);
        attrs.set(attr, union(attrs.get(attr), concrete));
      }
    }
  }

  /** `d[k] = v`, `obj.items[0] = v`: the container now also holds v. */
  private weakUpdate(target: number, t: Taint): void {
    const { ast } = this;
    let base = target;
    while (base !== NONE) {
      const type = ast.type(base);
      if (type === 'subscript') {
        const sub = ast.field(base, 'subscript');
        if (sub !== NONE) this.expr(sub);
        base = ast.field(base, 'value');
      } else if (type === 'attribute' && !this.key(base)) base = ast.field(base, 'object');
      else break;
    }
    const key = base !== NONE ? this.key(base) : undefined;
    if (key && t) this.env.set(key, union(this.read(base), withStep(t, this.step(target))));
  }

  /** What a test guards on each branch; nothing to work out when no name in it carries data. */
  private factsOf(cond: number): { yes: GuardFact[]; no: GuardFact[] } {
    const { ast } = this;
    const stack = [cond];
    let tainted = false;
    while (stack.length && !tainted) {
      const id = stack.pop()!;
      if (ast.type(id) === 'identifier') {
        const name = ast.text(id);
        tainted = !!(this.env.has(name) ? this.env.get(name) : this.lookupOuter(name));
        if (!tainted && this.hasAttributeKeys(name)) tainted = true;
        continue;
      }
      for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) stack.push(c);
    }
    return tainted ? this.guards.facts(ast.node(cond), this.scope) : NO_FACTS;
  }

  /** Some `name.attr` value of this function carries data. */
  private hasAttributeKeys(name: string): boolean {
    const prefix = `${name}.`;
    let found = false;
    this.env.forEach((v, k) => {
      if (!found && v && k.startsWith(prefix)) found = true;
    });
    return found;
  }

  private refine(facts: GuardFact[]): void {
    for (const f of facts) {
      const t = this.env.has(f.key) ? this.env.get(f.key) : this.lookupOuter(f.key);
      if (t) this.env.set(f.key, clear(t, f.mask));
    }
  }

  private join(envs: Env[]): Env {
    if (envs.length === 1) return envs[0];
    // forEach, not for...of: iterating a Map's entries allocates an array per entry until V8 optimises the loop
    const out: Env = new Map(envs[0]);
    for (let i = 1; i < envs.length; i++) {
      const env = envs[i];
      env.forEach((v, k) => {
        if (!out.has(k)) {
          // Unset on the earlier paths: the value from outside the function (or nothing)
          out.set(k, union(v, this.lookupOuter(k)));
        } else {
          const prev = out.get(k);
          if (prev !== v) out.set(k, union(prev, v));
        }
      });
      out.forEach((v, k) => {
        if (!env.has(k)) out.set(k, union(v, this.lookupOuter(k)));
      });
    }
    return out;
  }

  private ifStatement(id: number): boolean {
    const { ast } = this;
    const branches: Env[] = [];
    const entry = this.env;
    let condition = ast.field(id, 'condition');
    let body = ast.field(id, 'consequence');
    const alternatives: number[] = [];
    for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) if (ast.fieldNames[ast.fieldId[c]] === 'alternative') alternatives.push(c);
    let altIndex = 0;
    let hasElse = false;
    let envHere = entry;
    while (condition !== NONE && body !== NONE) {
      this.env = envHere;
      this.expr(condition);
      const facts = this.factsOf(condition);
      const afterCond = this.env;
      this.env = new Map(afterCond);
      this.refine(facts.yes);
      if (this.block(body)) branches.push(this.env);
      // The body ran on a copy: the other branch can keep the map unless the guard changes it.
      envHere = facts.no.length ? new Map(afterCond) : afterCond;
      this.env = envHere;
      this.refine(facts.no);
      const alt = alternatives[altIndex++];
      if (alt === undefined) break;
      if (ast.type(alt) === 'elif_clause') {
        condition = ast.field(alt, 'condition');
        body = ast.field(alt, 'consequence');
      } else {
        hasElse = true;
        this.env = envHere;
        const elseBody = ast.field(alt, 'body') !== NONE ? ast.field(alt, 'body') : ast.childOfType(alt, 'block');
        if (elseBody === NONE || this.block(elseBody)) branches.push(this.env);
        break;
      }
    }
    if (!hasElse) branches.push(envHere);
    if (!branches.length) {
      this.env = entry;
      return false;
    }
    this.env = this.join(branches);
    return true;
  }

  /** Runs a loop body to a fixpoint (values only grow), at most a few passes. */
  private loop(bodyRun: () => void): void {
    const exits: Env[] = [];
    this.loopExits.push(exits);
    let before = this.env;
    for (let pass = 0; pass < 4; pass++) {
      this.env = new Map(before);
      bodyRun();
      const after = this.join([before, this.env, ...exits]);
      const stable = this.sameEnv(after, before);
      before = after;
      if (stable) break;
    }
    this.loopExits.pop();
    this.env = before;
  }

  private sameEnv(a: Env, b: Env): boolean {
    if (a.size !== b.size) return false;
    let same = true;
    a.forEach((v, k) => {
      if (same && !sameTaint(v, b.get(k))) same = false;
    });
    return same;
  }

  private elseBlock(id: number): void {
    const alt = this.ast.field(id, 'alternative');
    if (alt === NONE) return;
    const block = this.ast.childOfType(alt, 'block');
    this.block(block !== NONE ? block : alt);
  }

  private forStatement(id: number): boolean {
    const { ast } = this;
    const left = ast.field(id, 'left');
    const right = ast.field(id, 'right');
    const body = ast.field(id, 'body');
    const iter = right !== NONE ? this.expr(right) : undefined;
    this.loop(() => {
      if (left !== NONE) this.bind(left, iter);
      if (body !== NONE) this.block(body);
    });
    this.elseBlock(id);
    return true;
  }

  private whileStatement(id: number): boolean {
    const { ast } = this;
    const cond = ast.field(id, 'condition');
    const body = ast.field(id, 'body');
    if (cond !== NONE) this.expr(cond);
    this.loop(() => {
      if (cond !== NONE) {
        this.expr(cond);
        this.refine(this.factsOf(cond).yes);
      }
      if (body !== NONE) this.block(body);
    });
    this.elseBlock(id);
    return true;
  }

  private tryStatement(id: number): boolean {
    const { ast } = this;
    const entry = this.env;
    const body = ast.field(id, 'body');
    const out: Env[] = [];
    this.env = new Map(entry);
    let bodyFalls = body !== NONE ? this.block(body) : true;
    const afterBody = this.env;
    let elseClause = NONE;
    let finallyClause = NONE;
    for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) {
      const type = ast.type(c);
      if (type === 'except_clause' || type === 'except_group_clause') {
        // A handler may start anywhere in the body: what the body had assigned, or not yet.
        this.env = this.join([entry, afterBody]);
        const pattern = ast.childOfType(c, 'as_pattern');
        const alias = pattern !== NONE ? ast.field(pattern, 'alias') : NONE;
        if (alias !== NONE) this.bind(ast.firstNamed(alias) !== NONE ? ast.firstNamed(alias) : alias, undefined);
        const block = ast.childOfType(c, 'block');
        if (block === NONE || this.block(block)) out.push(this.env);
      } else if (type === 'else_clause') elseClause = c;
      else if (type === 'finally_clause') finallyClause = c;
    }
    if (elseClause !== NONE && bodyFalls) {
      this.env = afterBody;
      const block = ast.childOfType(elseClause, 'block');
      bodyFalls = block !== NONE ? this.block(block) : true;
      if (bodyFalls) out.push(this.env);
    } else if (bodyFalls) out.push(afterBody);
    this.env = out.length ? this.join(out) : this.join([entry, afterBody]);
    if (finallyClause !== NONE) {
      const block = ast.childOfType(finallyClause, 'block');
      if (block !== NONE && !this.block(block)) return false;
    }
    return out.length > 0;
  }

  private withStatement(id: number): boolean {
    const { ast } = this;
    const clause = ast.childOfType(id, 'with_clause');
    if (clause !== NONE) {
      for (const item of ast.namedKids(clause)) {
        const value = ast.field(item, 'value') !== NONE ? ast.field(item, 'value') : ast.firstNamed(item);
        if (value === NONE) continue;
        if (ast.type(value) === 'as_pattern') {
          const manager = ast.firstNamed(value);
          const alias = ast.field(value, 'alias');
          const t = manager !== NONE ? this.expr(manager) : undefined;
          const target = alias !== NONE && ast.firstNamed(alias) !== NONE ? ast.firstNamed(alias) : alias;
          if (target !== NONE) this.bind(target, t);
        } else this.expr(value);
      }
    }
    const body = ast.field(id, 'body');
    return body !== NONE ? this.block(body) : true;
  }

  private matchStatement(id: number): boolean {
    const { ast } = this;
    const subject = ast.field(id, 'subject') !== NONE ? ast.field(id, 'subject') : ast.firstNamed(id);
    const t = subject !== NONE ? this.expr(subject) : undefined;
    const entry = this.env;
    const out: Env[] = [entry];
    const body = ast.field(id, 'body') !== NONE ? ast.field(id, 'body') : ast.childOfType(id, 'block');
    for (const c of body !== NONE ? ast.namedKids(body) : []) {
      if (ast.type(c) !== 'case_clause') continue;
      this.env = new Map(entry);
      const node = ast.node(c);
      for (const name of node.namedChildren.filter((x) => x.type === 'case_pattern').flatMap((p) => p.descendantsOfType('identifier'))) {
        const parent = name.parent;
        if (parent?.type === 'keyword_pattern' && name.equals(parent.namedChildren[0])) continue;
        if (parent?.type === 'class_pattern' || parent?.type === 'dotted_name') continue;
        this.env.set(name.text, t === undefined ? undefined : withStep(t, this.step(name.id)));
      }
      const block = ast.childOfType(c, 'block');
      if (block === NONE || this.block(block)) out.push(this.env);
    }
    this.env = this.join(out);
    return true;
  }

  // ---- expressions -----------------------------------------------------------------------------------

  /** What a name or access path holds here: this function's value, else the enclosing function's or the module's. */
  private read(id: number): Taint {
    const key = this.key(id);
    if (key === undefined) return this.expr(id);
    if (this.env.has(key)) return this.env.get(key);
    return this.lookupOuter(key);
  }

  private lookupOuter(key: string): Taint {
    const dot = key.indexOf('.');
    const name = dot < 0 ? key : key.slice(0, dot);
    // A name this function binds itself is not the outer one (before its first assignment it is unbound).
    if (this.fn.node && this.fn.scope.bindings.has(name)) return undefined;
    for (let p = this.fn.parent; p; p = p.parent) {
      const env = p.finalEnv;
      if (env?.has(key)) return env.get(key);
      if (p.scope.bindings.has(name)) return undefined;
    }
    return undefined;
  }

  private expr(id: number): Taint {
    this.tick();
    const { ast } = this;
    const type = ast.type(id);
    switch (type) {
      case 'identifier':
        return this.identifier(id);
      case 'attribute':
        return this.attribute(id);
      case 'subscript': {
        const value = ast.field(id, 'value');
        for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) if (ast.fieldNames[ast.fieldId[c]] === 'subscript') this.expr(c);
        return value !== NONE ? this.widen(this.expr(value), value, id) : undefined;
      }
      case 'call':
        return this.call(id);
      case 'string':
        return this.fstring(id);
      case 'concatenated_string': {
        let t: Taint;
        for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) if (ast.type(c) === 'string') t = union(t, this.fstring(c));
        return t;
      }
      case 'binary_operator':
        return this.binary(id);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(id);
      case 'named_expression': {
        const name = ast.field(id, 'name');
        const value = ast.field(id, 'value');
        const t = value !== NONE ? this.expr(value) : undefined;
        if (name !== NONE) this.write(ast.text(name), t === undefined ? undefined : withStep(t, this.step(name)));
        return t;
      }
      case 'keyword_argument': {
        const value = ast.field(id, 'value');
        return value !== NONE ? this.expr(value) : undefined;
      }
      case 'conditional_expression': {
        // `a if cond else b`: the value is a or b; the condition only decides which
        const [a, cond, b] = ast.namedKids(id);
        if (cond !== undefined) this.expr(cond);
        return union(a !== undefined ? this.expr(a) : undefined, b !== undefined ? this.expr(b) : undefined);
      }
      case 'comparison_operator':
      case 'not_operator':
        for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) if (ast.named(c)) this.expr(c);
        return undefined;
      default: {
        if (!UNION_EXPRESSIONS.has(type)) return undefined; // literals, lambda, ellipsis, slices...
        let t: Taint;
        for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) {
          if (!ast.named(c) || ast.type(c) === 'comment') continue;
          t = union(t, this.expr(c));
        }
        if (type === 'yield' && t) this.fn.returns = union(this.fn.returns, t);
        return t;
      }
    }
  }

  /** The binding of a name is an import, or there is none (a built-in, a star import): what a qualified name can describe. */
  private importedName(name: string, pos: number): boolean {
    const b = this.resolver.lookup(name, this.scope, pos);
    return !b || b.kind === 'import' || (b.kind === 'value' && b.scope.kind === 'module');
  }

  private identifier(id: number): Taint {
    const name = this.ast.text(id);
    if (this.env.has(name)) return this.env.get(name);
    const outer = this.lookupOuter(name);
    if (outer) return outer;
    // `from sys import argv`
    const binding = this.resolver.lookup(name, this.scope, this.ast.start[id]);
    if (binding?.kind === 'import' && binding.qname) {
      const source = this.index.sources.get(binding.qname);
      if (source) return [this.sourceEntry(source.kind, source.description, id)];
    }
    return undefined;
  }

  /** The request-object type of an expression, if it is one (a parameter, `self.request`, Flask's `request`). */
  private objectType(id: number): string | undefined {
    const memo = this.typeMemo;
    if (memo?.has(id)) return memo.get(id);
    const type = this.objectTypeOnce(id);
    memo?.set(id, type);
    return type;
  }

  private objectTypeOnce(id: number): string | undefined {
    if (this.budget.work) this.budget.work.chainLookups++;
    const { ast } = this;
    const type = ast.type(id);
    if (type === 'identifier') {
      const name = ast.text(id);
      const own = this.objs.get(name);
      if (own) return own;
      if (this.env.has(name) || !this.importedName(name, ast.start[id])) return undefined;
      const q = this.resolver.qname(ast.node(id), this.scope);
      return q !== undefined ? this.index.objectsByQname.get(q) : undefined;
    }
    if (type === 'attribute') {
      const obj = ast.field(id, 'object');
      const attrId = ast.field(id, 'attribute');
      if (obj === NONE || attrId === NONE) return undefined;
      const attr = ast.text(attrId);
      if (ast.type(obj) === 'identifier' && ast.text(obj) === this.fn.selfName) {
        const selfObject = this.classEntry()?.model.selfObjects?.[attr];
        if (selfObject) return selfObject;
      }
      const base = this.objectType(obj);
      if (base) return this.index.objects.get(base)?.objectMembers?.[attr];
      if (!this.rootImported(obj)) return undefined;
      const q = this.resolver.qname(ast.node(id), this.scope);
      return q !== undefined ? this.index.objectsByQname.get(q) : undefined;
    }
    if (type === 'await' || type === 'parenthesized_expression') {
      const inner = ast.firstNamed(id);
      return inner !== NONE ? this.objectType(inner) : undefined;
    }
    return undefined;
  }

  /** The leftmost name of an attribute chain is imported (or global): worth a qualified name. */
  private rootImported(id: number): boolean {
    const { ast } = this;
    const root = this.chainRoot(id);
    if (root === NONE || ast.type(root) !== 'identifier') return false;
    const name = ast.text(root);
    if (this.env.has(name) || this.objs.has(name)) return false;
    return this.importedName(name, ast.start[root]);
  }

  /**
   * The leftmost node of an attribute chain (NONE when the chain is broken). Every link of the chain is
   * remembered on the way down: asked at each level of a 1,000-link chain, a walk each time was quadratic.
   * The tree does not change, so neither does the answer.
   */
  private chainRoot(id: number): number {
    const { ast } = this;
    const path: number[] = [];
    let root = id;
    while (root !== NONE && ast.type(root) === 'attribute') {
      const known = this.roots.get(root);
      if (known !== undefined) {
        root = known;
        break;
      }
      path.push(root);
      if (this.budget.work) this.budget.work.chainLookups++;
      root = ast.field(root, 'object');
    }
    for (const link of path) this.roots.set(link, root);
    return root;
  }

  /** A function defined directly in a class body. */
  private inClass(fn: FnRecord): boolean {
    return fn.scope.parent?.kind === 'class';
  }

  /** The entry model of the class the current method belongs to (for `self.request`, `self.kwargs`). */
  private classEntry(): EntryMatch | undefined {
    let f: FnRecord | undefined = this.fn;
    while (f && !f.classScope) f = f.parent;
    return f?.entry;
  }

  private attribute(id: number): Taint {
    // The outermost attribute of a chain owns a memo of object types: each level below asks for the type of
    // its object, which asks for the whole chain beneath it (quadratic in the chain's length without it).
    // Within one chain nothing changes the environment before the last lookup (objectType stops at calls).
    if (this.typeMemo) return this.attributeOnce(id);
    this.typeMemo = new Map();
    try {
      return this.attributeOnce(id);
    } finally {
      this.typeMemo = undefined;
    }
  }

  private attributeOnce(id: number): Taint {
    const { ast } = this;
    const obj = ast.field(id, 'object');
    const attrId = ast.field(id, 'attribute');
    if (obj === NONE || attrId === NONE) return undefined;
    const attr = ast.text(attrId);
    const objIsName = ast.type(obj) === 'identifier';
    if (objIsName) {
      const key = `${ast.text(obj)}.${attr}`;
      if (this.env.has(key)) return this.env.get(key);
      const outer = this.lookupOuter(key);
      if (outer) return outer;
    }
    const type = this.objectType(obj);
    if (type) {
      const model = this.index.objects.get(type);
      if (model?.members.includes(attr)) return [this.sourceEntry(model.kind, model.description, id)];
      return undefined; // other members of a request object (`request.user`, `request.method`) are not attacker data
    }
    if (objIsName && ast.text(obj) === this.fn.selfName) {
      const entry = this.classEntry();
      if (entry?.model.selfMembers?.includes(attr)) return [this.sourceEntry(entry.model.kind, entry.model.description, id)];
      const cls = this.enclosingClass();
      const stored = cls ? this.classAttrs.get(cls)?.get(attr) : undefined;
      if (stored) return stored;
    }
    if (this.rootImported(obj)) {
      const q = this.resolver.qname(ast.node(id), this.scope);
      if (q !== undefined) {
        const source = this.index.sources.get(q);
        if (source) return [this.sourceEntry(source.kind, source.description, id)];
        if (this.index.objectsByQname.has(q)) return undefined;
      }
    }
    return this.expr(obj);
  }

  private enclosingClass(): Scope | undefined {
    for (let f: FnRecord | undefined = this.fn; f; f = f.parent) if (f.classScope) return f.classScope;
    return undefined;
  }

  /** f-strings: their interpolations, built into a larger string. */
  private fstring(id: number): Taint {
    const { ast } = this;
    let t: Taint;
    let prefix = '';
    let seenValue = false;
    for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) {
      const type = ast.type(c);
      if (type === 'interpolation') {
        const e = ast.field(c, 'expression') !== NONE ? ast.field(c, 'expression') : ast.firstNamed(c);
        if (e === NONE) continue;
        const value = this.expr(e);
        t = union(t, value);
        // A constant part (`f"{API_BASE}/items/{item}"`) still fixes what the string starts with.
        if (value || seenValue) {
          seenValue = true;
          continue;
        }
        // A clean part (`{API_BASE}`, `{int(shard)}`) still fixes what the string starts with.
        const constant = ast.type(e) === 'identifier' || ast.type(e) === 'attribute' ? this.resolver.constant(ast.node(e), this.scope) : undefined;
        prefix += typeof constant === 'string' ? constant : '0';
      } else if (type === 'string_content' && !seenValue) prefix += ast.text(c);
    }
    return t ? this.built(t, prefix, true) : undefined;
  }

  /** A value built into a string: BUILT, and safe for URL rules when the constant start fixes the host or the path. */
  private built(t: Taint, prefix: string, hasConstant: boolean): Taint {
    let out = hasConstant ? mark(t, BUILT) : t;
    if (FIXED_HOST.test(prefix)) out = clear(out, URL_RULES);
    else if (LOCAL_PATH.test(prefix)) out = clear(out, REDIRECT);
    return out;
  }

  private binary(id: number): Taint {
    const { ast } = this;
    const left = ast.field(id, 'left');
    const right = ast.field(id, 'right');
    const opId = ast.field(id, 'operator');
    const l = left !== NONE ? this.expr(left) : undefined;
    const r = right !== NONE ? this.expr(right) : undefined;
    const t = union(l, r);
    if (!t) return undefined;
    const op = opId !== NONE ? ast.text(opId) : '';
    if (op === '+' || op === '%') return this.built(t, left !== NONE && !l ? (this.constantPrefix(left) ?? '') : '', true);
    return t;
  }

  private constantPrefix(id: number): string | undefined {
    const { ast } = this;
    const type = ast.type(id);
    if (type === 'binary_operator') {
      const left = ast.field(id, 'left');
      return left !== NONE ? this.constantPrefix(left) : undefined;
    }
    if (type === 'string') {
      const first = ast.childOfType(id, 'string_content');
      return first !== NONE ? ast.text(first) : '';
    }
    if (type === 'identifier' || type === 'attribute' || type === 'concatenated_string') {
      const c = this.resolver.constant(ast.node(id), this.scope);
      return typeof c === 'string' ? c : undefined;
    }
    return undefined;
  }

  private comprehension(id: number): Taint {
    const { ast } = this;
    const saved = this.env;
    const savedScope = this.scope;
    this.env = new Map(saved);
    this.scope = this.model.scopes.get(id) ?? this.scope;
    const body = ast.field(id, 'body') !== NONE ? ast.field(id, 'body') : ast.firstNamed(id);
    for (let c = ast.first[id]; c !== NONE; c = ast.next[c]) {
      const type = ast.type(c);
      if (type === 'for_in_clause') {
        const right = ast.field(c, 'right');
        const left = ast.field(c, 'left');
        const t = right !== NONE ? this.expr(right) : undefined;
        if (left !== NONE) this.bind(left, t);
      } else if (type === 'if_clause') {
        const cond = ast.firstNamed(c);
        if (cond !== NONE) {
          this.expr(cond);
          this.refine(this.factsOf(cond).yes);
        }
      }
    }
    const t = body !== NONE ? this.expr(body) : undefined;
    // Walrus targets inside a comprehension bind in the function
    const inner = this.env;
    const innerScope = this.scope;
    this.env = saved;
    this.scope = savedScope;
    for (const [k, v] of inner) if (!saved.has(k) && this.fn.scope.bindings.has(k) && !innerScope.bindings.has(k)) this.env.set(k, v);
    return t;
  }

  // ---- calls -----------------------------------------------------------------------------------------

  private call(id: number): Taint {
    const { ast } = this;
    const node = ast.node(id);
    const info = this.resolver.boundCall(node, this.scope);
    const func = info.func ? info.func.id : ast.field(id, 'function');
    const isMethod = func !== NONE && ast.type(func) === 'attribute';
    const receiverId = isMethod ? ast.field(func, 'object') : NONE;
    const q = info.qname;
    const method = isMethod ? info.name : undefined;

    const receiverType = receiverId !== NONE ? this.objectType(receiverId) : undefined;
    const args: Taint[] = info.positional.map((a) => this.expr(a.node.id));
    const keywords = info.keywords.size ? new Map<string, Taint>() : undefined;
    for (const [k, a] of info.keywords) keywords!.set(k, this.expr(a.node.id));
    // Arguments not in positional/keywords (`*args`, `**kwargs`) still run and still carry data
    if (info.hasStarArgs || info.hasUnknownKwargs) {
      const list = ast.field(id, 'arguments');
      if (list !== NONE) for (let a = ast.first[list]; a !== NONE; a = ast.next[a]) if (ast.type(a) === 'list_splat' || ast.type(a) === 'dictionary_splat') args.push(this.expr(a));
    }
    // A request object's method whose result is data (`request.get_json()`, `self.get_argument("q")`)
    if (receiverType) {
      const model = this.index.objects.get(receiverType);
      if (model?.members.includes(`${info.name}()`)) return [this.sourceEntry(model.kind, model.description, id)];
    }
    // `request.args.get("q")` starts the flow; `.strip()` on it does not move the start again.
    const receiver = receiverId !== NONE && !receiverType ? (ast.type(receiverId) === 'call' ? this.expr(receiverId) : this.widen(this.expr(receiverId), receiverId, id)) : undefined;

    const sinks =
      (receiverType && method !== undefined ? this.index.sinksByObjectMethod.get(`${receiverType}#${method}`) : undefined) ??
      (q !== undefined ? this.index.sinksByQname.get(q) : undefined) ??
      (method !== undefined ? this.index.sinksByMethod.get(method) : undefined);
    if (sinks) for (const sink of sinks) this.checkSink(sink, id, info.positional, info.keywords, args, keywords, receiver);

    if (q !== undefined) {
      const source = this.index.sources.get(`${q}()`);
      if (source) return [this.sourceEntry(source.kind, source.description, id)];
    }
    if (method !== undefined) {
      const source = this.index.sourceMethods.get(method);
      if (source && source.whenImports.some((m) => this.importsModule(m))) return [this.sourceEntry(source.kind, source.description, id)];
    }
    let all: Taint = receiver;
    for (const a of args) all = union(all, a);
    if (keywords) for (const v of keywords.values()) all = union(all, v);
    const sanitizer = (q !== undefined ? this.index.sanitizersByQname.get(q) : undefined) ?? (method !== undefined && (q === undefined || !this.index.passByQname.has(q)) ? this.index.sanitizersByMethod.get(method) : undefined);
    if (sanitizer !== undefined) return clear(all, sanitizer);
    if (method && receiverId !== NONE && args.length && CONTAINER_ADDERS.has(method)) {
      const key = this.key(receiverId);
      let added: Taint;
      for (const a of args) added = union(added, a);
      if (key && added) this.env.set(key, union(this.read(receiverId), withStep(added, this.step(id))));
    }
    // A library call whose sinks are modelled: its result carries its arguments, but not for the rules it is a
    // sink of (`execute(text(sql))`, `exec(compile(src))` are one problem, reported at the inner call).
    if (sinks) {
      // Only what came in through a dangerous argument is cleared (`re.finditer(PATTERN, text)` still carries `text`).
      const maskOf = (key: number | string | 'receiver'): number => {
        let mask = 0;
        for (const sink of sinks) if (key === 'receiver' ? sink.receiver : sink.args.includes(key)) mask |= ruleBit(sink.rule);
        return mask;
      };
      let result = clear(receiver, maskOf('receiver'));
      args.forEach((a, i) => (result = union(result, clear(a, maskOf(i)))));
      if (keywords) for (const [k, v] of keywords) result = union(result, clear(v, maskOf(k)));
      return result;
    }
    const site = this.projectCall(id, func, q, args, keywords, receiverId, receiver, info.hasStarArgs || info.hasUnknownKwargs);
    if (site) return site;
    // A pass-through that carries only some of its inputs (`CONSTANTS.get(key)` is a constant)
    const from = (q !== undefined ? this.index.passFromByQname.get(q) : undefined) ?? (method !== undefined ? this.index.passFromByMethod.get(method) : undefined);
    if (!from) return all;
    let some: Taint;
    for (const f of from) some = union(some, f === 'receiver' ? receiver : typeof f === 'number' ? args[f] : keywords?.get(f));
    return some;
  }

  /**
   * A source read through a subscript or a method (`request.args["q"]`, `request.args.get("q")`): the flow
   * starts at the whole expression, which is what a reader recognises.
   */
  private widen(t: Taint, inner: number, outer: number): Taint {
    if (!t) return t;
    const { ast } = this;
    let changed = false;
    const out = t.map((e) => {
      const tr = e.trace;
      if (!tr || tr.length !== 1 || tr.step.start !== ast.start[inner] || tr.step.end !== ast.end[inner] || this.labels[e.label].k !== 'source') return e;
      changed = true;
      return { label: e.label, flags: e.flags, trace: { step: this.step(outer), prev: undefined, length: 1 } };
    });
    return changed ? out : t;
  }

  /** Checks one sink model against a call; records a hit when a dangerous argument carries data. */
  private checkSink(sink: SinkModel, id: number, argNodes: { node: Node }[], kwNodes: Map<string, { node: Node }>, args: Taint[], keywords: Map<string, Taint> | undefined, receiver: Taint): void {
    if (sink.when && !this.condition(sink, id, kwNodes)) return;
    const bit = ruleBit(sink.rule);
    let t: Taint;
    if (sink.receiver) t = receiver;
    for (const a of sink.args) {
      if (typeof a === 'number') {
        const arg = argNodes[a];
        if (arg) t = union(t, sink.program ? this.programTaint(arg.node.id, args[a]) : args[a]);
      } else {
        const kw = kwNodes.get(a);
        if (kw) t = union(t, sink.program ? this.programTaint(kw.node.id, keywords?.get(a)) : keywords?.get(a));
      }
    }
    if (!t) return;
    const live = t.filter((e) => (e.flags & bit) === 0);
    if (live.length) this.fn.sinks.push({ rule: sink.rule, description: sink.description, id, taint: live });
  }

  /**
   * Of `[program, *args]`, only the program: the first element of a list literal (or a name bound to one);
   * with a shell as the program (`["sh", "-c", script]`), the script too.
   */
  private programTaint(argId: number, whole: Taint): Taint {
    const { ast } = this;
    const literal = ast.type(argId) === 'identifier' ? this.resolver.expression({ node: ast.node(argId), scope: this.scope }).node.id : argId;
    const type = ast.type(literal);
    if (type === 'list' || type === 'tuple') {
      const items = ast.namedKids(literal);
      if (!items.length || ast.type(items[0]) === 'list_splat') return whole;
      let t = this.expr(items[0]);
      const program = this.resolver.constant(ast.node(items[0]), this.scope);
      const flag = items[1] !== undefined ? this.resolver.constant(ast.node(items[1]), this.scope) : undefined;
      if (typeof program === 'string' && SHELLS.test(program) && typeof flag === 'string' && /^(-c|\/c|-Command)$/i.test(flag) && items[2] !== undefined) t = union(t, this.expr(items[2]));
      return t;
    }
    return whole;
  }

  private condition(sink: SinkModel, id: number, kw: Map<string, { node: Node }>): boolean {
    const constant = (name: string) => {
      const a = kw.get(name);
      return a ? this.resolver.constant(a.node, this.scope) : undefined;
    };
    const shell = () => {
      const v = constant('shell');
      return kw.has('shell') && v !== false && v !== 0 && v !== null;
    };
    switch (sink.when) {
      case 'shell-true':
        return shell();
      case 'shell-not-true':
        return !shell();
      case 'allow-pickle':
        return constant('allow_pickle') === true;
      case 'unsafe-yaml-loader': {
        const info = this.resolver.call(this.ast.node(id), this.scope);
        const loader = kw.get('Loader')?.node ?? info.positional[1]?.node;
        if (!loader) return true;
        const q = this.resolver.qname(loader, this.scope) ?? loader.text;
        return !/(^|\.)(C?SafeLoader|BaseLoader)$/.test(q);
      }
      case 'html-content': {
        const type = constant('content_type') ?? constant('mimetype');
        if (typeof type === 'string') return type.includes('html');
        if (kw.has('content_type') || kw.has('mimetype')) return false;
        return !(this.resolver.call(this.ast.node(id), this.scope).qname ?? '').startsWith('aiohttp');
      }
      case 'html-unless-other-content-type': {
        // `self.send_header("Content-Type", "application/json")` in the same function: not HTML
        const fnText = this.fn.node ? this.fn.node.text : '';
        const declared = [...fnText.matchAll(/send_header\(\s*["']content-type["']\s*,\s*["']([^"']*)["']\s*\)/gi)].map((m) => m[1]);
        return !declared.length || declared.some((t) => /html/i.test(t));
      }
      default:
        return true;
    }
  }

  /** A Flask view returning an HTML string built from request data: the return value is the response body. */
  private htmlReturn(stmt: number, value: number, t: readonly Entry[]): void {
    const entry = this.fn.entry;
    if (!entry?.function) return;
    const flask = /Flask/.test(entry.model.description);
    if (!flask && !this.declaresHtmlResponse()) return;
    const { ast } = this;
    // `return html, 400`: the body is the first element
    let body = value;
    if ((ast.type(body) === 'expression_list' || ast.type(body) === 'tuple') && ast.firstNamed(body) !== NONE) body = ast.firstNamed(body);
    const built = ast.type(body) === 'identifier' ? this.resolver.expression({ node: ast.node(body), scope: this.scope }).node.id : body;
    if (flask && !this.looksLikeHtml(built, 0)) return;
    const bit = ruleBit('PW106');
    const live = t.filter((e) => (e.flags & bit) === 0);
    if (live.length) this.fn.sinks.push({ rule: 'PW106', description: 'an HTML string returned by a Flask view (sent as text/html)', id: stmt, taint: live });
  }

  /** A FastAPI operation declared with `response_class=HTMLResponse`: whatever it returns is sent as HTML. */
  private declaresHtmlResponse(): boolean {
    const parent = this.fn.node?.parent;
    if (parent?.type !== 'decorated_definition') return false;
    return parent.namedChildren.some((d) => {
      const call = d.namedChildren[0];
      if (call?.type !== 'call') return false;
      const rc = this.resolver.call(call, this.fn.scope.parent ?? this.fn.scope).keywords.get('response_class');
      return !!rc && /HTMLResponse$/.test(this.resolver.qname(rc.node, rc.scope) ?? rc.node.text);
    });
  }

  private looksLikeHtml(id: number, depth: number): boolean {
    if (depth > 6 || id === NONE) return false;
    const { ast } = this;
    const type = ast.type(id);
    if (type === 'string' || type === 'concatenated_string') return HTML_TAG.test(ast.text(id));
    if (type === 'binary_operator' || type === 'parenthesized_expression') return ast.namedKids(id).some((c) => this.looksLikeHtml(c, depth + 1));
    if (type === 'call') {
      const fn = ast.field(id, 'function');
      if (fn === NONE || ast.type(fn) !== 'attribute') return false;
      const attr = ast.text(ast.field(fn, 'attribute'));
      return (attr === 'format' || attr === 'join') && this.looksLikeHtml(ast.field(fn, 'object'), depth + 1);
    }
    return false;
  }

  /**
   * A call to a function of the project: this file's (`helper(x)`, `self.check(x)`) or another module's
   * (`from .utils import clean`). Its result is a label the solver resolves with the callee's summary.
   */
  private projectCall(id: number, func: number, q: string | undefined, args: Taint[], keywords: Map<string, Taint> | undefined, receiverId: number, receiver: Taint, spread: boolean): Taint {
    const { ast } = this;
    let local: FnRecord | undefined;
    let qname: string | undefined;
    let withReceiver = false;
    if (func === NONE) return undefined;
    const funcType = ast.type(func);
    if (funcType === 'identifier') {
      const name = ast.text(func);
      const b = this.resolver.lookup(name, this.scope, ast.start[id]);
      if (b?.kind === 'def') local = this.defsIn.get(b.scope)?.get(name);
      else if (b?.kind === 'import' && q !== undefined) qname = this.absolute(q);
    } else if (funcType === 'attribute' && receiverId !== NONE) {
      const attr = ast.text(ast.field(func, 'attribute'));
      if (ast.type(receiverId) === 'identifier' && ast.text(receiverId) === this.fn.selfName) {
        const cls = this.enclosingClass();
        local = cls ? this.defsIn.get(cls)?.get(attr) : undefined;
        // Not defined in the class: a base class's (a mixin's), looked up by the solver as `module.Base.method`
        if (!local && cls) qname = this.inheritedMethod(cls, attr);
        withReceiver = !!local || qname !== undefined;
      } else {
        // `storage.purge(x)` after `from . import storage` / `import app.store as st`: a function of that module
        const root = this.rootName(receiverId);
        const base = root !== NONE ? this.resolver.lookup(ast.text(root), this.scope, ast.start[id]) : undefined;
        // Only when what precedes the function is an imported module (not `request.args` of `from flask import request`)
        const owner = q !== undefined ? q.slice(0, Math.max(0, q.lastIndexOf('.'))) : '';
        if (base?.kind === 'import' && q !== undefined && !q.includes('()') && this.model.importedModules.has(owner)) qname = this.absolute(q);
        else {
          // `DocumentStore(root).delete(name)`, `store.read(name)` with `store = DocumentStore(...)`: a method of a project class
          const method = this.instanceMethod(receiverId, attr, id);
          if (method) {
            local = method.local;
            qname = method.qname;
            withReceiver = true;
          }
        }
      }
    }
    if (qname !== undefined && STDLIB_MODULES.has(qname.slice(0, qname.indexOf('.') >>> 0))) qname = undefined;
    if (!local && qname === undefined) return undefined;
    if (local) this.locallyCalled.add(local.index);
    const all = withReceiver ? [receiver, ...args] : args;
    // Evaluated again (a loop's next pass): the same site and label, its arguments the union of the passes'.
    // A new site per pass gave the loop a new label each time, so it never reached its fixpoint early.
    const known = this.labelByCall.get(id);
    if (known !== undefined) {
      const site = this.calls[(this.labels[known] as { site: number }).site];
      for (let i = 0; i < all.length; i++) site.args[i] = this.mergeExported(site.args[i] ?? [], all[i]);
      if (keywords) for (const [k, v] of keywords) site.keywords[k] = this.mergeExported(site.keywords[k] ?? [], v);
      return [{ label: known, flags: 0, trace: undefined }];
    }
    const siteIndex = this.calls.length;
    const kw: Record<string, EntryData[]> = {};
    if (keywords) for (const [k, v] of keywords) kw[k] = this.exportTaint(v);
    this.calls.push({
      fn: this.fn.index,
      local: local ? local.index : undefined,
      qname,
      step: this.flowStep(this.step(id)),
      args: all.map((t) => this.exportTaint(t)),
      keywords: kw,
      spread,
    });
    this.labels.push({ k: 'call', site: siteIndex });
    this.labelByCall.set(id, this.labels.length - 1);
    return [{ label: this.labels.length - 1, flags: 0, trace: undefined }];
  }

  /** Exported entries with those of `t` added that they lack (by label and flags), at most a value's worth. */
  private mergeExported(entries: EntryData[], t: Taint): EntryData[] {
    if (!t) return entries;
    let out = entries;
    for (const e of t) {
      if (out.length >= MAX_SITE_ENTRIES) break;
      if (out.some((x) => x.label === e.label && x.flags === e.flags)) continue;
      if (out === entries) out = [...entries];
      out.push(...this.exportTaint([e]));
    }
    return out;
  }

  /** The function of this file a call in a test resolves to (`is_safe(url)`, `self.is_safe(url)`), for validator guards. */
  private localValidator(call: Node, scope: Scope): { node: Node; scope: Scope; params: string[]; method: boolean } | undefined {
    const func = call.childForFieldName('function');
    if (!func) return undefined;
    let fn: FnRecord | undefined;
    if (func.type === 'identifier') {
      const b = this.resolver.lookup(func.text, scope, call.startIndex);
      if (b?.kind === 'def') fn = this.defsIn.get(b.scope)?.get(func.text);
    } else if (func.type === 'attribute' && func.childForFieldName('object')?.text === this.fn.selfName) {
      const cls = this.enclosingClass();
      fn = cls ? this.defsIn.get(cls)?.get(func.childForFieldName('attribute')?.text ?? '') : undefined;
    }
    if (!fn?.node) return undefined;
    return { node: fn.node, scope: fn.scope, params: fn.params.map((p) => p.name), method: fn.selfName !== undefined };
  }

  /** `module.Base.method` for the first base class of a class (resolved through imports), when it is a project class. */
  private inheritedMethod(cls: Scope, attr: string): string | undefined {
    if (!this.scopeIds) {
      const ids = new Map<Scope, number>();
      this.model.scopes.forEach((scope, id) => ids.set(scope, id));
      this.scopeIds = ids;
    }
    const classId = this.scopeIds.get(cls) ?? NONE;
    if (classId === NONE) return undefined;
    const bases = this.ast.field(classId, 'superclasses');
    const first = bases !== NONE ? this.ast.firstNamed(bases) : NONE;
    if (first === NONE || (this.ast.type(first) !== 'identifier' && this.ast.type(first) !== 'attribute')) return undefined;
    const outer = cls.parent ?? this.model.module;
    const rootId = this.rootName(first);
    const b = rootId !== NONE ? this.resolver.lookup(this.ast.text(rootId), outer, this.ast.start[first]) : undefined;
    let base: string | undefined;
    if (b?.kind === 'class' && this.ast.type(first) === 'identifier') base = `${this.module}.${this.ast.text(first)}`;
    else if (b?.kind === 'import') {
      const q = this.resolver.qname(this.ast.node(first), outer);
      base = q !== undefined ? this.absolute(q) : undefined;
    }
    return base !== undefined && !STDLIB_MODULES.has(base.split('.')[0]) ? `${base}.${attr}` : undefined;
  }

  /** The identifier an attribute chain starts from (`a` in `a.b.c`), or NONE. */
  private rootName(id: number): number {
    let root = id;
    while (root !== NONE && this.ast.type(root) === 'attribute') root = this.ast.field(root, 'object');
    return root !== NONE && this.ast.type(root) === 'identifier' ? root : NONE;
  }

  /** The method `attr` of the project class an expression is an instance of (`Cls(...)`, or a name bound to it). */
  private instanceMethod(receiverId: number, attr: string, at: number): { local?: FnRecord; qname?: string } | undefined {
    const { ast } = this;
    let ctor = receiverId;
    if (ast.type(ctor) === 'identifier') {
      if (this.fn.params.some((p) => p.name === ast.text(ctor))) return undefined;
      ctor = this.resolver.expression({ node: ast.node(ctor), scope: this.scope }).node.id;
    }
    if (ast.type(ctor) !== 'call') return undefined;
    const cls = ast.field(ctor, 'function');
    if (cls === NONE || ast.type(cls) !== 'identifier') return undefined;
    const name = ast.text(cls);
    const b = this.resolver.lookup(name, this.scope, ast.start[at]);
    if (b?.kind === 'class') {
      const classScope = this.classScopes.get(b.scope)?.get(name);
      const local = classScope ? this.defsIn.get(classScope)?.get(attr) : undefined;
      return local ? { local } : undefined;
    }
    if (b?.kind === 'import' && b.qname) {
      const q = this.absolute(b.qname);
      return STDLIB_MODULES.has(q.split('.')[0]) ? undefined : { qname: `${q}.${attr}` };
    }
    return undefined;
  }

  /** `.helpers.clean` in package `app` -> `app.helpers.clean`. */
  private absolute(q: string): string {
    if (!q.startsWith('.')) return q;
    let dots = 0;
    while (q[dots] === '.') dots++;
    const parts = this.packageName ? this.packageName.split('.') : [];
    const base = parts.slice(0, Math.max(0, parts.length - (dots - 1)));
    return [...base, q.slice(dots)].filter(Boolean).join('.');
  }

  /** True when an expression carries no data (a constant, a name bound to constants, an allow-list). */
  private isClean(id: number): boolean {
    const { ast } = this;
    const type = ast.type(id);
    if (type === 'string' || type === 'integer' || type === 'float' || type === 'true' || type === 'false' || type === 'none' || type === 'concatenated_string') return true;
    switch (type) {
      case 'identifier':
      case 'attribute':
        return !this.read(id);
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary':
      case 'call':
        return !this.expr(id);
      default:
        return this.resolver.constant(ast.node(id), this.scope) !== undefined;
    }
  }

  // ---- output ----------------------------------------------------------------------------------------

  /** A step as the file's output has it; a step shared by many traces (their common tail) is converted once. */
  private flowStep(step: Step): FlowStepData {
    let out = this.flowSteps.get(step);
    if (!out) {
      const start = this.tree.position(step.start);
      const end = this.tree.position(step.end);
      out = { line: start.row + 1, column: start.column + 1, endLine: end.row + 1, endColumn: end.column + 1, label: step.label ?? this.spanLabel(step.start, step.end) };
      this.flowSteps.set(step, out);
    }
    return out;
  }

  /** The label of a span: its text on one line, cut to 72 characters (a long span is not copied whole for that). */
  private spanLabel(start: number, end: number): string {
    const source = this.tree.source;
    if (end - start > 400) {
      const head = labelText(source.slice(start, start + 400));
      if (head.length > 72) return head;
    }
    return labelText(source.slice(start, end));
  }

  private exportTaint(t: Taint): EntryData[] {
    if (!t) return [];
    return t.map((e) => ({ label: e.label, flags: e.flags, steps: traceSteps(e.trace).map((s) => this.flowStep(s)) }));
  }

  private statementLines(id: number): [number, number] {
    const { ast } = this;
    let stmt = id;
    for (let p = ast.parent(stmt); p !== NONE && ast.type(p) !== 'module' && ast.type(p) !== 'block'; p = ast.parent(stmt)) stmt = p;
    const start = this.tree.position(ast.start[stmt]).row;
    let end = this.tree.position(ast.end[stmt]).row;
    const block = ast.childOfType(stmt, 'block');
    if (block !== NONE) {
      const row = this.tree.position(ast.start[block]).row;
      end = Math.max(start, row - (row > start ? 1 : 0));
    }
    return [start + 1, Math.max(end, this.tree.position(ast.end[id]).row) + 1];
  }

  private output(): FileFlowData {
    const calledNames = this.namesCalledHere();
    const functions: FunctionFlowData[] = this.fns.map((fn) => ({
      key: fn.key,
      display: fn.display,
      line: fn.line,
      params: fn.params.map((p) => ({ name: p.name, kind: p.kind })),
      entry: !!fn.entry?.function,
      internal: fn.internal,
      // Called in this file (by name: also from plain functions whose calls were not recorded)
      called: this.locallyCalled.has(fn.index) || (fn.node !== undefined && calledNames.has(this.ast.text(this.ast.field(fn.id, 'name')))),
      receiver: fn.selfName !== undefined || (this.ast.parent(fn.id) !== NONE && this.inClass(fn) && (fn.params[0]?.name === 'cls' || fn.params[0]?.name === 'self')),
      returns: this.exportTaint(fn.returns),
      sinks: fn.sinks.map((s) => {
        const step = this.flowStep(this.step(s.id));
        const [stmtStart, stmtEnd] = this.statementLines(s.id);
        return {
          rule: s.rule,
          description: s.description,
          line: step.line,
          column: step.column,
          endLine: step.endLine,
          endColumn: step.endColumn,
          stmtStart,
          stmtEnd,
          snippet: this.tree.lineText(step.line - 1).trim(),
          step,
          entries: this.exportTaint(s.taint),
        };
      }),
    }));
    const nosec: Record<number, string> = {};
    for (const [row, text] of this.model.comments) if (/nosec|pyward:/i.test(text)) nosec[row + 1] = text;
    return { path: this.path, module: this.module, labels: this.labels, functions, calls: this.calls, nosec, overBudget: this.overBudget, fileOverBudget: this.fileOverBudget };
  }
}

export function analyzeFlows(path: string, tree: SyntaxTree, model: FileModel, resolver: Resolver, index: ModelIndex, budget: FlowBudget): FileFlowData {
  return new FileFlowAnalysis(path, tree, model, resolver, index, budget).run();
}
