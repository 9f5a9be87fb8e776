/**
 * Data flow inside one file. Each function (and the module's own code) is interpreted once over its syntax
 * tree with abstract values (taint.ts): assignments, string building, containers, attributes, `with`,
 * loops to a fixpoint, comprehensions, walrus, `try`, branches joined, guards applied to the branch they
 * protect, and code after `return`/`raise`/`abort()` cut off. What a function returns and which sinks it
 * reaches are stated in terms of its parameters and of the calls it makes to project functions; the
 * project-wide solver (solve.ts) resolves those with the summaries of every file.
 */
import type { Resolver } from '../python/resolve.js';
import type { FileModel, Scope } from '../python/scopes.js';
import type { SyntaxNode as Node, SyntaxTree } from '../python/syntax-tree.js';
import { EntryPoints, type EntryMatch } from './entry-points.js';
import type { CallSiteData, EntryData, FileFlowData, FlowStepData, FunctionFlowData, LabelData, ParamData, SinkHitData } from './flow-types.js';
import { accessKey, Guards, type GuardFact } from './guards.js';
import type { ModelIndex } from './model-index.js';
import type { SinkModel, SourceKind, TaintRuleId } from './models/types.js';
import { STDLIB_MODULES } from './stdlib-modules.js';
import { BUILT, clear, mark, ruleBit, ruleMask, sameTaint, traceSteps, union, withStep, type Entry, type Step, type Taint } from './taint.js';

export interface FlowBudget {
  /** Expressions and statements one function may evaluate (loops count each pass). */
  maxSteps: number;
  /** Milliseconds for the whole file; functions after it are left without data flow. */
  fileMs: number;
  now: () => number;
}

export const DEFAULT_FLOW_BUDGET: Omit<FlowBudget, 'now'> = { maxSteps: 200_000, fileMs: 1_500 };

type Env = Map<string, Taint>;

interface FnRecord {
  index: number;
  node: Node | undefined;
  scope: Scope;
  key: string;
  display: string;
  line: number;
  params: { name: string; kind: ParamData['kind']; node?: Node; annotation?: Node; default?: Node }[];
  entry?: EntryMatch;
  internal: boolean;
  parent: FnRecord | undefined;
  /** For methods: the class's scope. */
  classScope?: Scope;
  selfName?: string;
  returns: Taint;
  sinks: { rule: TaintRuleId; model: SinkModel | undefined; description: string; node: Node; taint: Taint }[];
  finalEnv?: Env;
  overBudget?: boolean;
}

class OverBudget extends Error {}

const HTML_TAG = /<\/?[a-zA-Z][^>]*>?/;
/** A string built with this constant prefix cannot change the host of a URL (`https://api.example.com/...`). */
const FIXED_HOST = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#{}]+[/?#]/;
/** ...or of a redirect: a path on this site (`/account/`), not `//evil.example`. */
const LOCAL_PATH = /^\/[^/\\]/;
const URL_RULES = ruleMask(['PW105', 'PW108']);
const REDIRECT = ruleMask(['PW108']);
const CONTAINER_ADDERS = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'extendleft', 'setdefault', 'put', 'put_nowait', 'write', 'writelines']);

