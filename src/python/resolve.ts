/**
 * What an expression refers to: qualified names of calls and attributes through imports, aliases and
 * local assignments, and constant values of simple expressions (literals, names bound once to literals,
 * `stat` flags, `**{"shell": True}`).
 */
import type { SyntaxNode as Node } from './syntax-tree.js';
import type { Binding, FileModel, Scope } from './scopes.js';
import { STDLIB_STAR_EXPORTS } from './star-exports.js';
import { stringLiteral } from './strings.js';

const THIRD_PARTY_STAR_EXPORTS: Record<string, readonly string[]> = {
  yaml: ['load', 'load_all', 'unsafe_load', 'unsafe_load_all', 'full_load', 'full_load_all', 'safe_load', 'safe_load_all', 'dump', 'Loader', 'UnsafeLoader', 'FullLoader', 'SafeLoader', 'CLoader', 'CSafeLoader', 'CUnsafeLoader', 'CFullLoader'],
  requests: ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'Session', 'session'],
  dill: ['load', 'loads', 'Unpickler', 'dump', 'dumps'],
};
const BUILTINS = new Set(STDLIB_STAR_EXPORTS.builtins);
const MAX_DEPTH = 12;

/** `stat` module flags, so `os.chmod(p, stat.S_IRWXU | stat.S_IWOTH)` is understood. */
const STAT_FLAGS: Record<string, number> = {
  S_ISUID: 0o4000, S_ISGID: 0o2000, S_ISVTX: 0o1000, S_IRWXU: 0o700, S_IRUSR: 0o400, S_IWUSR: 0o200, S_IXUSR: 0o100,
  S_IRWXG: 0o70, S_IRGRP: 0o40, S_IWGRP: 0o20, S_IXGRP: 0o10, S_IRWXO: 0o7, S_IROTH: 0o4, S_IWOTH: 0o2, S_IXOTH: 0o1,
  S_IREAD: 0o400, S_IWRITE: 0o200, S_IEXEC: 0o100,
};

export type ConstValue = string | number | boolean | null | ConstValue[] | { [key: string]: ConstValue };

export interface Arg {
  node: Node;
  scope: Scope;
}

export interface CallInfo {
  node: Node;
  /** The callee node (`subprocess.run` in `subprocess.run(...)`). */
  func: Node;
  /** Qualified name of the callee, when it can be known. */
  qname: string | undefined;
  /** Last segment of the callee as written: `run` for `sp.run(...)`, `eval` for `eval(...)`. */
  name: string;
  positional: Arg[];
  keywords: Map<string, Arg>;
  /** `*args` present: positions after it are unknown. */
  hasStarArgs: boolean;
  /** `**kwargs` that could not be expanded: any keyword might be set. */
  hasUnknownKwargs: boolean;
  /**
   * Set for `functools.partial(f, *args, **kwargs)`: the call is then described as the call of `f` with those
   * arguments (what every call of the partial will at least pass), so rules judge `partial(subprocess.run,
   * shell=True)` as the `subprocess.run(..., shell=True)` it stands for.
   */
  via?: 'functools.partial';
}

/**
 * The binding in force at `usePos`: the last one before it in the same scope. A use before any binding of a
 * local name is unknown (Python raises NameError/UnboundLocalError there), never a later binding.
 */
function lastBinding(list: Binding[], usePos: number | undefined): Binding {
  if (usePos === undefined) return list[list.length - 1];
  let chosen: Binding | undefined;
  if (list.length > 16 && isSortedByPos(list)) {
    // A name bound thousands of times (generated or hostile code): binary search, not a scan per use.
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].pos <= usePos) {
        chosen = list[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
  } else for (const b of list) if (b.pos <= usePos) chosen = b;
  return chosen ?? { kind: 'other', pos: usePos, scope: list[0].scope };
}

/** Whether a name's bindings are in position order (they are added in document order, so almost always). */
const sortedLists = new WeakMap<Binding[], { length: number; sorted: boolean }>();
function isSortedByPos(list: Binding[]): boolean {
  const known = sortedLists.get(list);
  if (known && known.length === list.length) return known.sorted;
  let sorted = true;
  for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1].pos <= list[i].pos;
  sortedLists.set(list, { length: list.length, sorted });
  return sorted;
}

/** The keywords of a call without any (never written to: `call` replaces it before adding one). */
const NO_KEYWORDS = new Map<string, Arg>();

export class Resolver {
  private readonly callCache = new Map<number, CallInfo>();
  private readonly boundCache = new Map<number, CallInfo>();
  constructor(readonly model: FileModel) {}

