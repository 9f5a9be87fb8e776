import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { truthy } from '../arguments.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isLocalClassInstance, rootModule } from './common.js';
import { effectiveValue, fallbackNote, settingValue } from '../settings/setting-values.js';
import { inheritedNote, isDeployed, settingWrites } from '../settings/setting-writes.js';

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

/** Frameworks whose settings classes are not Flask config objects (pydantic settings, django-configurations is PW201's). */
const OTHER_SETTINGS = ['pydantic', 'pydantic_settings', 'fastapi', 'starlette', 'django', 'configurations', 'litestar'];
const DEBUG_KEY = new Set(['DEBUG']);

/** `DEBUG = True` in a production config class or a config file a Flask app loads (`from_object`, `from_pyfile`). */
function checkConfigObject(node: Node, ctx: RuleContext): void {
  for (const w of settingWrites(node, ctx, DEBUG_KEY)) {
    if ((w.framework !== 'config-class' && w.framework !== 'config-module') || !isDeployed(w.role)) continue;
    if (w.framework === 'config-class' && OTHER_SETTINGS.some((m) => ctx.imports(m))) continue;
    const v = settingValue(ctx, w.value);
    const e = effectiveValue(v);
    if (!e || truthy(e.value) !== true) continue;
    const where = w.framework === 'config-class' ? 'a production config class (what app.config.from_object loads on servers)' : 'a config file a Flask app loads';
    ctx.report(node, {
      message: `DEBUG is True in ${w.role === 'base' ? 'a base config class, which production config classes that do not set it again inherit' : where}${fallbackNote(v)}${inheritedNote(w)}: the app then runs in debug mode, and its development server serves the interactive Werkzeug debugger, where anyone who can trigger an error can run Python code. Set DEBUG = False here and turn it on only in the development config.`,
      ...(w.role === 'base' && !w.inheritedBy ? { confidence: 'low' as const } : {}),
      fix: w.value.type === 'true' ? replaceNode(w.value, 'False', 'Set DEBUG = False') : { description: 'Make the value False when the environment variable is not set.' },
    });
  }
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
      banditDifferences: 'Resolves the receiver: `x.run(debug=True)` is flagged when `x` is a `flask.Flask()` (or flask_socketio `SocketIO()`) instance, or, as in Bandit, when it cannot be resolved and the file imports flask; a receiver known to be something else (`asyncio.run(main(), debug=True)`, a thread, an instance of a class defined in the file) is not flagged. Also follows `debug=DEBUG` constants and `**{"debug": True}`, and flags `app.debug = True`, `app.config["DEBUG"] = True` and `app.config.update(DEBUG=True)` (or `from_mapping`) on a known Flask app, and `DEBUG = True` in the config objects a Flask app loads: a production config class (`class ProductionConfig(Config)`, a class an app loads with `app.config.from_object`, a class a selection map names for production), a base `Config` whose production subclasses do not set DEBUG again (low confidence when no production subclass is known), and a module or file loaded with `from_object("pkg.settings")` / `from_pyfile("prod.cfg")`. Development and testing config classes, and a base value every production subclass overrides, stay quiet.',
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
      if (left.type === 'identifier') {
        if (left.text === 'DEBUG' && ctx.scope.kind !== 'function') checkConfigObject(node, ctx);
      } else if (left.type === 'attribute' && left.childForFieldName('attribute')?.text === 'debug') {
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
