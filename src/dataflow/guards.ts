/**
 * Guards: tests that make a value safe on the branch they protect. `if x in ALLOWED:` cleans `x` inside the
 * `if`; `if x not in ALLOWED: abort(403)` cleans it after; `re.fullmatch(r"[a-z]+", x)`, `x.isdigit()`,
 * `url_has_allowed_host_and_scheme(x, ...)`, `urlparse(x).netloc in HOSTS`, and path containment
 * (`realpath(p).startswith(BASE)`, `commonpath`, `is_relative_to`) likewise, each for the rules it answers.
 */
import type { Resolver } from '../python/resolve.js';
import type { Scope } from '../python/scopes.js';
import type { SyntaxNode as Node } from '../python/syntax-tree.js';
import type { ModelIndex } from './model-index.js';
import { ALL_RULES_CLEARED, FIXED_HOST, ruleMask } from './taint.js';

/** On one branch: the value at `key` (a name, or `obj.attr`) is safe for the rules in `mask`. */
export interface GuardFact {
  key: string;
  mask: number;
}

export interface GuardFacts {
  yes: GuardFact[];
  no: GuardFact[];
}

const NONE: GuardFacts = { yes: [], no: [] };
const PATH = ruleMask(['PW104']);
const URL = ruleMask(['PW105', 'PW108']);
const NORMALISERS = new Set(['os.path.realpath', 'os.path.abspath', 'os.path.normpath', 'posixpath.realpath', 'posixpath.abspath', 'posixpath.normpath', 'os.path.normcase']);
const URL_SPLITTERS = new Set(['urllib.parse.urlparse', 'urllib.parse.urlsplit', 'urlparse.urlparse', 'urlparse.urlsplit', 'six.moves.urllib.parse.urlparse']);

/** The env key of a plain value expression: `x`, `self.x`, `obj.attr`; undefined for anything else. */
export function accessKey(node: Node): string | undefined {
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const obj = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute');
    if (obj?.type === 'identifier' && attr) return `${obj.text}.${attr.text}`;
  }
  if (node.type === 'parenthesized_expression' && node.namedChildren.length === 1) return accessKey(node.namedChildren[0]);
  return undefined;
}

export class Guards {
  constructor(
    private readonly index: ModelIndex,
    private readonly resolver: Resolver,
    /** True when the expression carries no attacker data (a constant, an allow-list): set by the analysis. */
    private readonly isClean: (node: Node) => boolean,
    /** The function definition a call resolves to in this file (for validators the project writes itself). */
    private readonly localFunction: (call: Node, scope: Scope) => { node: Node; scope: Scope; params: string[]; method: boolean } | undefined = () => undefined,
  ) {}

  private readonly validators = new Map<number, Map<number, number> | null>();

  /**
   * A project function used as a test (`if not is_safe_url(target): abort(400)`): when every way it can
   * return something true goes through a guard on one of its parameters (`return urlparse(u).netloc in
   * HOSTS`, with `return False` on the other paths), that parameter's guard holds at the call. Parameter
   * index -> rules made safe; null when the function is not such a validator.
   */
  private validatorFacts(fn: { node: Node; scope: Scope; params: string[] }, depth: number): Map<number, number> | null {
    const cached = this.validators.get(fn.node.id);
    if (cached !== undefined) return cached;
    this.validators.set(fn.node.id, null); // recursion guard
    const body = fn.node.childForFieldName('body');
    const returns = body ? body.descendantsOfType('return_statement').filter((r) => !this.insideNested(r, fn.node)) : [];
    let result: Map<number, number> | null = null;
    for (const r of returns) {
      const value = r.namedChildren[0];
      if (!value || value.type === 'false' || value.type === 'none') continue; // a "no" path
      const byParam = new Map<number, number>();
      for (const f of depth < 3 ? this.facts(value, fn.scope, depth + 1).yes : []) {
        const i = fn.params.indexOf(f.key);
        if (i >= 0) byParam.set(i, (byParam.get(i) ?? 0) | f.mask);
      }
      // Every "yes" path must vouch for the parameter: what they all say.
      if (result === null) result = byParam;
      else for (const [i, mask] of result) result.set(i, mask & (byParam.get(i) ?? 0));
      for (const [i, mask] of result) if (!mask) result.delete(i);
      if (!result.size) break;
    }
    const final = result && result.size ? result : null;
    this.validators.set(fn.node.id, final);
    return final;
  }

