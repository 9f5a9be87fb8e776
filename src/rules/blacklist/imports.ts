/** B401–B404, B412, B413, B415: imports of insecure protocols, deserialisers, subprocess, CGI handlers, pyCrypto. */
import type { RuleDoc } from '../rule.js';
import { blacklistedImport } from './blacklisted-import.js';

const BANDIT = 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html';
const SHARED =
  'Matches `import m`, `import m.sub as x`, `from m import y`, `from m import *` and `__import__("m")` / `importlib.import_module("m")` with a constant name (also through a variable bound to the string). Names are compared on dotted-name boundaries, so a module that merely starts with the same letters (`picklez`, `subprocess32`) is not flagged, which Bandit\'s plain prefix test does; relative imports (`from . import pickle`) and imports under `if TYPE_CHECKING:` are not flagged. Each statement is reported once per rule.';

function importDoc(doc: Omit<RuleDoc, 'banditDifferences'>, extra?: string): RuleDoc {
  return { ...doc, banditDifferences: extra ? `${extra} ${SHARED}` : SHARED };
}

const list = (names: string[]) => names.join(', ');

export const telnetlibImport = blacklistedImport({
  meta: {
    id: 'B401', name: 'import_telnetlib', severity: 'high', confidence: 'high', cwe: 319,
    doc: importDoc({
      summary: 'Import of telnetlib: Telnet sends credentials and data in clear text',
      why: 'Telnet has no encryption and no server authentication: anyone on the network path reads the login and every command and can inject their own. telnetlib was removed in Python 3.13.',
      bad: 'import telnetlib',
      good: 'import paramiko  # SSH',
      fix: 'Talk to the device over SSH (paramiko, asyncssh, netmiko) instead of Telnet.',
      references: ['https://docs.python.org/3.12/library/telnetlib.html', 'https://cwe.mitre.org/data/definitions/319.html', BANDIT],
    }),
  },
  modules: ['telnetlib'],
  message: () => 'telnetlib is imported: Telnet is unencrypted; use SSH instead',
});

export const ftplibImport = blacklistedImport({
  meta: {
    id: 'B402', name: 'import_ftplib', severity: 'high', confidence: 'high', cwe: 319,
    doc: importDoc({
      summary: 'Import of ftplib: plain FTP sends credentials and files in clear text',
      why: 'FTP sends the username, password and file contents unencrypted; anyone on the path can capture the credentials or alter the files. ftplib.FTP_TLS exists but is easy to misuse (data channel stays clear without prot_p()).',
      bad: 'from ftplib import FTP',
      good: 'import paramiko  # SFTP\n# or: from ftplib import FTP_TLS, then ftp.prot_p()',
      fix: 'Use SFTP/SCP (paramiko) or ftplib.FTP_TLS with prot_p().',
      references: ['https://docs.python.org/3/library/ftplib.html', 'https://cwe.mitre.org/data/definitions/319.html', BANDIT],
    }),
  },
  modules: ['ftplib'],
  message: () => 'ftplib is imported: FTP is unencrypted; use SFTP or FTP_TLS with prot_p()',
});

export const pickleImport = blacklistedImport({
  meta: {
    id: 'B403', name: 'import_pickle', severity: 'low', confidence: 'high', cwe: 502,
    doc: importDoc(
      {
        summary: 'Import of pickle, cPickle, dill or shelve: deserialising with them can run arbitrary code',
        why: 'Loading a pickle (also through dill or shelve) runs code chosen by whoever produced the bytes. Importing the module is not a vulnerability by itself; it marks code to review for where the loaded data comes from (B301 flags the loading calls).',
        bad: 'import pickle',
        good: 'import json',
        fix: 'Prefer json or another data-only format for data that crosses a trust boundary; keep pickle for data this program wrote and authenticates.',
        references: ['https://docs.python.org/3/library/pickle.html', 'https://cwe.mitre.org/data/definitions/502.html', BANDIT],
      },
      'Also flags the C module `_pickle`.',
    ),
  },
  modules: ['pickle', 'cPickle', '_pickle', 'dill', 'shelve'],
  message: (names) => `${list(names)} imported: unpickling untrusted data runs arbitrary code; make sure only trusted, authenticated data is loaded`,
});