  /** The binding a name refers to at a position, honouring Python's scoping (class bodies do not enclose). */
  lookup(name: string, scope: Scope, usePos: number | undefined): Binding | undefined {
    let s: Scope | undefined = scope;
    let own = true;
    while (s) {
      if (!(s.kind === 'class' && !own)) {
        const list = s.bindings.get(name);
        if (list) return lastBinding(list, own ? usePos : undefined);
      }
      own = false;
      s = s.parent;
    }
    return undefined;
  }

  /** `self.x` inside a method, when some method of the class assigns `self.x = value` (the last such). */
  instanceAttribute(obj: Node, attr: string, scope: Scope): Binding | undefined {
    if (obj.type !== 'identifier') return undefined;
    let fn: Scope | undefined = scope;
    while (fn && fn.kind === 'comprehension') fn = fn.parent;
    if (!fn?.selfName || fn.selfName !== obj.text || fn.parent?.kind !== 'class') return undefined;
    const list = fn.parent.instanceAttributes.get(attr);
    if (list) return list[list.length - 1];
    // a class attribute read through self (`loader = yaml.Loader` in the class body)
    const classLevel = fn.parent.bindings.get(attr);
    const last = classLevel?.[classLevel.length - 1];
    return last?.kind === 'value' || last?.kind === 'import' ? last : undefined;
  }

