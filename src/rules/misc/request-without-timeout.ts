import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { CallInfo } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { replaceNode } from '../fixes.js';
import { defineRule, type RuleContext } from '../rule.js';
import { lastSegments } from '../call-names.js';

const VERBS = ['get', 'options', 'head', 'post', 'put', 'patch', 'delete'];
const REQUESTS = new Set<string>();
for (const base of ['requests', 'requests.api', 'requests.Session()', 'requests.session()', 'requests.sessions.Session()', 'requests.sessions.session()']) {
  for (const verb of [...VERBS, 'request']) REQUESTS.add(`${base}.${verb}`);
}
/** httpx defaults to a 5 second timeout, so only an explicit `timeout=None` disables it. */
const HTTPX = new Set<string>();
for (const verb of [...VERBS, 'request', 'stream', 'Client', 'AsyncClient']) HTTPX.add(`httpx.${verb}`);
for (const client of ['httpx.Client()', 'httpx.AsyncClient()']) for (const verb of [...VERBS, 'request', 'stream', 'send']) HTTPX.add(`${client}.${verb}`);

/** `None`, or `httpx.Timeout(None)`: no limit at all. */
function isNoTimeout(ctx: RuleContext, value: Node): boolean {
  if (ctx.constant(value) === null) return true;
  if (value.type !== 'call') return false;
  const t = ctx.call(value);
  return t.qname === 'httpx.Timeout' && t.positional.length === 1 && t.keywords.size === 0 && !t.hasUnknownKwargs && ctx.constant(t.positional[0]) === null;
}

/** Where `timeout=10` goes: after the last argument (before a trailing comma's successor, i.e. the `)`). */
function addTimeoutEdit(call: CallInfo) {
  const args = call.node.childForFieldName('arguments');
  const last = args?.namedChildren.filter((c) => c !== null && c.type !== 'comment').pop();
  if (!args || args.type !== 'argument_list' || !last) return undefined;
  const at = { line: last.endPosition.row + 1, column: last.endPosition.column + 1 };
  return { range: { startLine: at.line, startColumn: at.column, endLine: at.line, endColumn: at.column }, text: ', timeout=10' };
}

export const requestWithoutTimeout = defineRule({
  meta: {
    id: 'B113',
    name: 'request_without_timeout',
    severity: 'medium',
    confidence: 'low',
    cwe: 400,
    doc: {
      summary: 'HTTP request without a timeout (requests), or with timeout=None (requests, httpx)',
      why: 'Without a timeout, requests waits forever for a server that accepts the connection but never answers. A slow or malicious endpoint can tie up every worker of a web application or job runner this way, a cheap denial of service.',
      bad: 'resp = requests.get(url)\nclient = httpx.Client(timeout=None)',
      good: 'resp = requests.get(url, timeout=10)\nclient = httpx.Client(timeout=10.0)',
      fix: 'Pass `timeout=` (seconds, or a (connect, read) tuple) to every requests call, and never set it to None.',
      references: ['https://requests.readthedocs.io/en/latest/user/advanced/#timeouts', 'https://www.python-httpx.org/advanced/timeouts/', 'https://cwe.mitre.org/data/definitions/400.html'],
      banditDifferences: 'Also checks `requests.request(...)` and the methods of a `requests.Session()` (also when the session is bound to a name or opened with `with ... as s`), methods of `httpx.Client()`/`AsyncClient()` with `timeout=None`, `httpx.Timeout(None)`, and timeouts bound to a name (`TIMEOUT = None`). A call with `**kwargs` that might carry the timeout is not flagged for a missing one.',
    },
  },
  callNames: lastSegments(REQUESTS, HTTPX),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      if (q === undefined) return;
      const isRequests = REQUESTS.has(q);
      if (!isRequests && !HTTPX.has(q)) return;
      const lib = isRequests ? 'requests' : 'httpx';
      // Session.request(method, url, params, data, headers, cookies, files, auth, timeout, ...)
      const timeout = argument(call, 'timeout', q.endsWith('().request') && isRequests ? 8 : undefined);
      if (timeout && isNoTimeout(ctx, timeout.node)) {
        ctx.report(node, {
          message: `This ${lib} call sets timeout=None, so it waits forever on a server that stops responding, tying up the worker; pass a timeout in seconds.`,
          fix: timeout.node.type === 'none' ? replaceNode(timeout.node, '10', 'Set timeout=10 (seconds); choose a value that fits the endpoint') : undefined,
        });
      } else if (!timeout && isRequests && !call.hasUnknownKwargs) {
        const edit = addTimeoutEdit(call);
        ctx.report(node, {
          message: 'This requests call has no timeout, so it waits forever on a server that stops responding, tying up the worker; pass timeout= (seconds).',
          fix: { description: 'Add timeout=10 (seconds); choose a value that fits the endpoint', ...(edit ? { edit } : {}) },
        });
      }
    },
  },
});
