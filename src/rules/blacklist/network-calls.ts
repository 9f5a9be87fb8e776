/** B310 urllib_urlopen, B312 telnetlib, B321 ftplib, B323 unverified_context. */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg, CallInfo } from '../../python/resolve.js';
import type { RuleContext } from '../rule.js';
import { replaceNode } from '../fixes.js';
import { advice, blacklistedCall } from './blacklisted-call.js';

const URLLIB = ['urllib.request', 'six.moves.urllib.request'];
const URL_OPENERS = [
  ...URLLIB.flatMap((m) => ['urlopen', 'urlretrieve', 'URLopener', 'FancyURLopener'].map((f) => `${m}.${f}`)),
  // Python 2 spellings, still found in legacy code
  'urllib.urlopen', 'urllib.urlretrieve', 'urllib.URLopener', 'urllib.FancyURLopener', 'urllib2.urlopen',
];
/** Keywords `ssl._create_unverified_context` and `ssl.create_default_context` both take, with the same meaning. */
const SHARED_CONTEXT_KEYWORDS = new Set(['purpose', 'cafile', 'capath', 'cadata']);
const REQUEST_CLASSES = new Set([...URLLIB.map((m) => `${m}.Request`), 'urllib2.Request']);

/** The URL is a literal (or f-string) whose scheme is fixed to http(s): it cannot be `file:` or a custom scheme. */
function fixedHttpUrl(ctx: RuleContext, arg: Arg | undefined, depth = 0): boolean {
  if (!arg) return false;
  const s = ctx.string(arg);
  if (s) return /^https?:\/\//i.test(s.value);
  if (depth === 0 && arg.node.type === 'call') {
    const request = ctx.call(arg.node);
    if (request.qname && REQUEST_CLASSES.has(request.qname)) return fixedHttpUrl(ctx, request.positional[0] ?? request.keywords.get('url'), 1);
  }
  return false;
}

export const urlopenCall = blacklistedCall({
  meta: {
    id: 'B310',
    name: 'urllib_urlopen',
    severity: 'medium',
    confidence: 'high',
    cwe: 22,
    doc: {
      summary: 'urllib urlopen/urlretrieve/URLopener on a URL whose scheme is not fixed: file:// and custom schemes are accepted',
      why: 'urllib opens whatever scheme the URL names, including file://. When the URL comes from a user ("fetch this avatar", webhooks, feeds), they can read local files such as /etc/passwd or credentials, or reach internal services (SSRF).',
      bad: 'from urllib.request import urlopen\n\navatar = urlopen(request.form["avatar_url"]).read()',
      good: 'url = request.form["avatar_url"]\nif urllib.parse.urlsplit(url).scheme not in ("http", "https"):\n    raise ValueError("unsupported URL scheme")\navatar = requests.get(url, timeout=10).content',
      fix: 'Check that the URL scheme is http or https before opening it (or use a client like requests that only speaks HTTP), and restrict hosts if the URL is user-supplied.',
      references: [
        'https://docs.python.org/3/library/urllib.request.html#urllib.request.urlopen',
        'https://cwe.mitre.org/data/definitions/22.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b310-urllib-urlopen',
      ],
      banditDifferences: 'Not flagged when the URL is a string literal or f-string (also through a variable or a `Request("...")`) that starts with http:// or https://: the scheme is fixed, so file: cannot be reached (as Ruff\'s S310); a call with `**kwargs` is still flagged. Also flags the Python 2 `urllib.urlopen`/`urlretrieve`/`URLopener`/`FancyURLopener` and `urllib2.urlopen` that Bandit documents but does not match.',
    },
  },
  qualnames: URL_OPENERS,
  // `**kwargs` may carry another url (or the Request may be built elsewhere): only a visibly fixed http(s) URL is exempt
  when: (call: CallInfo, ctx: RuleContext) => call.hasUnknownKwargs || !fixedHttpUrl(ctx, call.positional[0] ?? call.keywords.get('url')),
  message: (q) => `${q}() accepts file:// and custom schemes; check the URL scheme is http(s) before opening it`,
  fix: advice('Validate urllib.parse.urlsplit(url).scheme in ("http", "https") before opening, or use an HTTP-only client.'),
});

export const telnetCall = blacklistedCall({
  meta: {
    id: 'B312',
    name: 'telnetlib',
    severity: 'high',
    confidence: 'high',
    cwe: 319,
    doc: {
      summary: 'telnetlib.Telnet: credentials and data travel in clear text',
      why: 'Telnet has no encryption or server authentication. Anyone on the network path can read the login and every command, and can inject their own. telnetlib was removed in Python 3.13.',
      bad: 'import telnetlib\n\nsession = telnetlib.Telnet(switch_host)\nsession.write(password.encode() + b"\\n")',
      good: 'import paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()\nclient.connect(switch_host, username=user, key_filename=key_path)',
      fix: 'Use SSH (paramiko, asyncssh, fabric) instead of Telnet.',
      references: [
        'https://docs.python.org/3.12/library/telnetlib.html',
        'https://cwe.mitre.org/data/definitions/319.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b312-telnetlib',
      ],
      banditDifferences: 'Names are resolved: `from telnetlib import Telnet as T` and variables bound to the class are followed; a project class called Telnet is not flagged.',
    },
  },
  qualnames: ['telnetlib.Telnet'],
  message: () => 'Telnet sends credentials and data in clear text; use SSH instead',
  fix: advice('Connect over SSH (paramiko, asyncssh) instead of Telnet.'),
});