  private unboundName(name: string, scope: Scope): string {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      for (const m of s.starImports) {
        const exports = STDLIB_STAR_EXPORTS[m] ?? THIRD_PARTY_STAR_EXPORTS[m];
        if (exports ? exports.includes(name) : !BUILTINS.has(name)) return `${m}.${name}`;
      }
    }
    return name;
  }

  /** Qualified name of a name / attribute chain / call result; `undefined` when it is not knowable. */
  qname(node: Node, scope: Scope, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case 'identifier': {
        const b = this.lookup(node.text, scope, node.startIndex);
        if (!b) return this.unboundName(node.text, scope);
        if (b.kind === 'import') return b.qname;
        if (b.kind === 'value' && b.value) return this.qname(b.value, b.scope, depth + 1);
        return undefined;
      }
      case 'attribute': {
        const obj = node.childForFieldName('object');
        const attr = node.childForFieldName('attribute');
        if (!obj || !attr) return undefined;
        const member = this.instanceAttribute(obj, attr.text, scope);
        if (member) return member.kind === 'import' ? member.qname : member.value ? this.qname(member.value, member.scope, depth + 1) : undefined;
        const base = this.qname(obj, scope, depth + 1);
        return base === undefined ? undefined : `${base}.${attr.text}`;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        if (!fn) return undefined;
        const q = this.qname(fn, scope, depth + 1);
        if (q === 'importlib.import_module' || q === '__import__') {
          const mod = this.importedModuleName(node, scope, q === '__import__');
          if (mod) return mod;
        }
        if (q === 'getattr') {
          // getattr(subprocess, "Popen") is subprocess.Popen when the name is a constant
          const info = this.call(node, scope);
          const [target, name] = info.positional;
          const attr = name && info.positional.length === 2 ? this.constant(name.node, name.scope, depth + 1) : undefined;
          const base = target && typeof attr === 'string' && /^[A-Za-z_]\w*$/.test(attr) ? this.qname(target.node, target.scope, depth + 1) : undefined;
          if (base !== undefined) return `${base}.${attr}`;
        }
        return q === undefined ? undefined : `${q}()`;
      }
      case 'parenthesized_expression':
      case 'await': {
        // `conn = await asyncpg.connect(...)`: the awaited value stands for what the coroutine returns
        const inner = node.namedChildren[0];
        return inner ? this.qname(inner, scope, depth + 1) : undefined;
      }
      default:
        return undefined;
    }
  }

  private importedModuleName(call: Node, scope: Scope, dunder: boolean): string | undefined {
    const info = this.call(call, scope);
    const first = info.positional[0];
    const name = first ? this.constant(first.node, first.scope) : undefined;
    if (typeof name !== 'string') return undefined;
    if (!dunder) return name;
    // __import__('a.b') returns the top package unless a fromlist is given
    const fromlist = info.positional[3] ?? info.keywords.get('fromlist');
    return fromlist ? name : name.split('.')[0];
  }

  /** Parsed arguments of a call, with `**{...}` literals expanded into keywords. Cached per node. */
  call(node: Node, scope: Scope): CallInfo {
    const cached = this.callCache.get(node.id);
    if (cached) return cached;
    const func = node.childForFieldName('function')!;
    const info: CallInfo = {
      node,
      func,
      qname: func ? this.qname(func, scope) : undefined,
      name: func?.type === 'attribute' ? (func.childForFieldName('attribute')?.text ?? '') : (func?.text ?? ''),
      positional: [],
      keywords: NO_KEYWORDS,
      hasStarArgs: false,
      hasUnknownKwargs: false,
    };
    // Most calls pass no keyword: they share one empty map, and a call gets its own at its first keyword.
    const keywords = () => (info.keywords === NO_KEYWORDS ? (info.keywords = new Map()) : info.keywords);
    const args = node.childForFieldName('arguments');
    if (args?.type === 'argument_list') {
      for (const a of args.namedChildren) {
        if (!a || a.type === 'comment') continue;
        if (a.type === 'keyword_argument') {
          const name = a.childForFieldName('name');
          const value = a.childForFieldName('value');
          if (name && value) keywords().set(name.text, { node: value, scope });
        } else if (a.type === 'list_splat') {
          info.hasStarArgs = true;
        } else if (a.type === 'dictionary_splat') {
          const inner = a.namedChildren[0];
          if (!inner || !this.expandKwargs(inner, scope, keywords())) info.hasUnknownKwargs = true;
        } else if (!info.hasStarArgs) {
          info.positional.push({ node: a, scope });
        }
      }
    } else if (args) {
      info.positional.push({ node: args, scope }); // f(x for x in y)
    }
    const result = info.qname === 'functools.partial' ? (this.partialTarget(info) ?? info) : info;
    this.callCache.set(node.id, result);
    return result;
  }

  /**
   * A call of a name bound to `functools.partial(f, ...)` (`run = partial(subprocess.call, shell=True)`,
   * then `run(cmd)`): the call of `f` with the bound arguments first and the bound keywords unless the call
   * overrides them. For the data flow, which follows what reaches `f`; the rules report the partial itself,
   * once. Any other call: `call`.
   */
  boundCall(node: Node, scope: Scope): CallInfo {
    const info = this.call(node, scope);
    const func = info.func;
    if (!func || func.type !== 'identifier' || info.via) return info;
    const cached = this.boundCache.get(node.id);
    if (cached) return cached;
    const b = this.lookup(func.text, scope, func.startIndex);
    let result = info;
    if (b?.kind === 'value' && b.value?.type === 'call') {
      const bound = this.call(b.value, b.scope);
      if (bound.via === 'functools.partial') {
        const keywords = bound.keywords.size || info.keywords.size ? new Map([...bound.keywords, ...info.keywords]) : NO_KEYWORDS;
        result = {
          ...info,
          func: bound.func,
          qname: bound.qname,
          name: bound.name,
          positional: bound.hasStarArgs ? bound.positional : [...bound.positional, ...info.positional],
          keywords,
          hasStarArgs: bound.hasStarArgs || info.hasStarArgs,
          hasUnknownKwargs: bound.hasUnknownKwargs || info.hasUnknownKwargs,
          via: 'functools.partial',
        };
      }
    }
    this.boundCache.set(node.id, result);
    return result;
  }

  /** `functools.partial(f, ...)` as the call of `f` it prepares; undefined when `f` is not knowable. */
  private partialTarget(info: CallInfo): CallInfo | undefined {
    const [target, ...rest] = info.positional;
    if (!target || (target.node.type !== 'identifier' && target.node.type !== 'attribute')) return undefined;
    const qname = this.qname(target.node, target.scope);
    if (qname === undefined) return undefined;
    const name = target.node.type === 'attribute' ? (target.node.childForFieldName('attribute')?.text ?? '') : target.node.text;
    return { ...info, func: target.node, qname, name, positional: rest, via: 'functools.partial' };
  }

  /** `**{"shell": True}`, `**dict(shell=True)`, or a name bound to either. */
  private expandKwargs(node: Node, scope: Scope, into: Map<string, Arg>, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    if (node.type === 'identifier') {
      const b = this.lookup(node.text, scope, node.startIndex);
      return b?.kind === 'value' && b.value ? this.expandKwargs(b.value, b.scope, into, depth + 1) : false;
    }
    if (node.type === 'dictionary') {
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') return false;
        const key = pair.childForFieldName('key');
        const value = pair.childForFieldName('value');
        const k = key ? stringLiteral(key) : undefined;
        if (!k || k.dynamic || !value) return false;
        into.set(k.value, { node: value, scope });
      }
      return true;
    }
    if (node.type === 'call' && this.qname(node.childForFieldName('function')!, scope) === 'dict') {
      const inner = this.call(node, scope);
      if (inner.positional.length || inner.hasUnknownKwargs) return false;
      for (const [k, v] of inner.keywords) into.set(k, v);
      return true;
    }
    return false;
  }

  /** What a name stands for: the expression it is bound to where it is used (through chains of names), else `arg` itself. */
  expression(arg: Arg, depth = 0): Arg {
    if (arg.node.type !== 'identifier' || depth > MAX_DEPTH) return arg;
    const b = this.lookup(arg.node.text, arg.scope, arg.node.startIndex);
    return b?.kind === 'value' && b.value ? this.expression({ node: b.value, scope: b.scope }, depth + 1) : arg;
  }

  /** The value of a constant expression, following names bound to constants. `undefined` if not constant. */
  constant(node: Node, scope: Scope, depth = 0): ConstValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (node.type) {
      case 'string':
      case 'concatenated_string': {
        const s = stringLiteral(node);
        return s && !s.dynamic ? s.value : undefined;
      }
      case 'integer':
        return parsePythonInt(node.text);
      case 'float':
        return Number(node.text.replace(/_/g, '').replace(/[jJ]$/, ''));
      case 'true':
        return true;
      case 'false':
        return false;
      case 'none':
        return null;
      case 'parenthesized_expression': {
        const inner = node.namedChildren[0];
        return inner ? this.constant(inner, scope, depth + 1) : undefined;
      }
      case 'unary_operator': {
        const v = this.constant(node.childForFieldName('argument')!, scope, depth + 1);
        const op = node.childForFieldName('operator')?.text;
        if (typeof v !== 'number') return undefined;
        return op === '-' ? -v : op === '~' ? ~v : v;
      }
      case 'binary_operator': {
        const l = this.constant(node.childForFieldName('left')!, scope, depth + 1);
        const r = this.constant(node.childForFieldName('right')!, scope, depth + 1);
        const op = node.childForFieldName('operator')?.text;
        if (typeof l === 'number' && typeof r === 'number') {
          if (op === '|') return l | r;
          if (op === '+') return l + r;
          if (op === '&') return l & r;
          if (op === '*') return l * r;
          if (op === '-') return l - r;
          return undefined;
        }
        if (typeof l === 'string' && typeof r === 'string' && op === '+') return l + r;
        return undefined;
      }
      case 'tuple':
      case 'list':
      case 'set': {
        const out: ConstValue[] = [];
        for (const c of node.namedChildren) {
          if (!c || c.type === 'comment') continue;
          const v = this.constant(c, scope, depth + 1);
          if (v === undefined) return undefined;
          out.push(v);
        }
        return out;
      }
      case 'dictionary': {
        const out: { [key: string]: ConstValue } = {};
        for (const pair of node.namedChildren) {
          if (pair.type === 'comment') continue;
          if (pair.type !== 'pair') return undefined; // `**spread`
          const k = this.constant(pair.childForFieldName('key')!, scope, depth + 1);
          const v = this.constant(pair.childForFieldName('value')!, scope, depth + 1);
          if (typeof k !== 'string' || v === undefined) return undefined;
          out[k] = v;
        }
        return out;
      }
      case 'identifier': {
        const b = this.lookup(node.text, scope, node.startIndex);
        if (!b || b.kind === 'import') return this.statFlag(node, scope, depth); // `from stat import S_IWOTH`
        // A name rebound in the same scope is only constant if every binding agrees; take the one in force.
        if (b.kind === 'value' && b.value) return this.constant(b.value, b.scope, depth + 1);
        return undefined;
      }
      case 'attribute':
        return this.statFlag(node, scope, depth);
      default:
        return undefined;
    }
  }

  private statFlag(node: Node, scope: Scope, depth: number): number | undefined {
    const q = this.qname(node, scope, depth + 1);
    return q?.startsWith('stat.') && Object.hasOwn(STAT_FLAGS, q.slice(5)) ? STAT_FLAGS[q.slice(5)] : undefined;
  }
}

export function parsePythonInt(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase().replace(/l$/, '');
  let n: number;
  if (t.startsWith('0x')) n = parseInt(t.slice(2), 16);
  else if (t.startsWith('0o')) n = parseInt(t.slice(2), 8);
  else if (t.startsWith('0b')) n = parseInt(t.slice(2), 2);
  else if (/^0\d+$/.test(t)) n = parseInt(t, 8); // Python 2 octal, still common in old chmod calls
  else n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