function labelText(node: Node): string {
  const text = node.text.replace(/\s+/g, ' ').trim();
  return text.length > 72 ? `${text.slice(0, 69)}...` : text;
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

export class FileFlowAnalysis {
  readonly labels: LabelData[] = [];
  readonly calls: CallSiteData[] = [];
  private readonly sourceLabels = new Map<string, number>();
  private readonly fns: FnRecord[] = [];
  /** Functions defined in a scope, by name (the last definition wins). */
  private readonly defsIn = new Map<Scope, Map<string, FnRecord>>();
  /** Attributes of `self` holding untrusted data, per class (only source data: parameters of one method mean nothing in another). */
  private readonly classAttrs = new Map<Scope, Map<string, Taint>>();
  private readonly module: string;
  private readonly packageName: string;
  private readonly entries: EntryPoints;
  readonly guards: Guards;
  private overBudget = 0;
  private fileOverBudget = false;
  private readonly sinkHits: { fn: FnRecord; hit: SinkHitData }[] = [];

  // The function being analysed
  private fn!: FnRecord;
  private env: Env = new Map();
  private objs = new Map<string, string>();
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
    this.module = moduleName(path);
    this.packageName = /(^|\/)__init__\.pyi?$/.test(path) ? this.module : this.module.split('.').slice(0, -1).join('.');
    const imports = (m: string) => {
      for (const i of model.importedModules) if (i === m || i.startsWith(`${m}.`)) return true;
      return false;
    };
    this.entries = new EntryPoints(index, resolver, imports);
    this.guards = new Guards(index, resolver, (n) => this.isCleanExpr(n));
  }

  run(): FileFlowData {
    const started = this.budget.now();
    this.collectFunctions();
    for (const fn of this.fns) {
      if (this.budget.now() - started > this.budget.fileMs) {
        this.fileOverBudget = true;
        this.overBudget += this.fns.length - fn.index;
        break;
      }
      this.analyse(fn);
    }
    return this.output();
  }

  // ---- functions ---------------------------------------------------------------------------------

  private collectFunctions(): void {
    const root = this.tree.root;
    const moduleFn: FnRecord = { index: 0, node: undefined, scope: this.model.module, key: this.module || '<module>', display: 'module code', line: 1, params: [], internal: true, parent: undefined, returns: undefined, sinks: [] };
    this.fns.push(moduleFn);
    const byNode = new Map<number, FnRecord>();
    byNode.set(root.id, moduleFn);
    const ids = [...this.model.scopes.keys()].filter((id) => this.tree.typeOf(id) === 'function_definition').sort((a, b) => a - b);
    for (const id of ids) {
      const node = this.tree.node(id)!;
      const scope = this.model.scopes.get(id)!;
      const outer = scope.parent ?? this.model.module;
      const name = node.childForFieldName('name')?.text ?? '<lambda>';
      // Enclosing function (lexically) and the qualified name through classes and functions
      const names = [name];
      let parent: FnRecord | undefined;
      let classScope: Scope | undefined;
      for (let p = node.parent; p; p = p.parent) {
        if (p.type === 'class_definition') {
          names.unshift(p.childForFieldName('name')?.text ?? '?');
          if (!classScope && !parent && outer.kind === 'class') classScope = outer;
        } else if (p.type === 'function_definition') {
          names.unshift(p.childForFieldName('name')?.text ?? '?');
          parent ??= byNode.get(p.id);
        }
      }
      parent ??= moduleFn;
      const params = this.entries.params(node);
      const isModuleLevel = outer === this.model.module;
      const entry = this.entries.match(node, scope, outer, isModuleLevel);
      const fn: FnRecord = {
        index: this.fns.length,
        node,
        scope,
        key: [this.module, ...names].filter(Boolean).join('.'),
        display: `${names.slice(-2).join('.')}()`,
        line: node.startPosition.row + 1,
        params: params.map((p) => ({ name: p.name, kind: p.kind, node: p.node, ...(p.annotation ? { annotation: p.annotation } : {}), ...(p.default ? { default: p.default } : {}) })),
        ...(entry ? { entry } : {}),
        internal: name.startsWith('_') && !name.startsWith('__') || parent !== moduleFn,
        parent,
        ...(classScope ? { classScope, selfName: scope.selfName } : {}),
        returns: undefined,
        sinks: [],
      };
      byNode.set(id, fn);
      this.fns.push(fn);
      let defs = this.defsIn.get(outer);
      if (!defs) this.defsIn.set(outer, (defs = new Map()));
      defs.set(name, fn);
    }
  }

  private analyse(fn: FnRecord): void {
    this.fn = fn;
    this.env = new Map();
    this.objs = new Map();
    this.scope = fn.scope;
    this.steps = 0;
    this.loopExits = [];
    try {
      if (!fn.node) {
        this.block(this.tree.root);
      } else {
        this.enterParameters(fn);
        const body = fn.node.childForFieldName('body');
        if (body) this.block(body);
      }
      fn.finalEnv = this.env;
    } catch (err) {
      if (!(err instanceof OverBudget)) throw err;
      fn.overBudget = true;
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
        if (policy.rest && !this.entries.isSafeAnnotation(annotation) && !dependency) {
          this.env.set(p.name, [this.sourceEntry(entry!.model.kind, entry!.model.description, p.node ?? fn.node!, `${p.name} (${this.paramRole(entry!)})`)]);
          return;
        }
        if (!policy.rest) {
          // Not data, but an annotated request object still is one
          const annotated = annotation ? policy.annotatedObjects?.[annotation] : undefined;
          if (annotated) this.objs.set(p.name, annotated);
        }
      }
      if (!policy && annotation) {
        for (const e of this.index.entryPoints) {
          const t = e.parameters.annotatedObjects?.[annotation];
          if (t) {
            this.objs.set(p.name, t);
            return;
          }
        }
      }
      this.env.set(p.name, [{ label: this.paramLabel(fn.index, i), flags: 0, trace: { step: this.step(p.node ?? fn.node!, p.name), prev: undefined, length: 1 } }]);
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

  private step(node: Node, label?: string): Step {
    return { start: node.startIndex, end: node.endIndex, label: label ?? labelText(node) };
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

  private sourceEntry(kind: SourceKind, description: string, node: Node, label?: string): Entry {
    return { label: this.sourceLabel(kind, description), flags: 0, trace: { step: this.step(node, label), prev: undefined, length: 1 } };
  }

  private tick(): void {
    if (++this.steps > this.budget.maxSteps) throw new OverBudget();
  }

  // ---- statements ------------------------------------------------------------------------------------

  /** Runs the statements of a block; false when control cannot leave it normally. */
  private block(block: Node): boolean {
    for (const stmt of block.namedChildren) {
      if (!this.statement(stmt)) return false;
    }
    return true;
  }

  private statement(node: Node): boolean {
    this.tick();
    switch (node.type) {
      case 'expression_statement': {
        for (const e of node.namedChildren) {
          if (e.type === 'assignment' || e.type === 'augmented_assignment') this.assignment(e);
          else {
            this.expr(e);
            if (e.type === 'call' && this.isNoReturn(e)) return false;
            if (e.type === 'yield') continue;
          }
        }
        return true;
      }
      case 'return_statement': {
        const value = node.namedChildren[0];
        if (value) {
          const t = this.expr(value);
          if (t) {
            this.fn.returns = union(this.fn.returns, withStep(t, this.step(node, `return ${labelText(value)}`.slice(0, 80))));
            this.htmlReturn(node, value, t);
          }
        }
        return false;
      }
      case 'raise_statement':
        for (const c of node.namedChildren) this.expr(c);
        return false;
      case 'continue_statement':
      case 'break_statement':
        this.loopExits[this.loopExits.length - 1]?.push(new Map(this.env));
        return false;
      case 'if_statement':
        return this.ifStatement(node);
      case 'for_statement':
        return this.forStatement(node);
      case 'while_statement':
        return this.whileStatement(node);
      case 'try_statement':
        return this.tryStatement(node);
      case 'with_statement':
        return this.withStatement(node);
      case 'match_statement':
        return this.matchStatement(node);
      case 'decorated_definition': {
        for (const d of node.namedChildren) if (d.type === 'decorator') this.expr(d.namedChildren[0] ?? d);
        return true;
      }
      case 'function_definition':
      case 'class_definition':
        return true; // analysed on their own
      case 'assert_statement': {
        const cond = node.namedChildren[0];
        if (cond) {
          this.expr(cond);
          this.refine(this.guards.facts(cond, this.scope).yes);
        }
        return true;
      }
      case 'delete_statement':
        for (const t of node.namedChildren[0]?.type === 'expression_list' ? node.namedChildren[0].namedChildren : node.namedChildren) {
          const key = accessKey(t);
          if (key) this.env.set(key, undefined);
        }
        return true;
      case 'block':
        return this.block(node);
      default:
        return true; // pass, import, global, nonlocal, print (py2), exec (py2) ...
    }
  }

  private isNoReturn(call: Node): boolean {
    const q = this.resolver.call(call, this.scope).qname;
    return q !== undefined && this.index.noReturn.has(q);
  }

  private assignment(node: Node): void {
    const left = node.childForFieldName('left');
    let right = node.childForFieldName('right');
    if (node.type === 'augmented_assignment') {
      const t = right ? this.expr(right) : undefined;
      const key = left ? accessKey(left) : undefined;
      if (key && left) {
        const op = node.children.find((c) => !c.isNamed)?.type ?? '';
        const joined = union(this.read(left), op === '+=' || op === '%=' ? mark(t, BUILT) : t);
        this.write(key, left, joined === undefined ? undefined : withStep(joined, this.step(left)));
      } else if (left && (left.type === 'subscript' || left.type === 'attribute')) this.weakUpdate(left, t);
      return;
    }
    // a = b = value: every target gets the value
    const targets: Node[] = [];
    if (left) targets.push(left);
    while (right?.type === 'assignment') {
      const l = right.childForFieldName('left');
      if (l) targets.push(l);
      right = right.childForFieldName('right');
    }
    if (!right) return; // `x: int` declares only
    const t = this.expr(right);
    for (const target of targets) this.bind(target, t, right);
    // Remember request objects assigned to names (`req = self.request`)
    if (left?.type === 'identifier') {
      const type = this.objectType(right);
      if (type) this.objs.set(left.text, type);
      else this.objs.delete(left.text);
    }
  }

  /** Assigns a value to a target: names, attributes, subscripts (a weak update of the container), unpacking. */
  private bind(target: Node, t: Taint, value?: Node): void {
    switch (target.type) {
      case 'identifier':
        this.write(target.text, target, t === undefined ? undefined : withStep(t, this.step(target)));
        return;
      case 'attribute': {
        const key = accessKey(target);
        if (key) this.write(key, target, t === undefined ? undefined : withStep(t, this.step(target)));
        else this.weakUpdate(target, t);
        return;
      }
      case 'subscript':
        this.weakUpdate(target, t);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'parenthesized_expression': {
        const targets = target.namedChildren.filter((c) => c.type !== 'comment');
        const values = value && ['tuple', 'list', 'expression_list'].includes(value.type) ? value.namedChildren.filter((c) => c.type !== 'comment') : [];
        const pairwise = values.length === targets.length && !values.some((v) => v.type === 'list_splat');
        targets.forEach((child, i) => this.bind(child, pairwise ? this.expr(values[i]) : t, pairwise ? values[i] : undefined));
        return;
      }
      case 'list_splat_pattern':
      case 'list_splat': {
        const inner = target.namedChildren[0];
        if (inner) this.bind(inner, t);
        return;
      }
      default:
        return;
    }
  }

  private write(key: string, node: Node, t: Taint): void {
    this.env.set(key, t);
    // `self.x = <source data>` is seen by the class's other methods
    const dot = key.indexOf('.');
    if (dot > 0 && this.fn.classScope && key.slice(0, dot) === this.fn.selfName && t) {
      const concrete = t.filter((e) => this.labels[e.label].k === 'source');
      if (concrete.length) {
        let attrs = this.classAttrs.get(this.fn.classScope);
        if (!attrs) this.classAttrs.set(this.fn.classScope, (attrs = new Map()));
        const attr = key.slice(dot + 1);
        attrs.set(attr, union(attrs.get(attr), concrete));
      }
    }
    void node;
  }

  /** `d[k] = v`, `obj.items[0] = v`: the container now also holds v. */
  private weakUpdate(target: Node, t: Taint): void {
    let base: Node | null = target;
    while (base && (base.type === 'subscript' || (base.type === 'attribute' && !accessKey(base)))) {
      if (base.type === 'subscript') this.expr(base.childForFieldName('subscript') ?? base);
      base = base.type === 'subscript' ? base.childForFieldName('value') : base.childForFieldName('object');
    }
    const key = base ? accessKey(base) : undefined;
    if (key && base && t) this.env.set(key, union(this.read(base), withStep(t, this.step(target))));
  }

  private refine(facts: GuardFact[]): void {
    for (const f of facts) {
      const t = this.env.has(f.key) ? this.env.get(f.key) : this.lookupOuter(f.key);
      if (t) this.env.set(f.key, clear(t, f.mask));
    }
  }

  private join(envs: Env[]): Env {
    if (envs.length === 1) return envs[0];
    const out: Env = new Map(envs[0]);
    for (let i = 1; i < envs.length; i++) {
      for (const [k, v] of envs[i]) {
        if (!out.has(k)) {
          // Unset on the other paths: the value from outside the branch (or nothing)
          out.set(k, union(v, envs.slice(0, i).some((e) => !e.has(k)) ? this.lookupOuter(k) : undefined));
        } else out.set(k, union(out.get(k), v));
      }
      for (const [k, v] of out) if (!envs[i].has(k)) out.set(k, union(v, this.lookupOuter(k)));
    }
    return out;
  }

  private ifStatement(node: Node): boolean {
    const branches: Env[] = [];
    const entry = this.env;
    let pendingNo: GuardFact[] = [];
    let current: Node | null = node;
    let condition = node.childForFieldName('condition');
    let body = node.childForFieldName('consequence');
    const alternatives = node.childrenForFieldName('alternative');
    let altIndex = 0;
    let hasElse = false;
    let envHere = entry;
    while (current && condition && body) {
      this.env = envHere;
      this.expr(condition);
      const facts = this.guards.facts(condition, this.scope);
      const afterCond = this.env;
      this.env = new Map(afterCond);
      this.refine(facts.yes);
      if (this.block(body)) branches.push(this.env);
      envHere = new Map(afterCond);
      this.env = envHere;
      this.refine(facts.no);
      pendingNo = facts.no;
      const alt = alternatives[altIndex++];
      if (!alt) break;
      if (alt.type === 'elif_clause') {
        condition = alt.childForFieldName('condition');
        body = alt.childForFieldName('consequence');
        current = alt;
      } else {
        hasElse = true;
        this.env = envHere;
        const elseBody = alt.childForFieldName('body') ?? alt.namedChildren.find((c) => c.type === 'block') ?? null;
        if (!elseBody || this.block(elseBody)) branches.push(this.env);
        current = null;
      }
    }
    void pendingNo;
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
      if (this.sameEnv(after, before)) {
        before = after;
        break;
      }
      before = after;
    }
    this.loopExits.pop();
    this.env = before;
  }

  private sameEnv(a: Env, b: Env): boolean {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (!sameTaint(v, b.get(k))) return false;
    return true;
  }

  private forStatement(node: Node): boolean {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const body = node.childForFieldName('body');
    const iter = right ? this.expr(right) : undefined;
    this.loop(() => {
      if (left) this.bind(left, iter);
      if (body) this.block(body);
    });
    const alt = node.childForFieldName('alternative');
    if (alt) this.block(alt.namedChildren.find((c) => c.type === 'block') ?? alt);
    return true;
  }

  private whileStatement(node: Node): boolean {
    const cond = node.childForFieldName('condition');
    const body = node.childForFieldName('body');
    if (cond) this.expr(cond);
    this.loop(() => {
      if (cond) {
        this.expr(cond);
        this.refine(this.guards.facts(cond, this.scope).yes);
      }
      if (body) this.block(body);
    });
    const alt = node.childForFieldName('alternative');
    if (alt) this.block(alt.namedChildren.find((c) => c.type === 'block') ?? alt);
    return true;
  }

  private tryStatement(node: Node): boolean {
    const entry = this.env;
    const body = node.childForFieldName('body');
    const out: Env[] = [];
    this.env = new Map(entry);
    let bodyFalls = body ? this.block(body) : true;
    const afterBody = this.env;
    let elseClause: Node | undefined;
    let finallyClause: Node | undefined;
    for (const c of node.namedChildren) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        // A handler may start anywhere in the body: what the body had assigned, or not yet.
        this.env = this.join([entry, afterBody]);
        const alias = c.namedChildren.find((x) => x.type === 'as_pattern')?.childForFieldName('alias');
        if (alias) this.bind(alias.namedChildren[0] ?? alias, undefined);
        const block = c.namedChildren.find((x) => x.type === 'block');
        if (!block || this.block(block)) out.push(this.env);
      } else if (c.type === 'else_clause') elseClause = c;
      else if (c.type === 'finally_clause') finallyClause = c;
    }
    if (elseClause && bodyFalls) {
      this.env = afterBody;
      const block = elseClause.namedChildren.find((x) => x.type === 'block');
      bodyFalls = block ? this.block(block) : true;
      if (bodyFalls) out.push(this.env);
    } else if (bodyFalls) out.push(afterBody);
    this.env = out.length ? this.join(out) : this.join([entry, afterBody]);
    if (finallyClause) {
      const block = finallyClause.namedChildren.find((x) => x.type === 'block');
      if (block && !this.block(block)) return false;
    }
    return out.length > 0;
  }

  private withStatement(node: Node): boolean {
    const clause = node.namedChildren.find((c) => c.type === 'with_clause');
    for (const item of clause?.namedChildren ?? []) {
      const value = item.childForFieldName('value') ?? item.namedChildren[0];
      if (!value) continue;
      if (value.type === 'as_pattern') {
        const manager = value.namedChildren[0];
        const alias = value.childForFieldName('alias');
        const t = manager ? this.expr(manager) : undefined;
        const target = alias?.namedChildren[0] ?? alias;
        if (target) this.bind(target, t);
      } else this.expr(value);
    }
    const body = node.childForFieldName('body');
    return body ? this.block(body) : true;
  }

  private matchStatement(node: Node): boolean {
    const subject = node.childForFieldName('subject') ?? node.namedChildren[0];
    const t = subject ? this.expr(subject) : undefined;
    const entry = this.env;
    const out: Env[] = [entry];
    const body = node.childForFieldName('body') ?? node.namedChildren.find((c) => c.type === 'block');
    for (const c of body?.namedChildren ?? []) {
      if (c.type !== 'case_clause') continue;
      this.env = new Map(entry);
      for (const id of c.namedChildren.filter((x) => x.type === 'case_pattern').flatMap((p) => p.descendantsOfType('identifier'))) {
        if (id.parent?.type === 'keyword_pattern' && id.equals(id.parent.namedChildren[0])) continue;
        if (id.parent?.type === 'class_pattern' || id.parent?.type === 'dotted_name') continue;
        this.env.set(id.text, t === undefined ? undefined : withStep(t, this.step(id)));
      }
      const block = c.namedChildren.find((x) => x.type === 'block');
      if (!block || this.block(block)) out.push(this.env);
    }
    this.env = this.join(out);
    return true;
  }

  // ---- expressions -----------------------------------------------------------------------------------

  /** What a name or access path holds here: this function's value, else the enclosing function's or the module's. */
  private read(node: Node): Taint {
    const key = accessKey(node);
    if (key === undefined) return this.expr(node);
    if (this.env.has(key)) return this.env.get(key);
    return this.lookupOuter(key);
  }

  private lookupOuter(key: string): Taint {
    const name = key.split('.')[0];
    // A name this function binds itself is not the outer one (before its first assignment it is unbound).
    if (this.fn.scope.bindings.has(name) && this.fn.node) return undefined;
    for (let p = this.fn.parent; p; p = p.parent) {
      const env = p.finalEnv;
      if (env?.has(key)) return env.get(key);
      if (p.scope.bindings.has(name)) return undefined;
    }
    return undefined;
  }

  private expr(node: Node): Taint {
    this.tick();
    switch (node.type) {
      case 'identifier':
        return this.identifier(node);
      case 'attribute':
        return this.attribute(node);
      case 'subscript': {
        const value = node.childForFieldName('value');
        for (const s of node.childrenForFieldName('subscript')) this.expr(s);
        return value ? this.widen(this.expr(value), value, node) : undefined;
      }
      case 'call':
        return this.call(node);
      case 'string':
        return this.fstring(node);
      case 'concatenated_string': {
        let t: Taint;
        for (const part of node.namedChildren) if (part.type === 'string') t = union(t, this.fstring(part));
        return t;
      }
      case 'binary_operator':
        return this.binary(node);
      case 'boolean_operator':
      case 'conditional_expression':
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
      case 'parenthesized_expression':
      case 'list_splat':
      case 'dictionary_splat':
      case 'await':
      case 'unary_operator':
      case 'yield':
      case 'pair':
      case 'keyword_argument':
      case 'argument_list':
      case 'interpolation':
      case 'format_expression': {
        let t: Taint;
        for (const c of node.namedChildren) {
          if (c.type === 'comment') continue;
          if (node.type === 'keyword_argument' && c.equals(node.childForFieldName('name'))) continue;
          t = union(t, this.expr(c));
        }
        if (node.type === 'yield' && t) this.fn.returns = union(this.fn.returns, t);
        return t;
      }
      case 'dictionary': {
        let t: Taint;
        for (const c of node.namedChildren) if (c.type !== 'comment') t = union(t, this.expr(c));
        return t;
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(node);
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        const t = value ? this.expr(value) : undefined;
        if (name) this.write(name.text, name, t === undefined ? undefined : withStep(t, this.step(name)));
        return t;
      }
      case 'comparison_operator':
      case 'not_operator':
        for (const c of node.namedChildren) this.expr(c);
        return undefined;
      default:
        return undefined; // literals, lambda, ellipsis, slices...
    }
  }

  private identifier(node: Node): Taint {
    const name = node.text;
    if (this.env.has(name)) return this.env.get(name);
    const outer = this.lookupOuter(name);
    if (outer) return outer;
    // `from sys import argv`
    const binding = this.resolver.lookup(name, this.scope, node.startIndex);
    if (binding?.kind === 'import' && binding.qname) {
      const source = this.index.sources.get(binding.qname);
      if (source) return [this.sourceEntry(source.kind, source.description, node)];
    }
    return undefined;
  }

  /** The request-object type of an expression, if it is one (a parameter, `self.request`, Flask's `request`). */
  private objectType(node: Node): string | undefined {
    if (node.type === 'identifier') {
      const own = this.objs.get(node.text);
      if (own) return own;
      if (this.fn.scope.bindings.has(node.text) && !this.objs.has(node.text) && this.fn.node) {
        const b = this.fn.scope.bindings.get(node.text)!;
        if (b.every((x) => x.kind === 'param')) return undefined;
      }
      const q = this.resolver.qname(node, this.scope);
      return q !== undefined ? this.index.objectsByQname.get(q) : undefined;
    }
    if (node.type === 'attribute') {
      const obj = node.childForFieldName('object');
      const attr = node.childForFieldName('attribute')?.text ?? '';
      if (!obj) return undefined;
      if (obj.type === 'identifier' && obj.text === this.fn.selfName) {
        const selfObject = this.classEntry()?.model.selfObjects?.[attr];
        if (selfObject) return selfObject;
      }
      const base = this.objectType(obj);
      if (base) return this.index.objects.get(base)?.objectMembers?.[attr];
      const q = this.resolver.qname(node, this.scope);
      return q !== undefined ? this.index.objectsByQname.get(q) : undefined;
    }
    if (node.type === 'await' || node.type === 'parenthesized_expression') {
      const inner = node.namedChildren[0];
      return inner ? this.objectType(inner) : undefined;
    }
    return undefined;
  }

  /** The entry model of the class the current method belongs to (for `self.request`, `self.kwargs`). */
  private classEntry(): EntryMatch | undefined {
    let f: FnRecord | undefined = this.fn;
    while (f && !f.classScope) f = f.parent;
    return f?.entry;
  }

  private attribute(node: Node): Taint {
    const obj = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute')?.text ?? '';
    if (!obj) return undefined;
    const key = accessKey(node);
    if (key !== undefined) {
      if (this.env.has(key)) return this.env.get(key);
      const outer = this.lookupOuter(key);
      if (outer) return outer;
    }
    const type = this.objectType(obj);
    if (type) {
      const model = this.index.objects.get(type);
      if (model?.members.includes(attr)) return [this.sourceEntry(model.kind, model.description, node)];
      return undefined; // other members of a request object (`request.user`, `request.method`) are not attacker data
    }
    if (obj.type === 'identifier' && obj.text === this.fn.selfName) {
      const entry = this.classEntry();
      if (entry?.model.selfMembers?.includes(attr)) return [this.sourceEntry(entry.model.kind, entry.model.description, node)];
      const cls = this.fn.classScope ?? this.enclosingClass();
      const stored = cls ? this.classAttrs.get(cls)?.get(attr) : undefined;
      if (stored) return stored;
    }
    const q = this.resolver.qname(node, this.scope);
    if (q !== undefined) {
      const source = this.index.sources.get(q);
      if (source) return [this.sourceEntry(source.kind, source.description, node)];
      if (this.index.objectsByQname.has(q)) return undefined;
    }
    return this.expr(obj);
  }

  private enclosingClass(): Scope | undefined {
    for (let f: FnRecord | undefined = this.fn; f; f = f.parent) if (f.classScope) return f.classScope;
    return undefined;
  }

  /** f-strings: their interpolations, built into a larger string. */
  private fstring(node: Node): Taint {
    let t: Taint;
    let prefix = '';
    let seenValue = false;
    for (const c of node.namedChildren) {
      if (c.type === 'interpolation') {
        const expr = c.childForFieldName('expression') ?? c.namedChildren[0];
        if (expr) t = union(t, this.expr(expr));
        seenValue = true;
      } else if (c.type === 'string_content' && !seenValue) prefix += c.text;
    }
    if (!t) return undefined;
    return this.built(t, prefix, node.text.length > 0);
  }

  /** A value built into a string: BUILT, and safe for URL rules when the constant start fixes the host or the path. */
  private built(t: Taint, prefix: string, hasConstant: boolean): Taint {
    let out = hasConstant ? mark(t, BUILT) : t;
    if (FIXED_HOST.test(prefix)) out = clear(out, URL_RULES);
    else if (LOCAL_PATH.test(prefix)) out = clear(out, REDIRECT);
    return out;
  }

  private binary(node: Node): Taint {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const op = node.childForFieldName('operator')?.text ?? '';
    const l = left ? this.expr(left) : undefined;
    const r = right ? this.expr(right) : undefined;
    const t = union(l, r);
    if (!t) return undefined;
    if (op === '+' || op === '%') {
      const prefix = left && !l ? this.constantPrefix(left) : '';
      return this.built(t, prefix ?? '', true);
    }
    return t;
  }

  private constantPrefix(node: Node): string | undefined {
    const c = this.resolver.constant(node, this.scope);
    if (typeof c === 'string') return c;
    if (node.type === 'binary_operator') {
      const left = node.childForFieldName('left');
      return left ? this.constantPrefix(left) : undefined;
    }
    if (node.type === 'string') {
      const first = node.namedChildren.find((c) => c.type === 'string_content');
      return first?.text;
    }
    return undefined;
  }

  private comprehension(node: Node): Taint {
    const saved = this.env;
    const savedScope = this.scope;
    this.env = new Map(saved);
    this.scope = this.model.scopes.get(node.id) ?? this.scope;
    const body = node.childForFieldName('body') ?? node.namedChildren[0];
    for (const c of node.namedChildren) {
      if (c.type === 'for_in_clause') {
        const right = c.childForFieldName('right');
        const left = c.childForFieldName('left');
        const t = right ? this.expr(right) : undefined;
        if (left) this.bind(left, t);
      } else if (c.type === 'if_clause') {
        const cond = c.namedChildren[0];
        if (cond) {
          this.expr(cond);
          this.refine(this.guards.facts(cond, this.scope).yes);
        }
      }
    }
    const t = body ? this.expr(body) : undefined;
    // Walrus targets inside a comprehension bind in the function
    const inner = this.env;
    this.env = saved;
    for (const [k, v] of inner) if (!saved.has(k) && this.fn.scope.bindings.has(k) && !this.scope.bindings.has(k)) this.env.set(k, v);
    this.scope = savedScope;
    return t;
  }

  // ---- calls -----------------------------------------------------------------------------------------

  private call(node: Node): Taint {
    const info = this.resolver.call(node, this.scope);
    const func = info.func ?? node.childForFieldName('function');
    const receiverNode = func?.type === 'attribute' ? func.childForFieldName('object') : null;
    const q = info.qname;
    const method = func?.type === 'attribute' ? info.name : undefined;

    // A request object's method whose result is data (`request.get_json()`, `self.get_argument("q")`)
    const receiverType = receiverNode ? this.objectType(receiverNode) : undefined;
    const args = info.positional.map((a) => this.expr(a.node));
    const keywords = new Map<string, Taint>();
    for (const [k, a] of info.keywords) keywords.set(k, this.expr(a.node));
    // Arguments not in positional/keywords (after `*args`) still run
    if (info.hasStarArgs || info.hasUnknownKwargs) {
      const list = node.childForFieldName('arguments');
      for (const a of list?.namedChildren ?? []) if (a.type === 'list_splat' || a.type === 'dictionary_splat') args.push(this.expr(a));
    }
    if (receiverType) {
      const model = this.index.objects.get(receiverType);
      if (model?.members.includes(`${info.name}()`)) return [this.sourceEntry(model.kind, model.description, node)];
    }
    const receiver = receiverNode && !receiverType ? this.widen(this.expr(receiverNode), receiverNode, node) : undefined;

    // Sinks
    const sinks = (q !== undefined ? this.index.sinksByQname.get(q) : undefined) ?? (method !== undefined ? this.index.sinksByMethod.get(method) : undefined);
    if (sinks) for (const sink of sinks) this.checkSink(sink, node, info.positional.map((a) => a.node), info.keywords, args, keywords, receiver);

    // Sources, sanitizers, container updates, project calls, pass-through
    if (q !== undefined) {
      const source = this.index.sources.get(`${q}()`);
      if (source) return [this.sourceEntry(source.kind, source.description, node)];
    }
    let all: Taint = receiver;
    for (const a of args) all = union(all, a);
    for (const v of keywords.values()) all = union(all, v);
    const sanitizer = (q !== undefined ? this.index.sanitizersByQname.get(q) : undefined) ?? (method !== undefined && (q === undefined || !this.index.passByQname.has(q)) ? this.index.sanitizersByMethod.get(method) : undefined);
    if (sanitizer !== undefined) return clear(all, sanitizer);
    if (method && receiverNode && CONTAINER_ADDERS.has(method) && args.length) {
      const key = accessKey(receiverNode);
      let added: Taint;
      for (const a of args) added = union(added, a);
      if (key && added) this.env.set(key, union(this.read(receiverNode), withStep(added, this.step(node))));
    }
    if (sinks) return all; // a library call (its sinks are modelled): its result carries its arguments
    const site = this.projectCall(node, func, q, info.positional.length, args, keywords, receiverNode, receiver, info.hasStarArgs || info.hasUnknownKwargs);
    if (site !== undefined) return site;
    return all;
  }

  /**
   * A source read through a subscript or a method (`request.args["q"]`, `request.args.get("q")`): the flow
   * starts at the whole expression, which is what a reader recognises.
   */
  private widen(t: Taint, inner: Node, outer: Node): Taint {
    if (!t) return t;
    let changed = false;
    const out = t.map((e) => {
      const tr = e.trace;
      if (!tr || tr.length !== 1 || tr.step.start !== inner.startIndex || tr.step.end !== inner.endIndex || this.labels[e.label].k !== 'source') return e;
      changed = true;
      return { label: e.label, flags: e.flags, trace: { step: this.step(outer), prev: undefined, length: 1 } };
    });
    return changed ? out : t;
  }

  /** Checks one sink model against a call; records a hit when a dangerous argument carries data. */
  private checkSink(sink: SinkModel, node: Node, argNodes: Node[], kwNodes: Map<string, { node: Node }>, args: Taint[], keywords: Map<string, Taint>, receiver: Taint): void {
    if (sink.when && !this.condition(sink, node, kwNodes)) return;
    const bit = ruleBit(sink.rule);
    let t: Taint;
    if (sink.receiver) t = receiver;
    for (const a of sink.args) {
      if (typeof a === 'number') {
        const argNode = argNodes[a];
        if (!argNode) continue;
        t = union(t, sink.program ? this.programTaint(argNode, args[a]) : args[a]);
      } else if (kwNodes.has(a)) {
        t = union(t, sink.program ? this.programTaint(kwNodes.get(a)!.node, keywords.get(a)) : keywords.get(a));
      }
    }
    if (!t) return;
    const live = t.filter((e) => (e.flags & bit) === 0);
    if (live.length) this.fn.sinks.push({ rule: sink.rule, model: sink, description: sink.description, node, taint: live });
  }

  /** Of `[program, *args]`, only the program: the first element of a list literal (or a name bound to one). */
  private programTaint(argNode: Node, whole: Taint): Taint {
    const literal = argNode.type === 'identifier' ? this.resolver.expression({ node: argNode, scope: this.scope }).node : argNode;
    if (literal.type === 'list' || literal.type === 'tuple') {
      const first = literal.namedChildren.find((c) => c.type !== 'comment');
      if (!first || first.type === 'list_splat') return whole;
      return this.expr(first);
    }
    return whole;
  }

  private condition(sink: SinkModel, node: Node, kw: Map<string, { node: Node }>): boolean {
    const constant = (name: string) => {
      const a = kw.get(name);
      return a ? this.resolver.constant(a.node, this.scope) : undefined;
    };
    switch (sink.when) {
      case 'shell-true':
        return kw.has('shell') && constant('shell') !== false && constant('shell') !== 0 && constant('shell') !== null;
      case 'shell-not-true':
        return !kw.has('shell') || constant('shell') === false || constant('shell') === 0 || constant('shell') === null;
      case 'allow-pickle':
        return constant('allow_pickle') === true;
      case 'unsafe-yaml-loader': {
        const info = this.resolver.call(node, this.scope);
        const loader = kw.get('Loader')?.node ?? info.positional[1]?.node;
        if (!loader) return true;
        const q = this.resolver.qname(loader, this.scope) ?? loader.text;
        return !/(^|\.)(C?SafeLoader|BaseLoader)$/.test(q);
      }
      case 'html-content': {
        const type = constant('content_type') ?? constant('mimetype');
        const info = this.resolver.call(node, this.scope);
        if (typeof type === 'string') return type.includes('html');
        if (kw.has('content_type') || kw.has('mimetype')) return false;
        return !(info.qname ?? '').startsWith('aiohttp');
      }
      default:
        return true;
    }
  }

  /** A Flask view returning an HTML string built from request data: the return value is the response body. */
  private htmlReturn(stmt: Node, value: Node, t: readonly Entry[]): void {
    const entry = this.fn.entry;
    if (!entry?.function || !/Flask/.test(entry.model.description)) return;
    const built = value.type === 'identifier' ? this.resolver.expression({ node: value, scope: this.scope }).node : value;
    if (!this.looksLikeHtml(built, 0)) return;
    const bit = ruleBit('PW106');
    const live = t.filter((e) => (e.flags & bit) === 0);
    if (live.length) this.fn.sinks.push({ rule: 'PW106', model: undefined, description: 'an HTML string returned by a Flask view (sent as text/html)', node: stmt, taint: live });
  }

  private looksLikeHtml(node: Node, depth: number): boolean {
    if (depth > 6) return false;
    if (node.type === 'string' || node.type === 'concatenated_string') return HTML_TAG.test(node.text);
    if (node.type === 'binary_operator') return node.namedChildren.some((c) => this.looksLikeHtml(c, depth + 1));
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : undefined;
      return !!obj && (fn?.childForFieldName('attribute')?.text === 'format' || fn?.childForFieldName('attribute')?.text === 'join') && this.looksLikeHtml(obj, depth + 1);
    }
    if (node.type === 'parenthesized_expression') return node.namedChildren.some((c) => this.looksLikeHtml(c, depth + 1));
    return false;
  }

  /**
   * A call to a function of the project: this file's (`helper(x)`, `self.check(x)`) or another module's
   * (`from .utils import clean`). Its result is a label the solver resolves with the callee's summary.
   */
  private projectCall(node: Node, func: Node | null, q: string | undefined, positionalCount: number, args: Taint[], keywords: Map<string, Taint>, receiverNode: Node | null, receiver: Taint, spread: boolean): Taint {
    let local: FnRecord | undefined;
    let qname: string | undefined;
    let withReceiver = false;
    if (func?.type === 'identifier') {
      const b = this.resolver.lookup(func.text, this.scope, node.startIndex);
      if (b?.kind === 'def') local = this.defsIn.get(b.scope)?.get(func.text);
      else if (b?.kind === 'import' && q !== undefined) qname = this.absolute(q);
    } else if (func?.type === 'attribute' && receiverNode) {
      const attr = func.childForFieldName('attribute')?.text ?? '';
      if (receiverNode.type === 'identifier' && receiverNode.text === this.fn.selfName) {
        const cls = this.enclosingClass();
        local = cls ? this.defsIn.get(cls)?.get(attr) : undefined;
        withReceiver = !!local;
      } else if (q !== undefined && !q.includes('()')) {
        const base = this.resolver.lookup(q.split('.')[0], this.scope, node.startIndex);
        if (base?.kind === 'import') qname = this.absolute(q);
      }
    }
    if (qname !== undefined && STDLIB_MODULES.has(qname.split('.')[0])) qname = undefined;
    if (!local && qname === undefined) return undefined;
    void positionalCount;
    const siteIndex = this.calls.length;
    const exportArgs = (withReceiver ? [receiver, ...args] : args).map((t) => this.exportTaint(t));
    const kw: Record<string, EntryData[]> = {};
    for (const [k, v] of keywords) kw[k] = this.exportTaint(v);
    this.calls.push({
      fn: this.fn.index,
      ...(local ? { local: local.index } : {}),
      ...(qname !== undefined ? { qname } : {}),
      step: this.flowStep(this.step(node)),
      args: exportArgs,
      keywords: kw,
      spread,
    });
    this.labels.push({ k: 'call', site: siteIndex });
    return [{ label: this.labels.length - 1, flags: 0, trace: undefined }];
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
  private isCleanExpr(node: Node): boolean {
    if (this.resolver.constant(node, this.scope) !== undefined) return true;
    switch (node.type) {
      case 'identifier':
      case 'attribute':
        return !this.read(node);
      case 'list':
      case 'tuple':
      case 'set':
      case 'dictionary':
        return !this.expr(node);
      case 'call':
        return !this.expr(node);
      default:
        return false;
    }
  }

  // ---- output ----------------------------------------------------------------------------------------

  private flowStep(step: Step): FlowStepData {
    const start = this.tree.position(step.start);
    const end = this.tree.position(step.end);
    return { line: start.row + 1, column: start.column + 1, endLine: end.row + 1, endColumn: end.column + 1, label: step.label };
  }

  private exportTaint(t: Taint): EntryData[] {
    if (!t) return [];
    return t.map((e) => ({ label: e.label, flags: e.flags, steps: traceSteps(e.trace).map((s) => this.flowStep(s)) }));
  }

  private statementLines(node: Node): [number, number] {
    let stmt: Node = node;
    while (stmt.parent && stmt.parent.type !== 'module' && stmt.parent.type !== 'block') stmt = stmt.parent;
    const start = stmt.startPosition.row;
    let end = stmt.endPosition.row;
    const block = stmt.children.find((c) => c.type === 'block');
    if (block) end = Math.max(start, block.startPosition.row - (block.startPosition.row > start ? 1 : 0));
    return [start + 1, Math.max(end, node.endPosition.row) + 1];
  }

  private output(): FileFlowData {
    const functions: FunctionFlowData[] = this.fns.map((fn) => ({
      key: fn.key,
      display: fn.display,
      line: fn.line,
      params: fn.params.map((p) => ({ name: p.name, kind: p.kind })),
      entry: !!fn.entry?.function,
      internal: fn.internal,
      returns: this.exportTaint(fn.returns),
      sinks: fn.sinks.map((s) => {
        const start = s.node.startPosition;
        const end = s.node.endPosition;
        const [stmtStart, stmtEnd] = this.statementLines(s.node);
        const callStep = this.flowStep(this.step(s.node));
        return {
          rule: s.rule,
          description: s.description,
          line: start.row + 1,
          column: start.column + 1,
          endLine: end.row + 1,
          endColumn: end.column + 1,
          stmtStart,
          stmtEnd,
          snippet: this.tree.lineText(start.row).trim(),
          step: callStep,
          entries: this.exportTaint(s.taint),
        };
      }),
    }));
    const nosec: Record<number, string> = {};
    for (const [row, text] of this.model.comments) if (/nosec|pyward:/i.test(text)) nosec[row + 1] = text;
    void this.sinkHits;
    return { path: this.path, module: this.module, labels: this.labels, functions, calls: this.calls, nosec, overBudget: this.overBudget, fileOverBudget: this.fileOverBudget };
  }
}

export function analyzeFlows(path: string, tree: SyntaxTree, model: FileModel, resolver: Resolver, index: ModelIndex, budget: FlowBudget): FileFlowData {
  return new FileFlowAnalysis(path, tree, model, resolver, index, budget).run();
}