  private insideNested(node: Node, fn: Node): boolean {
    for (let p = node.parent; p && !p.equals(fn); p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return true;
    return false;
  }

  facts(cond: Node, scope: Scope, depth = 0): GuardFacts {
    if (depth > 8) return NONE;
    switch (cond.type) {
      case 'parenthesized_expression':
        return cond.namedChildren.length === 1 ? this.facts(cond.namedChildren[0], scope, depth + 1) : NONE;
      case 'not_operator': {
        const inner = cond.childForFieldName('argument');
        if (!inner) return NONE;
        const f = this.facts(inner, scope, depth + 1);
        return { yes: f.no, no: f.yes };
      }
      case 'boolean_operator': {
        const left = cond.childForFieldName('left');
        const right = cond.childForFieldName('right');
        const op = cond.childForFieldName('operator')?.text ?? cond.children.find((c) => c.type === 'and' || c.type === 'or')?.type;
        if (!left || !right) return NONE;
        const l = this.facts(left, scope, depth + 1);
        const r = this.facts(right, scope, depth + 1);
        // `a and b` true: both held; `a or b` false: neither held.
        return op === 'and' ? { yes: [...l.yes, ...r.yes], no: [] } : { yes: [], no: [...l.no, ...r.no] };
      }
      case 'comparison_operator':
        return this.comparison(cond, scope);
      case 'call':
        return { yes: this.callFacts(cond, scope), no: [] };
      case 'attribute':
        return this.netlocTruth(cond, scope);
      case 'named_expression': {
        const value = cond.childForFieldName('value');
        return value ? this.facts(value, scope, depth + 1) : NONE;
      }
      default:
        return NONE;
    }
  }

  /** `x in ALLOWED`, `x == "a"`, `urlparse(x).netloc in HOSTS`, `commonpath([BASE, p]) == BASE`. */
  private comparison(cond: Node, scope: Scope): GuardFacts {
    const operands = cond.namedChildren;
    const operators = cond.children.filter((c) => !c.isNamed).map((c) => c.type);
    if (operands.length !== 2 || operators.length === 0) return NONE;
    const op = operators.join(' ');
    const [left, right] = operands;
    // `re.fullmatch(P, x) is None` is `not re.fullmatch(P, x)`; `... is not None` is the test itself
    if ((op === 'is' || op === 'is not' || op === '==' || op === '!=') && (left.type === 'none' || right.type === 'none')) {
      const tested = left.type === 'none' ? right : left;
      if (tested.type !== 'call') return NONE;
      const facts = this.callFacts(tested, scope);
      return op === 'is not' || op === '!=' ? { yes: facts, no: [] } : { yes: [], no: facts };
    }
    const positive = op === 'in' || op === '==' || op === 'is';
    const negative = op === 'not in' || op === '!=' || op === 'is not';
    if (!positive && !negative) return NONE;
    const facts: GuardFact[] = [];
    // commonpath([BASE, p]) == BASE
    for (const [call, other] of [[left, right], [right, left]] as const) {
      if (call.type === 'call' && (op === '==' || op === '!=') && this.isClean(other)) {
        const q = this.resolver.qname(call.childForFieldName('function')!, scope);
        if (q === 'os.path.commonpath' || q === 'posixpath.commonpath' || q === 'os.path.commonprefix') {
          const list = this.resolver.call(call, scope).positional[0]?.node;
          for (const item of list?.namedChildren ?? []) {
            if (this.isClean(item)) continue;
            for (const key of this.pathKeys(item, scope)) facts.push({ key, mask: PATH });
          }
        }
      }
    }
    if (!facts.length) {
      const tested = op.includes('in') ? left : this.isClean(right) ? left : this.isClean(left) ? right : undefined;
      const against = tested === left ? right : left;
      if (tested && this.isClean(against)) {
        const netloc = this.netlocOf(tested, scope);
        if (netloc) facts.push({ key: netloc, mask: URL });
        else {
          const key = accessKey(tested);
          if (key && !(op.includes('is') && against.type !== 'none' && false)) {
            // `x == None` / `x is None` say nothing about the data when true only for None: still clean (None).
            facts.push({ key, mask: ALL_RULES_CLEARED });
          }
        }
      }
    }
    if (!facts.length) return NONE;
    return positive ? { yes: facts, no: [] } : { yes: [], no: facts };
  }

  /** `urlparse(x).netloc` (also `.hostname`, `.scheme`), directly or through a name bound to `urlparse(x)`: the key of `x`. */
  private netlocOf(node: Node, scope: Scope, depth = 0): string | undefined {
    // `host = urlparse(url).hostname` then `if host not in ALLOWED_HOSTS:`
    if (node.type === 'identifier' && depth < 2) {
      const bound = this.resolver.expression({ node, scope }).node;
      return bound !== node ? this.netlocOf(bound, scope, depth + 1) : undefined;
    }
    if (node.type !== 'attribute') return undefined;
    const attr = node.childForFieldName('attribute')?.text;
    if (attr !== 'netloc' && attr !== 'hostname') return undefined;
    let obj = node.childForFieldName('object');
    if (obj?.type === 'identifier') obj = this.resolver.expression({ node: obj, scope }).node;
    if (obj?.type !== 'call') return undefined;
    const q = this.resolver.qname(obj.childForFieldName('function')!, scope);
    if (!q || !URL_SPLITTERS.has(q)) return undefined;
    const arg = this.resolver.call(obj, scope).positional[0]?.node;
    return arg ? accessKey(arg) : undefined;
  }

  /** `if urlparse(x).netloc:` - false means a relative URL (no host): safe for redirects and requests on that branch. */
  private netlocTruth(cond: Node, scope: Scope): GuardFacts {
    const key = this.netlocOf(cond, scope);
    return key && cond.childForFieldName('attribute')?.text === 'netloc' ? { yes: [], no: [{ key, mask: URL }] } : NONE;
  }

  /** The keys a path-containment test vouches for: `p`, or `x` in `realpath(x)` / `Path(x).resolve()`, and a name bound to such a call. */
  private pathKeys(node: Node, scope: Scope): string[] {
    const keys: string[] = [];
    const direct = accessKey(node);
    if (direct) {
      // A name counts only when it holds a normalised path (`p = os.path.realpath(...)`).
      const bound = node.type === 'identifier' ? this.resolver.expression({ node, scope }).node : node;
      if (bound !== node && this.isNormalised(bound, scope)) keys.push(direct);
      return keys;
    }
    if (this.isNormalised(node, scope)) {
      const inner = this.normalisedArg(node, scope);
      const key = inner ? accessKey(inner) : undefined;
      if (key) keys.push(key);
    }
    return keys;
  }

  /** `str(p)` / `os.fspath(p)` -> `p`. */
  private unwrapStr(node: Node, scope: Scope): Node {
    if (node.type !== 'call') return node;
    const q = this.resolver.qname(node.childForFieldName('function')!, scope);
    const inner = this.resolver.call(node, scope).positional[0]?.node;
    return (q === 'str' || q === 'os.fspath') && inner ? inner : node;
  }

  private isNormalised(node: Node, scope: Scope): boolean {
    if (node.type !== 'call') return false;
    const fn = node.childForFieldName('function');
    if (!fn) return false;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'resolve') return true;
    const q = this.resolver.qname(fn, scope);
    return q !== undefined && NORMALISERS.has(q);
  }