export const subprocessImport = blacklistedImport({
  meta: {
    id: 'B404', name: 'import_subprocess', severity: 'low', confidence: 'high', cwe: 78,
    doc: importDoc({
      summary: 'Import of subprocess: marks code that starts other programs',
      why: 'subprocess runs external commands; when arguments are built from user input, or shell=True is used, that becomes command injection. The import alone is not a vulnerability; it is a pointer for review (B602–B607 flag the risky calls).',
      bad: 'import subprocess',
      good: 'import subprocess  # nosec B404: commands are fixed lists, no shell\n\nsubprocess.run(["git", "status"], check=True)',
      fix: 'Review each call: pass argument lists, never shell=True with outside input, and use absolute program paths.',
      references: ['https://docs.python.org/3/library/subprocess.html#security-considerations', 'https://cwe.mitre.org/data/definitions/78.html', BANDIT],
    }),
  },
  modules: ['subprocess'],
  message: () => 'subprocess imported: check that no command or argument is built from outside input',
});

export const httpoxyImport = blacklistedImport({
  meta: {
    id: 'B412', name: 'import_httpoxy', severity: 'high', confidence: 'high', cwe: 284,
    doc: importDoc({
      summary: 'Import of a CGI handler (wsgiref CGIHandler, twisted CGIScript/CGIDirectory): exposed to httpoxy',
      why: 'Under CGI, request headers become environment variables, so a client-sent `Proxy:` header sets HTTP_PROXY. HTTP libraries in the handler then send outgoing requests (with their credentials) through the attacker\'s proxy (httpoxy, CVE-2016-1000110).',
      bad: 'from wsgiref.handlers import CGIHandler\n\nCGIHandler().run(app)',
      good: '# serve the WSGI app with a WSGI server (gunicorn, uWSGI, mod_wsgi) instead of CGI',
      fix: 'Run the application under a WSGI server rather than CGI, or strip the Proxy header / HTTP_PROXY before the app runs.',
      references: ['https://httpoxy.org/', 'https://cwe.mitre.org/data/definitions/284.html', BANDIT],
    }),
  },
  modules: ['wsgiref.handlers.CGIHandler', 'twisted.web.twcgi.CGIScript', 'twisted.web.twcgi.CGIDirectory'],
  message: (names) => `${list(names)} imported: CGI handlers are exposed to httpoxy (a Proxy: header redirects outgoing HTTP); serve the app with a WSGI server`,
});

export const pycryptoImport = blacklistedImport({
  meta: {
    id: 'B413', name: 'import_pycrypto', severity: 'high', confidence: 'high', cwe: 327,
    doc: importDoc(
      {
        summary: 'Import from pyCrypto (Crypto.Cipher, Crypto.Hash, ...): unmaintained library with known vulnerabilities',
        why: 'pyCrypto has not been maintained since 2013 and has unfixed vulnerabilities (e.g. a heap overflow in ALGnew, CVE-2013-7459). Code importing it gets no security fixes.',
        bad: 'from Crypto.Cipher import AES',
        good: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM',
        fix: 'Move to pyca/cryptography (or PyCryptodome installed as `Cryptodome`).',
        references: ['https://github.com/pycrypto/pycrypto/issues/176', 'https://cryptography.io/', 'https://cwe.mitre.org/data/definitions/327.html', BANDIT],
      },
      'Like Bandit, `Crypto.*` is assumed to be pyCrypto; PyCryptodome installed under the same `Crypto` name cannot be told apart.',
    ),
  },
  modules: ['Cipher', 'Hash', 'IO', 'Protocol', 'PublicKey', 'Random', 'Signature', 'Util'].map((m) => `Crypto.${m}`),
  message: (names) => `${list(names)} imported: pyCrypto is unmaintained and has known vulnerabilities; use pyca/cryptography`,
});

export const pyghmiImport = blacklistedImport({
  meta: {
    id: 'B415', name: 'import_pyghmi', severity: 'high', confidence: 'high', cwe: 319,
    doc: importDoc({
      summary: 'Import of pyghmi: IPMI is an insecure management protocol',
      why: 'IPMI (which pyghmi speaks) has design flaws: RAKP lets anyone retrieve a salted password hash for offline cracking, cipher 0 allows login without a password on many BMCs, and traffic is weakly protected. A reachable BMC gives full control of the server.',
      bad: 'from pyghmi.ipmi import command',
      good: '# manage the BMC over Redfish (HTTPS), e.g. with the sushy or redfish libraries',
      fix: 'Use Redfish over HTTPS where the hardware supports it, and keep IPMI on an isolated management network.',
      references: ['https://www.rapid7.com/blog/post/2013/07/02/a-penetration-testers-guide-to-ipmi/', 'https://cwe.mitre.org/data/definitions/319.html', BANDIT],
    }),
  },
  modules: ['pyghmi'],
  message: () => 'pyghmi imported: IPMI is an insecure protocol; prefer Redfish over HTTPS on an isolated network',
});
