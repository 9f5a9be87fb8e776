/**
 * Summaries of "plain" functions without interpreting them. Most functions of a code base touch no source,
 * no sink and no other project function: all the solver needs from them is which parameters reach the
 * return value (`def full_name(first, last): return first + " " + last`). For those a flow-insensitive
 * pass over names is enough and costs a fraction of the interpretation (measured on the CPython standard
 * library, where most functions are plain). The interpreter (analyze-flows.ts) decides which are plain.
 */
import { Ast, NONE } from './ast.js';

/** Node types whose value carries no data from their operands (a yes/no, a number of items). */
const CLEAN_EXPRESSIONS = new Set(['comparison_operator', 'not_operator', 'lambda', 'integer', 'float', 'true', 'false', 'none']);
const CONTAINER_ADDERS = new Set(['append', 'extend', 'insert', 'add', 'update', 'appendleft', 'extendleft', 'setdefault']);
const BUILDERS = new Set(['binary_operator', 'string', 'concatenated_string']);

/** Labels (ids of the file's label table) a value may carry: parameters and project-call results. */
export type Labels = readonly number[];

export interface PlainHooks {
  /** A sanitiser for every rule (`int()`, `len()`): its result carries nothing. */
  isCleanCall(call: number): boolean;
  /** A call to a project function: the label of its result (the solver applies the callee's summary); undefined otherwise. */
  projectCall(call: number, depsOf: (id: number) => Labels): Labels | undefined;
}

const MAX_LABELS = 12;

function merge(a: Labels, b: Labels): Labels {
  if (!b.length || a === b) return a;
  if (!a.length) return b;
  let out: number[] | undefined;
  for (const x of b) {
    if (a.includes(x) || out?.includes(x)) continue;
    out ??= [...a];
    if (out.length >= MAX_LABELS) break;
    out.push(x);
  }
  return out ?? a;
}

export interface PlainResult {
  /** Labels that reach the return value. */
  returned: Labels;
  /** Parameters reach the return value through string building (`"..." + x`, f-strings, `%`). */
  built: boolean;
  /** The first return statement carrying a parameter, for the flow's step. */
  returnId: number;
}

/**
 * Which parameters (and project-call results) reach what a function returns or yields, by names only:
 * `x = f(a)` makes `x` carry `a` whatever `f` is, unless `f` is a sanitiser for every rule (`int()`) or a
 * project function (then `x` carries that call's result label, and the call is recorded by the hook).
 */
