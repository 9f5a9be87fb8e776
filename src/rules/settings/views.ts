/**
 * Is this function a web view (its return value is the HTTP response)? Read from the data-flow entry-point
 * models (src/dataflow/models), so the frameworks the taint rules know are the ones recognised here:
 * route decorators, class-based view bases, `def view(request)` in a module importing Django or Starlette.
 * Error handlers (`@app.errorhandler`, `@app.exception_handler`) also answer the client.
 */
import { FLOW_MODELS } from '../../dataflow/model-index.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { RuleContext } from '../rule.js';

const entryPoints = FLOW_MODELS.flatMap((m) => m.entryPoints ?? []).filter((e) => e.kind === 'remote');
const DECORATORS = new Set(entryPoints.flatMap((e) => e.decorators ?? []));
const DECORATOR_METHODS = new Map<string, string[]>();
for (const e of entryPoints) for (const m of e.decoratorMethods ?? []) DECORATOR_METHODS.set(m, [...(DECORATOR_METHODS.get(m) ?? []), ...(e.whenImports ?? [])]);
const CLASS_BASES = entryPoints.flatMap((e) => e.classBases ?? []);
const FIRST_PARAMETER = entryPoints.filter((e) => e.firstParameter).map((e) => ({ name: e.firstParameter!, modules: e.whenImports ?? [] }));
const ERROR_HANDLERS = new Set(['errorhandler', 'app_errorhandler', 'exception_handler', 'register_error_handler']);
const WEB = ['flask', 'quart', 'fastapi', 'starlette', 'django', 'rest_framework', 'aiohttp', 'tornado'];

function decorators(fn: Node): Node[] {
  const parent = fn.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren.filter((c) => c.type === 'decorator').map((d) => d.namedChildren[0]).filter((e): e is Node => !!e);
}

function byDecorator(fn: Node, ctx: RuleContext): boolean {
  for (const d of decorators(fn)) {
    const callee = d.type === 'call' ? d.childForFieldName('function')! : d;
    const q = ctx.qname(callee);
    if (q !== undefined && (DECORATORS.has(q) || DECORATORS.has(`${q}()`))) return true;
    if (callee.type !== 'attribute') continue;
    const method = callee.childForFieldName('attribute')!.text;
    if (ERROR_HANDLERS.has(method) && WEB.some((m) => ctx.imports(m))) return true;
    const modules = DECORATOR_METHODS.get(method);
    if (modules?.some((m) => ctx.imports(m)) && (q === undefined || /\(\)/.test(q) || WEB.includes(q.split('.')[0]))) return true;
  }
  return false;
}

function byClass(fn: Node, ctx: RuleContext): boolean {
  const cls = fn.parent?.type === 'block' ? fn.parent.parent : fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'block' ? fn.parent.parent.parent : undefined;
  if (cls?.type !== 'class_definition') return false;
  const bases = cls.childForFieldName('superclasses')?.namedChildren.filter((b) => b.type === 'identifier' || b.type === 'attribute') ?? [];
  return bases.some((b) => {
    const q = ctx.qname(b) ?? b.text;
    if (CLASS_BASES.some((p) => (p.endsWith('.') ? q.startsWith(p) : q === p))) return true;
    return (ctx.imports('django') || ctx.imports('rest_framework')) && /(View|ViewSet|APIView)$/.test(q.split('.').pop() ?? '');
  });
}

function byFirstParameter(fn: Node, ctx: RuleContext): boolean {
  if (fn.parent?.type !== 'module' && !(fn.parent?.type === 'decorated_definition' && fn.parent.parent?.type === 'module')) return false;
  const first = fn.childForFieldName('parameters')?.namedChildren[0];
  const name = first?.type === 'identifier' ? first.text : first?.type === 'typed_parameter' ? first.namedChildren[0]?.text : undefined;
  return FIRST_PARAMETER.some((p) => p.name === name && p.modules.some((m) => ctx.imports(m)));
}

/** The function whose body holds `node` (lambdas and classes skipped over are not functions of their own here). */
export function enclosingFunction(node: Node): Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_definition') return n;
  return undefined;
}

/** A view or error handler: what it returns is sent to the client. */
export function isView(fn: Node, ctx: RuleContext): boolean {
  return byDecorator(fn, ctx) || byClass(fn, ctx) || byFirstParameter(fn, ctx);
}