export const ftpCall = blacklistedCall({
  meta: {
    id: 'B321',
    name: 'ftplib',
    severity: 'high',
    confidence: 'high',
    cwe: 319,
    doc: {
      summary: 'ftplib.FTP: credentials and files travel in clear text',
      why: 'Plain FTP sends the username, password and every file unencrypted. Anyone on the network path can capture the credentials or alter the files in transit.',
      bad: 'from ftplib import FTP\n\nftp = FTP("ftp.example.com")\nftp.login(user, password)',
      good: 'from ftplib import FTP_TLS\n\nftp = FTP_TLS("ftp.example.com")\nftp.login(user, password)\nftp.prot_p()  # or use SFTP (paramiko)',
      fix: 'Use SFTP/SCP (paramiko) or ftplib.FTP_TLS with prot_p().',
      references: [
        'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS',
        'https://cwe.mitre.org/data/definitions/319.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b321-ftplib',
      ],
      banditDifferences: 'Names are resolved: `from ftplib import FTP as Client` and variables bound to the class are followed; `ftplib.FTP_TLS` and project classes called FTP are not flagged.',
    },
  },
  qualnames: ['ftplib.FTP'],
  message: () => 'FTP sends credentials and files in clear text; use SFTP or ftplib.FTP_TLS',
  fix: advice('Use SFTP (paramiko) or ftplib.FTP_TLS with prot_p().'),
});

const UNVERIFIED = 'ssl._create_unverified_context';

export const unverifiedContextCall = blacklistedCall({
  meta: {
    id: 'B323',
    name: 'unverified_context',
    severity: 'medium',
    confidence: 'high',
    cwe: 295,
    doc: {
      summary: 'ssl._create_unverified_context(): TLS without certificate or hostname checks',
      why: 'A context from _create_unverified_context() accepts any certificate for any host, so a machine-in-the-middle (public Wi-Fi, a compromised router, a hostile proxy) can impersonate the server, read the traffic and change responses. Installing it as ssl._create_default_https_context turns verification off for every urllib request in the process.',
      bad: 'import ssl\n\nssl._create_default_https_context = ssl._create_unverified_context\nresponse = urlopen(url, context=ssl._create_unverified_context())',
      good: 'import ssl, certifi\n\ncontext = ssl.create_default_context(cafile=certifi.where())\nresponse = urlopen(url, context=context)',
      fix: 'Use ssl.create_default_context() (add the right CA file with cafile= if a private CA is involved) instead of the unverified context.',
      references: [
        'https://docs.python.org/3/library/ssl.html#ssl.create_default_context',
        'https://peps.python.org/pep-0476/',
        'https://cwe.mitre.org/data/definitions/295.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b323-unverified-context',
      ],
      banditDifferences: 'Also flags the process-wide monkeypatch `ssl._create_default_https_context = ssl._create_unverified_context`, which is not a call and which Bandit misses. Names are resolved through aliases and variables.',
    },
  },
  qualnames: [UNVERIFIED],
  message: () => 'ssl._create_unverified_context() disables certificate and hostname verification; use ssl.create_default_context()',
  fix: (call) => {
    const description = 'Use ssl.create_default_context(), passing cafile= for a private CA.';
    // `ssl._create_unverified_context()` with at most the CA arguments both take: the same call on the verifying factory
    const attribute = call.func.type === 'attribute' ? call.func.childForFieldName('attribute') : null;
    const bare = call.positional.length === 0 && [...call.keywords.keys()].every((k) => SHARED_CONTEXT_KEYWORDS.has(k)) && !call.hasStarArgs && !call.hasUnknownKwargs;
    return bare && attribute?.text === '_create_unverified_context' ? replaceNode(attribute, 'create_default_context', description) : { description };
  },
  visit: {
    assignment(node: Node, ctx: RuleContext) {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left?.type !== 'attribute' || !right || right.type === 'call' || ctx.qname(right) !== UNVERIFIED) return;
      ctx.report(node, {
        message: 'Installing ssl._create_unverified_context as a default turns off certificate verification for every connection that uses it',
        fix: { description: 'Remove the assignment; configure trusted CAs with ssl.create_default_context(cafile=...) where needed.' },
      });
    },
  },
});