export function plainSummary(ast: Ast, body: number, params: readonly { name: string; label: number }[], hooks: PlainHooks): PlainResult {
  const NO: Labels = [];
  const deps = new Map<string, Labels>();
  for (const p of params) deps.set(p.name, [p.label]);
  let returned: Labels = NO;
  let built = false;
  let returnId = NONE;

  /** The labels an expression carries (and whether it builds a string from them). */
  const depsOf = (id: number): Labels => {
    let bits: Labels = NO;
    const stack = [id];
    while (stack.length) {
      const n = stack.pop()!;
      const type = ast.type(n);
      if (type === 'identifier') {
        const field = ast.fieldNames[ast.fieldId[n]];
        if (field !== 'attribute' && field !== 'name') bits = merge(bits, deps.get(ast.text(n)) ?? NO);
        continue;
      }
      if (CLEAN_EXPRESSIONS.has(type)) continue;
      if (type === 'call') {
        if (hooks.isCleanCall(n)) continue;
        const result = hooks.projectCall(n, depsOf);
        if (result) {
          bits = merge(bits, result);
          continue;
        }
      }
      if (type === 'named_expression') {
        const name = ast.field(n, 'name');
        const value = ast.field(n, 'value');
        const b = value !== NONE ? depsOf(value) : NO;
        if (name !== NONE) deps.set(ast.text(name), b);
        bits = merge(bits, b);
        continue;
      }
      if (type === 'conditional_expression') {
        // `a if cond else b`: the condition decides, it is not the value
        const [a, cond, b] = ast.namedKids(n);
        if (cond !== undefined) depsOf(cond);
        if (a !== undefined) stack.push(a);
        if (b !== undefined) stack.push(b);
        continue;
      }
      if (type === 'keyword_argument') {
        const value = ast.field(n, 'value');
        if (value !== NONE) stack.push(value);
        continue;
      }
      if (BUILDERS.has(type)) built ||= type !== 'binary_operator' || /^[+%]$/.test(ast.text(ast.field(n, 'operator')));
      for (let c = ast.first[n]; c !== NONE; c = ast.next[c]) if (ast.named(c)) stack.push(c);
    }
    return bits;
  };

  const bind = (target: number, bits: Labels, weak: boolean): void => {
    const type = ast.type(target);
    if (type === 'identifier') {
      const name = ast.text(target);
      deps.set(name, weak ? merge(deps.get(name) ?? NO, bits) : bits);
    } else if (type === 'attribute' || type === 'subscript') {
      // `obj.x = v`, `d[k] = v`: the object now holds v
      let root = target;
      while (root !== NONE && (ast.type(root) === 'attribute' || ast.type(root) === 'subscript')) root = ast.field(root, ast.type(root) === 'attribute' ? 'object' : 'value');
      if (root !== NONE && ast.type(root) === 'identifier') bind(root, bits, true);
    } else {
      for (let c = ast.first[target]; c !== NONE; c = ast.next[c]) if (ast.named(c)) bind(c, bits, weak);
    }
  };

  const statements = (block: number): void => {
    for (let s = ast.first[block]; s !== NONE; s = ast.next[s]) {
      if (!ast.named(s)) continue;
      const type = ast.type(s);
      switch (type) {
        case 'function_definition':
        case 'class_definition':
        case 'decorated_definition':
          continue;
        case 'expression_statement':
          for (let e = ast.first[s]; e !== NONE; e = ast.next[e]) {
            if (!ast.named(e)) continue;
            const et = ast.type(e);
            if (et === 'assignment') {
              let right = ast.field(e, 'right');
              const targets = [ast.field(e, 'left')];
              while (right !== NONE && ast.type(right) === 'assignment') {
                targets.push(ast.field(right, 'left'));
                right = ast.field(right, 'right');
              }
              const bits = right !== NONE ? depsOf(right) : NO;
              for (const t of targets) if (t !== NONE) bind(t, bits, false);
            } else if (et === 'augmented_assignment') {
              const left = ast.field(e, 'left');
              const right = ast.field(e, 'right');
              if (left !== NONE && right !== NONE) {
                const bits = depsOf(right);
                if (bits.length) built ||= true;
                bind(left, bits, true);
              }
            } else if (et === 'yield' || et === 'await') {
              const bits = depsOf(e);
              if (bits.length && returnId === NONE && et === 'yield') returnId = s;
              if (et === 'yield') returned = merge(returned, bits);
            } else if (et === 'call') {
              // `parts.append(x)`: the container now holds x
              const fn = ast.field(e, 'function');
              if (fn !== NONE && ast.type(fn) === 'attribute' && CONTAINER_ADDERS.has(ast.text(ast.field(fn, 'attribute'))) && !hooks.isCleanCall(e)) {
                const args = ast.field(e, 'arguments');
                if (args !== NONE) bind(ast.field(fn, 'object'), depsOf(args), true);
              } else depsOf(e);
            } else depsOf(e);
          }
          break;
        case 'return_statement': {
          const value = ast.firstNamed(s);
          if (value === NONE) break;
          const bits = depsOf(value);
          if (bits.length && returnId === NONE) returnId = s;
          returned = merge(returned, bits);
          break;
        }
        case 'for_statement':
        case 'while_statement': {
          const left = ast.field(s, 'left');
          const right = ast.field(s, 'right');
          if (left !== NONE && right !== NONE) bind(left, depsOf(right), true);
          const condition = ast.field(s, 'condition');
          if (condition !== NONE) depsOf(condition); // walrus
          const body = ast.field(s, 'body');
          // Twice: a value assigned late in the body reaches its beginning on the next pass.
          if (body !== NONE) {
            statements(body);
            statements(body);
          }
          const alt = ast.field(s, 'alternative');
          const altBlock = alt !== NONE ? ast.childOfType(alt, 'block') : NONE;
          if (altBlock !== NONE) statements(altBlock);
          break;
        }
        case 'with_statement': {
          const clause = ast.childOfType(s, 'with_clause');
          for (const item of clause !== NONE ? ast.namedKids(clause) : []) {
            const value = ast.field(item, 'value') !== NONE ? ast.field(item, 'value') : ast.firstNamed(item);
            if (value === NONE) continue;
            if (ast.type(value) === 'as_pattern') {
              const manager = ast.firstNamed(value);
              const alias = ast.field(value, 'alias');
              if (manager !== NONE && alias !== NONE) bind(alias, depsOf(manager), false);
            }
          }
          const body = ast.field(s, 'body');
          if (body !== NONE) statements(body);
          break;
        }
        default:
          // if/try/match and other compound statements: their blocks, in order (branches join by union)
          for (let c = ast.first[s]; c !== NONE; c = ast.next[c]) {
            const ct = ast.type(c);
            if (ct === 'block') statements(c);
            else if (ct === 'elif_clause' || ct === 'else_clause' || ct === 'except_clause' || ct === 'finally_clause' || ct === 'case_clause' || ct === 'except_group_clause') {
              for (let b = ast.first[c]; b !== NONE; b = ast.next[b]) if (ast.type(b) === 'block') statements(b);
            } else if (ast.named(c) && ct !== 'comment') depsOf(c);
          }
      }
    }
  };
  statements(body);
  return { returned, built, returnId };
}
