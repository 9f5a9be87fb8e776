/** Where a SQL string built by B608 ends up: straight in `cursor.execute(...)`, or in a name later passed to it. */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { RuleContext } from '../rule.js';

const EXECUTE = new Set(['execute', 'executemany']);
const SCOPE_NODES = new Set(['function_definition', 'lambda', 'module']);

/** The node with the parentheses around it, if any. */
export function outer(node: Node): Node {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  return n;
}

function calledName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return fn?.type === 'identifier' ? fn.text : undefined;
}

/** The call `node` is an argument of (positional or keyword), if any. */
function argumentOf(node: Node): Node | undefined {
  const p = node.parent;
  if (p?.type === 'argument_list') return p.parent?.type === 'call' ? p.parent : undefined;
  if (p?.type === 'keyword_argument' && p.parent?.type === 'argument_list') return p.parent.parent ?? undefined;
  return undefined;
}

/** `cursor.execute(<expr>)`, also through a walrus: `cursor.execute(q := f"...")`. */
export function isExecuteArgument(expr: Node): boolean {
  let o = outer(expr);
  if (o.parent?.type === 'named_expression') o = outer(o.parent);
  const call = argumentOf(o);
  return call !== undefined && EXECUTE.has(calledName(call) ?? '');
}

function enclosingScope(node: Node): Node | undefined {
  let n = node.parent;
  while (n && !SCOPE_NODES.has(n.type)) n = n.parent;
  return n ?? undefined;
}

/** The name `expr` is stored in (`q = <expr>`, `q += <expr>`, `(q := <expr>)`), and the statement that stores it. */
function storedIn(expr: Node): { name: Node; statement: Node; augmented: boolean } | undefined {
  const o = outer(expr);
  const p = o.parent;
  if (!p) return undefined;
  if ((p.type === 'assignment' || p.type === 'augmented_assignment') && p.childForFieldName('right')?.equals(o)) {
    const name = p.childForFieldName('left');
    return name?.type === 'identifier' ? { name, statement: p, augmented: p.type === 'augmented_assignment' } : undefined;
  }
  if (p.type === 'named_expression') {
    const name = p.childForFieldName('name');
    return name ? { name, statement: p, augmented: false } : undefined;
  }
  return undefined;
}

/** An `execute(name, ...)` call directly in a scope: where it starts and its first argument. */
interface ExecuteCall {
  start: number;
  first: Node;
}

/**
 * The `execute`/`executemany` calls directly in a scope whose first argument is a name, by that name, in
 * document order: listed once per scope rather than once per SQL string (a module of thousands of
 * `q = f"..."; cursor.execute(q)` took minutes when every string walked every call before it).
 */
const executeCallsByScope = new WeakMap<Node, Map<string, ExecuteCall[]>>();

function executeCallsIn(scopeNode: Node): Map<string, ExecuteCall[]> {
  let byName = executeCallsByScope.get(scopeNode);
  if (!byName) {
    byName = new Map();
    for (const call of scopeNode.descendantsOfType('call')) {
      if (!EXECUTE.has(calledName(call) ?? '') || !enclosingScope(call)?.equals(scopeNode)) continue;
      const first = call.childForFieldName('arguments')?.namedChildren[0];
      if (first?.type !== 'identifier') continue;
      const list = byName.get(first.text);
      if (list) list.push({ start: call.startIndex, first });
      else byName.set(first.text, [{ start: call.startIndex, first }]);
    }
    executeCallsByScope.set(scopeNode, byName);
  }
  return byName;
}

/** True when the name `expr` is assigned to is later passed to `execute`/`executemany` in the same function. */
export function executedLater(ctx: RuleContext, expr: Node): boolean {
  const stored = storedIn(expr);
  if (!stored) return false;
  const scopeNode = enclosingScope(stored.statement);
  if (!scopeNode) return false;
  const calls = executeCallsIn(scopeNode).get(stored.name.text);
  if (!calls) return false;
  // the first call after the statement (the list is in document order)
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (calls[mid].start < stored.statement.endIndex) lo = mid + 1;
    else hi = mid;
  }
  const bound = outer(expr);
  for (let i = lo; i < calls.length; i++) {
    // q += ... rebinds q to an unknown value: the name is enough
    if (stored.augmented || ctx.expression({ node: calls[i].first, scope: ctx.scope }).node.equals(bound)) return true;
  }
  return false;
}
