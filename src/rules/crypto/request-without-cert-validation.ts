import { keywordAnchor } from '../arguments.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Fix } from '../../engine/types.js';
import type { ConstValue } from '../../python/resolve.js';
import { defineRule, type RuleContext } from '../rule.js';
import { lastSegments } from '../call-names.js';

const REQUESTS_METHODS = ['get', 'options', 'head', 'post', 'put', 'patch', 'delete', 'request'];
const HTTPX_CALLS = ['get', 'options', 'head', 'post', 'put', 'patch', 'delete', 'request', 'stream', 'Client', 'AsyncClient'];
const SESSIONS = ['requests.Session()', 'requests.session()', 'requests.sessions.Session()', 'requests.sessions.session()'];

/** Calls whose `verify=False` turns certificate validation off. */
const CALLS = new Set([
  ...REQUESTS_METHODS.flatMap((m) => [`requests.${m}`, `requests.api.${m}`, ...SESSIONS.map((s) => `${s}.${m}`)]),
  ...HTTPX_CALLS.map((m) => `httpx.${m}`),
]);
const SESSION_VERIFY = new Set(SESSIONS.map((s) => `${s}.verify`));

/** `verify=False` (or `0`): `None` means "use the default", which verifies. */
const disablesVerification = (v: ConstValue | undefined) => v === false || v === 0;

/** Deletes `verify=False` and the comma that separates it from its neighbour; undefined if a comment is in the way. */
function removeKeyword(kwarg: Node): Fix['edit'] | undefined {
  const list = kwarg.parent;
  if (list?.type !== 'argument_list') return undefined;
  const args = list.namedChildren.filter((c): c is Node => c !== null);
  if (args.some((c) => c.type === 'comment')) return undefined;
  const i = args.findIndex((c) => c.equals(kwarg));
  let from: Node['startPosition'];
  let to: Node['startPosition'];
  if (i > 0) [from, to] = [args[i - 1].endPosition, kwarg.endPosition];
  else if (args.length > 1) [from, to] = [kwarg.startPosition, args[1].startPosition];
  else [from, to] = [list.firstChild!.endPosition, list.lastChild!.startPosition];
  return { range: { startLine: from.row + 1, startColumn: from.column + 1, endLine: to.row + 1, endColumn: to.column + 1 }, text: '' };
}

function fixFor(value: Node): Fix {
  const description = 'Remove verify=False so the certificate is checked; for a private CA pass verify="/path/to/ca-bundle.pem".';
  const kwarg = value.parent;
  const edit = kwarg?.type === 'keyword_argument' ? removeKeyword(kwarg) : undefined;
  return edit ? { description, edit } : { description };
}

function library(qname: string): string {
  return qname.startsWith('httpx.') ? 'httpx' : 'requests';
}

export const requestWithoutCertValidation = defineRule({
  meta: {
    id: 'B501',
    name: 'request_with_no_cert_validation',
    severity: 'high',
    confidence: 'high',
    cwe: 295,
    doc: {
      summary: 'HTTPS request with verify=False: the server certificate is not checked',
      why: 'With verify=False, requests and httpx accept any certificate, so anyone on the network path (public Wi-Fi, a compromised router, a malicious proxy) can impersonate the server, read the traffic including credentials and tokens, and change the responses.',
      bad: 'requests.get("https://api.example.com/orders", verify=False)\n\nsession = requests.Session()\nsession.verify = False',
      good: 'requests.get("https://api.example.com/orders")\n# internal CA:\nrequests.get("https://intranet.local/orders", verify="/etc/ssl/certs/internal-ca.pem")',
      fix: 'Remove verify=False; if the server uses a private CA, pass verify="/path/to/ca-bundle.pem" instead.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
        'https://www.python-httpx.org/advanced/ssl/',
        'https://cwe.mitre.org/data/definitions/295.html',
      ],
      banditDifferences:
        'Names are resolved, so aliases (`import requests as r`, `from requests import get as fetch`) are found and a local function named `get` is not. ' +
        'Also flags `requests.request(...)`, methods of a `requests.Session()` (`s = requests.Session(); s.get(url, verify=False)`), ' +
        'the assignment `session.verify = False` on a session, `verify` given through `**{"verify": False}` or a constant (`VERIFY = False`), and `verify=0`. ' +
        'The finding is on the line where the call starts (Bandit reports the line of the `verify` argument). A fix removing `verify=False` is offered.',
    },
  },
  callNames: lastSegments(CALLS),
  visit: {
    call(node, ctx: RuleContext) {
      const call = ctx.call(node);
      if (!call.qname || !CALLS.has(call.qname)) return;
      const verify = call.keywords.get('verify');
      if (!verify || !disablesVerification(ctx.constant(verify))) return;
      const lib = library(call.qname);
      ctx.report(node, {
        at: keywordAnchor(call, 'verify'),
        message: `Call to ${lib} with verify=False disables TLS certificate checks; remove it (or pass a CA bundle path)`,
        fix: fixFor(verify.node),
      });
    },
    assignment(node, ctx: RuleContext) {
      const left = node.childForFieldName('left');
      let right = node.childForFieldName('right');
      while (right?.type === 'assignment') right = right.childForFieldName('right');
      if (left?.type !== 'attribute' || !right) return;
      const q = ctx.qname(left);
      if (!q || !SESSION_VERIFY.has(q) || !disablesVerification(ctx.constant(right))) return;
      ctx.report(node, {
        message: 'Setting verify = False on a requests session disables TLS certificate checks for every request it makes; remove the assignment',
        fix: { description: 'Delete the assignment; for a private CA set session.verify = "/path/to/ca-bundle.pem".' },
      });
    },
  },
});
