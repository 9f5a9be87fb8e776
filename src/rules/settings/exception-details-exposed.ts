import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { defineRule, type RuleContext } from '../rule.js';
import { enclosingFunction, isView } from './views.js';

const TRACEBACK = /^traceback\.(format_exc|format_exception|format_exception_only|format_tb|format_stack|extract_tb)$|^sys\.exc_info$/;
const TEXT_OF = new Set(['str', 'repr', 'format', 'ascii']);
/**
 * Attributes that carry what went wrong inside: `e.args`, `e.strerror`, the traceback. Not `e.message` /
 * `e.msg`: Python's own exceptions have none, so they are a project's or a framework's user-facing message
 * (Django's `ValidationError.message`, an API's `BadRequest("…")`), written to be shown (healthchecks and
 * netbox return them on purpose).
 */
const EXCEPTION_ATTRS = new Set(['args', 'strerror', '__traceback__']);
const HTTP_EXCEPTIONS = new Set(['fastapi.HTTPException', 'fastapi.exceptions.HTTPException', 'starlette.exceptions.HTTPException', 'werkzeug.exceptions.HTTPException', 'werkzeug.exceptions.InternalServerError', 'werkzeug.exceptions.BadRequest']);
const ABORT = new Set(['flask.abort', 'werkzeug.exceptions.abort', 'quart.abort']);
const ERROR_HANDLERS = /^(errorhandler|app_errorhandler|exception_handler)$/;

/** The name an `except ... as e:` clause binds. */
function aliasOf(clause: Node): string | undefined {
  const stack = clause.children.filter((c) => c.type !== 'block');
  while (stack.length) {
    const n = stack.shift()!;
    const i = n.parent?.children.indexOf(n) ?? -1;
    if (n.type === 'as') {
      const next = n.parent?.children.slice(i + 1).find((c) => c.isNamed);
      const id = next?.type === 'identifier' ? next : next?.namedChildren.find((c) => c.type === 'identifier');
      if (id) return id.text;
    }
    stack.push(...n.children);
  }
  return undefined;
}

/** Names that hold the exception being handled at `node`; undefined when `node` is in no handler of a view. */
function exceptionNames(node: Node, fn: Node): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (let n = node.parent; n && n.id !== fn.id; n = n.parent) {
    if (n.type === 'except_clause' || n.type === 'except_group_clause') {
      names ??= new Set();
      const alias = aliasOf(n);
      if (alias) names.add(alias);
    }
  }
  // `@app.errorhandler(Exception) def handle(e)`, `@app.exception_handler(Exc) async def h(request, exc)`
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent.namedChildren.filter((c) => c.type === 'decorator') : [];
  const handler = decorated.some((d) => {
    const call = d.namedChildren[0];
    const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
    return callee?.type === 'attribute' && ERROR_HANDLERS.test(callee.childForFieldName('attribute')!.text);
  });
  if (handler) {
    names ??= new Set();
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
      const id = p.type === 'identifier' ? p : p.namedChildren[0];
      if (id?.type === 'identifier' && id.text !== 'request' && id.text !== 'self') names.add(id.text);
    }
  }
  return names;
}

/** The part of `expr` that carries the exception's text or a traceback (`str(e)`, `f"{e}"`, `traceback.format_exc()`). */
function exposed(ctx: RuleContext, expr: Node, names: Set<string>, depth = 0): Node | undefined {
  if (depth > 6) return undefined;
  const isName = (n: Node | undefined | null) => n?.type === 'identifier' && names.has(n.text);
  const stack: Node[] = [expr];
  let seen = 0;
  while (stack.length && seen++ < 400) {
    const n = stack.pop()!;
    if (n.type === 'call') {
      const q = ctx.qname(n.childForFieldName('function')!);
      const args = n.childForFieldName('arguments')?.namedChildren ?? [];
      if (q && TRACEBACK.test(q)) return n;
      if (q && TEXT_OF.has(q) && isName(args[0])) return n;
      const fn = n.childForFieldName('function')!;
      // "{}".format(e), "; ".join(e.args)
      if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && args.some((a) => isName(a) || isName(a.childForFieldName('value')))) return n;
    } else if (n.type === 'interpolation' && isName(n.namedChildren[0])) {
      return n.parent?.type === 'string' ? n.parent : n;
    } else if (n.type === 'attribute' && isName(n.childForFieldName('object')) && EXCEPTION_ATTRS.has(n.childForFieldName('attribute')!.text)) {
      return n;
    } else if (n.type === 'binary_operator' && n.children.some((c) => c.text === '%') && isName(n.childForFieldName('right'))) {
      return n;
    } else if (n.type === 'identifier' && !names.has(n.text) && n.parent?.type !== 'attribute' && n.parent?.type !== 'keyword_argument') {
      // `msg = str(e)` ... `return jsonify(error=msg)`
      const bound = ctx.expression(n).node;
      if (bound.id !== n.id) {
        const inner = exposed(ctx, bound, names, depth + 1);
        if (inner) return n;
      }
      continue;
    } else if (n.type === 'identifier' && n.parent?.type === 'keyword_argument' && n.parent.childForFieldName('value')?.id === n.id && !names.has(n.text)) {
      const bound = ctx.expression(n).node;
      if (bound.id !== n.id && exposed(ctx, bound, names, depth + 1)) return n;
      continue;
    }
    if (n.type === 'lambda' || n.type === 'function_definition') continue;
    for (const c of n.namedChildren) stack.push(c);
  }
  return undefined;
}