  private normalisedArg(node: Node, scope: Scope): Node | undefined {
    const fn = node.childForFieldName('function')!;
    if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'resolve') {
      const obj = fn.childForFieldName('object');
      if (obj?.type === 'call') return this.resolver.call(obj, scope).positional.at(-1)?.node; // Path(BASE, name).resolve()
      return obj ?? undefined;
    }
    return this.resolver.call(node, scope).positional[0]?.node;
  }

  /** Calls that are true only for safe values: guard models, regex validators, path containment. */
  private callFacts(call: Node, scope: Scope): GuardFact[] {
    const fn = call.childForFieldName('function');
    if (!fn) return [];
    const info = this.resolver.call(call, scope);
    const q = info.qname;
    const model = (q !== undefined ? this.index.guardsByQname.get(q) : undefined) ?? (fn.type === 'attribute' && q === undefined ? this.index.guardsByMethod.get(info.name) : undefined) ?? (fn.type === 'attribute' ? this.index.guardsByMethod.get(info.name) : undefined);
    const receiver = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    // url.startswith("https://api.example.com/"): the host is fixed
    if (receiver && info.name === 'startswith' && info.positional[0]) {
      const prefix = this.resolver.constant(info.positional[0].node, scope);
      const prefixes = typeof prefix === 'string' ? [prefix] : Array.isArray(prefix) ? prefix : [];
      const key = accessKey(receiver);
      if (key && prefixes.length && prefixes.every((p) => typeof p === 'string' && FIXED_HOST.test(p))) return [{ key, mask: URL }];
    }
    // x.startswith(BASE) / p.is_relative_to(BASE) on a normalised path (also through `str(...)`)
    if (receiver && (info.name === 'startswith' || info.name === 'is_relative_to')) {
      return this.pathKeys(this.unwrapStr(receiver, scope), scope).map((key) => ({ key, mask: PATH }));
    }
    // re.match(r"^[a-z]+$", x), PATTERN.fullmatch(x) with PATTERN = re.compile(...)
    const validated = this.regexValidated(info.qname, info.name, receiver, info.positional.map((a) => a.node), scope);
    if (validated) {
      const key = accessKey(validated);
      return key ? [{ key, mask: ALL_RULES_CLEARED }] : [];
    }
    if (!model) {
      const local = this.localFunction(call, scope);
      const validated = local ? this.validatorFacts(local, 0) : null;
      if (!validated) return [];
      const out: GuardFact[] = [];
      const offset = local!.method && receiver ? 1 : 0; // `self.is_safe(url)`: the receiver is parameter 0
      for (const [i, mask] of validated) {
        const arg = i - offset >= 0 ? (info.positional[i - offset]?.node ?? info.keywords.get(local!.params[i])?.node) : undefined;
        const key = arg ? accessKey(arg) : undefined;
        if (key) out.push({ key, mask });
      }
      return out;
    }
    const tested = model.methods?.includes(info.name) && receiver && !model.qnames?.includes(q ?? '') ? receiver : info.positional[model.arg ?? 0]?.node;
    const key = tested ? accessKey(tested) : undefined;
    return key ? [{ key, mask: model.mask }] : [];
  }

  /** The value a regex test validates as a whole, when the pattern is anchored at both ends. */
  private regexValidated(q: string | undefined, method: string, receiver: Node | null, args: Node[], scope: Scope): Node | undefined {
    let pattern: string | undefined;
    let value: Node | undefined;
    let how: string;
    if (q && /^(re|regex)\.(fullmatch|match|search)$/.test(q)) {
      const p = args[0] ? this.resolver.constant(args[0], scope) : undefined;
      pattern = typeof p === 'string' ? p : undefined;
      value = args[1];
      how = q.split('.')[1];
    } else if (receiver && (method === 'fullmatch' || method === 'match' || method === 'search')) {
      const compiled = receiver.type === 'identifier' ? this.resolver.expression({ node: receiver, scope }).node : receiver;
      if (compiled.type !== 'call') return undefined;
      const cq = this.resolver.qname(compiled.childForFieldName('function')!, compiled === receiver ? scope : scope);
      if (cq !== 're.compile' && cq !== 'regex.compile') return undefined;
      const p = this.resolver.call(compiled, scope).positional[0];
      const c = p ? this.resolver.constant(p.node, p.scope) : undefined;
      pattern = typeof c === 'string' ? c : undefined;
      value = args[0];
      how = method;
    } else return undefined;
    if (pattern === undefined || !value) return undefined;
    const start = how === 'fullmatch' || how === 'match' || /^(\^|\\A)/.test(pattern);
    const end = how === 'fullmatch' || /(\$|\\Z|\\z)\)?$/.test(pattern);
    // A pattern that accepts anything (`.*`) validates nothing.
    return start && end && !/^\^?\.[*+]\$?$/.test(pattern) ? value : undefined;
  }
}
