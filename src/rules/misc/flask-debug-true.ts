import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isLocalClassInstance, rootModule } from './common.js';

/** Objects whose `.run(debug=True)` starts the Werkzeug debugger. */
const FLASK_APPS = new Set(['flask.Flask()', 'flask.app.Flask()', 'flask_socketio.SocketIO()']);

/** Libraries whose `run(debug=...)` is not Flask's: `asyncio.run(main(), debug=True)`, `threading.Thread().run`. */
const NOT_FLASK = new Set(['asyncio', 'threading', 'multiprocessing', 'subprocess', 'concurrent', 'unittest', 'doctest', 'pdb', 'sched', 'trace', 'cProfile', 'profile', 'code', 'sanic', 'aiohttp', 'tornado', 'bottle', 'uvicorn', 'hypercorn', 'django', 'celery', 'fastapi', 'starlette', 'quart']);

/** true: a Flask app; false: known to be something else; undefined: cannot tell (e.g. `create_app()`). */
export function isFlaskApp(ctx: RuleContext, object: Node): boolean | undefined {
  const q = ctx.qname(object);
  if (q !== undefined && FLASK_APPS.has(q)) return true;
  if ((q !== undefined && NOT_FLASK.has(rootModule(q))) || isLocalClassInstance(ctx, object)) return false;
  return undefined;
}

/** `app.config` of a known Flask app. */
function appConfig(ctx: RuleContext, node: Node | null): boolean {
  return node?.type === 'attribute' && node.childForFieldName('attribute')?.text === 'config' && isFlaskApp(ctx, node.childForFieldName('object')!) === true;
}

function report(ctx: RuleContext, at: Node, value: Node): void {
  ctx.report(at, {
    message: 'This Flask app runs with debug=True, which serves the interactive Werkzeug debugger: anyone who can trigger an error can run Python code on the server; keep debug off outside local development (debug=False, or read it from an environment variable).',
    fix: value.type === 'true' ? replaceNode(value, 'False', 'Set debug=False') : { description: 'Turn debug off outside local development' },
  });
}


export const flaskDebugTrue = defineRule({
  meta: {
    id: 'B201',
    name: 'flask_debug_true',
    severity: 'high',
    confidence: 'medium',
    cwe: 94,
    doc: {
      summary: 'Flask app run with debug=True: the Werkzeug debugger allows arbitrary code execution',
      why: 'In debug mode Flask serves the Werkzeug interactive debugger on every unhandled error. Its console runs arbitrary Python in the server process; the PIN that guards it can be derived from information the server leaks, so a reachable debug app is remote code execution.',
      bad: 'app = Flask(__name__)\napp.run(host="0.0.0.0", debug=True)',
      good: 'app = Flask(__name__)\napp.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # or use `flask run --debug` locally',
      fix: 'Set debug=False (or drive it from an environment variable that is off in production) and never expose a debug server.',
      references: ['https://flask.palletsprojects.com/en/latest/debugging/', 'https://werkzeug.palletsprojects.com/en/latest/debug/', 'https://cwe.mitre.org/data/definitions/94.html'],
      banditDifferences: 'Resolves the receiver: `x.run(debug=True)` is flagged when `x` is a `flask.Flask()` (or flask_socketio `SocketIO()`) instance, or, as in Bandit, when it cannot be resolved and the file imports flask; a receiver known to be something else (`asyncio.run(main(), debug=True)`, a thread, an instance of a class defined in the file) is not flagged. Also follows `debug=DEBUG` constants and `**{"debug": True}`, and flags `app.debug = True`, `app.config["DEBUG"] = True` and `app.config.update(DEBUG=True)` (or `from_mapping`) on a known Flask app.',
    },
  },
  callNames: ['run', 'update', 'from_mapping'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.func.type !== 'attribute') return;
      if (call.name === 'update' || call.name === 'from_mapping') {
        // app.config.update(DEBUG=True), app.config.from_mapping(DEBUG=True)
        const debug = call.keywords.get('DEBUG');
        if (debug && truthy(ctx.constant(debug)) === true && appConfig(ctx, call.func.childForFieldName('object'))) {
          const p = debug.node.parent;
          report(ctx, p?.type === 'keyword_argument' ? p : node, debug.node);
        }
        return;
      }
      if (call.name !== 'run') return;
      const debug = call.keywords.get('debug');
      if (!debug || truthy(ctx.constant(debug)) !== true) return;
      const flask = isFlaskApp(ctx, call.func.childForFieldName('object')!);
      if (flask === false || (flask === undefined && !ctx.imports('flask'))) return;
      const p = debug.node.parent;
      report(ctx, p?.type === 'keyword_argument' || p?.type === 'pair' ? p : node, debug.node);
    },
    assignment(node, ctx) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return;
      // The target's shape first: evaluating the value is the expensive part
      if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug') {
        // app.debug = True on a known Flask app
        if (truthy(ctx.constant(right)) === true && isFlaskApp(ctx, left.childForFieldName('object')!) === true) report(ctx, node, right);
      } else if (left.type === 'subscript') {
        // app.config["DEBUG"] = True
        const key = left.childForFieldName('subscript');
        if (key && ctx.constant(key) === 'DEBUG' && truthy(ctx.constant(right)) === true && appConfig(ctx, left.childForFieldName('value'))) report(ctx, node, right);
      }
    },
  },
});