function check(ctx: RuleContext, node: Node, value: Node | undefined | null): void {
  if (!value) return;
  const fn = enclosingFunction(node);
  if (!fn) return;
  const names = exceptionNames(node, fn);
  if (!names) return;
  const found = exposed(ctx, value, names);
  if (!found || !isView(fn, ctx)) return;
  const tb = /traceback|exc_info/.test(found.text);
  ctx.report(found, {
    message: `The HTTP response carries ${tb ? 'a traceback' : 'the exception\'s text'}: clients see file paths, code, library versions, SQL fragments or values from the server${tb ? '' : ' (a database error quotes the query, a KeyError the missing key)'}, which maps the application for an attacker. Log the exception and return a generic message with an error id.`,
    fix: { description: 'logger.exception("...") then return a generic error ("Internal error", with a request id) and the status code.' },
  });
}

export const exceptionDetailsExposed = defineRule({
  meta: {
    id: 'PW207',
    name: 'exception-details-exposed',
    severity: 'medium',
    confidence: 'medium',
    cwe: 209,
    doc: {
      summary: 'Exception text or a traceback returned in an HTTP response from a view or error handler',
      why: 'Exception messages and tracebacks are written for developers: they quote SQL statements and table names, file paths, library versions, configuration values and sometimes data of other users. Returned to the client they map the application for an attacker and can leak secrets. Judged inside `except` blocks of views (Flask/FastAPI routes, Django views, error handlers): `return str(e)`, `jsonify(error=str(e))`, `HttpResponse(traceback.format_exc())`, `JSONResponse({"detail": repr(exc)})`, `raise HTTPException(detail=str(e))`, `abort(500, str(e))`. Logging the exception and returning a generic message stays quiet, as does a helper that is not a view.',
      bad: '@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception as e:\n        return jsonify(error=str(e)), 500',
      good: '@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception:\n        logger.exception("loading orders failed")\n        return jsonify(error="internal error"), 500',
      fix: 'Log the exception server-side (logger.exception) and return a generic message, optionally with an error id the user can quote to support.',
      references: ['https://cwe.mitre.org/data/definitions/209.html', 'https://owasp.org/www-community/Improper_Error_Handling', 'https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html'],
    },
  },
  callNames: ['abort'],
  visit: {
    return_statement(node, ctx) {
      check(ctx, node, node.namedChildren[0]);
    },
    raise_statement(node, ctx) {
      // raise HTTPException(status_code=500, detail=str(e))
      const raised = node.namedChildren[0];
      if (raised?.type !== 'call' || !HTTP_EXCEPTIONS.has(ctx.qname(raised.childForFieldName('function')!) ?? '')) return;
      const call = ctx.call(raised);
      check(ctx, node, call.keywords.get('detail')?.node ?? call.keywords.get('description')?.node ?? call.positional[1]?.node ?? (call.positional[0] && ctx.constant(call.positional[0]) === undefined ? call.positional[0].node : undefined));
    },
    call(node, ctx) {
      // abort(500, str(e)), abort(500, description=str(e))
      const call = ctx.call(node);
      if (!call.qname || !ABORT.has(call.qname)) return;
      check(ctx, node, call.keywords.get('description')?.node ?? call.positional[1]?.node);
    },
  },
});
