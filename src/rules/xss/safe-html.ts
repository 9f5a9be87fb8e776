/**
 * Can an expression carry attacker-controlled HTML? Shared by B703 (mark_safe) and B704 (Markup): an
 * expression is "safe" when it is built only from literals, names whose every assignment in scope is safe,
 * `"...".format(...)` / `%` / `+` / f-strings over safe parts, and the results of escaping functions.
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Binding, Scope } from '../../python/scopes.js';
import type { RuleContext } from '../rule.js';

/** Functions whose result is escaped HTML (or plain text with markup removed by a sanitizer). */
export const ESCAPING_CALLS = new Set([
  'html.escape',
  'markupsafe.escape',
  'markupsafe.Markup.escape',
  'flask.escape',
  'jinja2.escape',
  'django.utils.html.escape',
  'django.utils.html.conditional_escape',
  'django.utils.html.format_html',
  'bleach.clean',
  'nh3.clean',
]);

const MAX_DEPTH = 8;
const LITERALS = new Set(['integer', 'float', 'true', 'false', 'none']);

/** Every binding of `name` that can be in force at `usePos` (all of them when it comes from an enclosing scope). */
function bindingsOf(name: string, scope: Scope, usePos: number): Binding[] | undefined {
  let own = true;
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    if (!(s.kind === 'class' && !own)) {
      const list = s.bindings.get(name);
      if (list) {
        const before = own ? list.filter((b) => b.pos <= usePos) : list;
        return before.length ? before : list;
      }
    }
    own = false;
  }
  return undefined;
}

/**
 * How far names are followed, matching Bandit: B703 traces assignments within the scope where mark_safe is
 * called (a module-level name used in a function is not traced); B704 traces none (only what is written
 * in the call counts).
 */
export type NameTracing = 'none' | 'local';

export class HtmlSafety {
  private readonly visiting = new Set<number>();
  constructor(
    private readonly ctx: RuleContext,
    private readonly extraSafeCalls: ReadonlySet<string> = new Set(),
    private readonly tracing: NameTracing = 'local',
  ) {}

  isSafe(node: Node, scope: Scope = this.ctx.scope, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    const next = (n: Node | null, s = scope) => n !== null && this.isSafe(n, s, depth + 1);
    switch (node.type) {
      case 'string':
        return node.namedChildren.every((c) => c?.type !== 'interpolation' || next(c.childForFieldName('expression')));
      case 'concatenated_string':
      case 'parenthesized_expression':
      case 'tuple':
      case 'list':
        return node.namedChildren.every((c) => !c || c.type === 'comment' || next(c));
      case 'binary_operator': {
        const op = node.childForFieldName('operator')?.text;
        return (op === '+' || op === '%') && next(node.childForFieldName('left')) && next(node.childForFieldName('right'));
      }
      case 'conditional_expression':
        return node.namedChildren.slice(0, 1).concat(node.namedChildren.slice(2)).every((c) => c !== null && next(c));
      case 'identifier':
        return this.nameIsSafe(node, scope, depth);
      case 'call':
        return this.callIsSafe(node, scope, depth);
      default:
        return LITERALS.has(node.type);
    }
  }

  private nameIsSafe(node: Node, scope: Scope, depth: number): boolean {
    if (this.tracing === 'none') return false;
    const bindings = bindingsOf(node.text, scope, node.startIndex);
    if (!bindings) return false;
    if (bindings.some((b) => b.scope !== this.ctx.scope)) return false; // bound outside the calling scope
    if (this.visiting.has(node.id)) return false;
    this.visiting.add(node.id);
    try {
      // `x = "a"` and `x += "b"` are both safe when their values are
      return bindings.every((b) => (b.kind === 'value' || b.kind === 'augment') && b.value !== undefined && this.isSafe(b.value, b.scope, depth + 1));
    } finally {
      this.visiting.delete(node.id);
    }
  }

  private callIsSafe(node: Node, scope: Scope, depth: number): boolean {
    const func = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!func || args?.type !== 'argument_list') return false;
    const q = this.ctx.qname(func);
    if (q && (ESCAPING_CALLS.has(q) || this.extraSafeCalls.has(q))) return true;
    // "<b>{}</b>".format(a, b=c): safe when the template and every argument are
    const receiver = func.type === 'attribute' ? func.childForFieldName('object') : null;
    if (func.childForFieldName('attribute')?.text !== 'format' || !receiver || !this.isSafe(receiver, scope, depth + 1)) return false;
    return args.namedChildren.every((a) => {
      if (!a || a.type === 'comment') return true;
      if (a.type === 'keyword_argument') return this.isSafe(a.childForFieldName('value')!, scope, depth + 1);
      if (a.type === 'list_splat') {
        // `*["<b>", name]`: a literal list spread into the arguments
        const inner = a.namedChildren[0];
        return inner !== undefined && (inner.type === 'list' || inner.type === 'tuple') && this.isSafe(inner, scope, depth + 1);
      }
      return a.type !== 'dictionary_splat' && this.isSafe(a, scope, depth + 1);
    });
  }
}
