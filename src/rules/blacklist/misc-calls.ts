/** B306 mktemp_q, B308 mark_safe, B311 random. */
import { advice, blacklistedCall } from './blacklisted-call.js';

export const mktempCall = blacklistedCall({
  meta: {
    id: 'B306',
    name: 'mktemp_q',
    severity: 'medium',
    confidence: 'high',
    cwe: 377,
    doc: {
      summary: 'tempfile.mktemp(): returns a name that another process can create first',
      why: 'mktemp() only picks a name that did not exist a moment ago. Between that and the program opening it, another local user can create the file or a symlink with that name, so the program writes into a file the attacker controls or overwrites a file the attacker points it at.',
      bad: 'import tempfile\n\npath = tempfile.mktemp(suffix=".csv")\nwith open(path, "w") as f:\n    f.write(report)',
      good: 'import tempfile\n\nwith tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:\n    f.write(report)',
      fix: 'Use tempfile.mkstemp(), NamedTemporaryFile() or TemporaryDirectory(), which create the file atomically.',
      references: [
        'https://docs.python.org/3/library/tempfile.html#tempfile.mktemp',
        'https://cwe.mitre.org/data/definitions/377.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b306-mktemp-q',
      ],
      banditDifferences: 'Names are resolved: `from tempfile import mktemp as m` and variables bound to it are followed, and a local function called mktemp is not flagged.',
    },
  },
  qualnames: ['tempfile.mktemp'],
  message: () => 'tempfile.mktemp() is racy: another process can create the file first; use mkstemp(), NamedTemporaryFile() or TemporaryDirectory()',
  // mkstemp returns (fd, path) instead of a path, so this is not a drop-in replacement
  fix: advice('Replace with tempfile.mkstemp() (returns an open fd and the path: `fd, path = tempfile.mkstemp()`), NamedTemporaryFile() or TemporaryDirectory().'),
});

export const markSafeCall = blacklistedCall({
  meta: {
    id: 'B308',
    name: 'mark_safe',
    severity: 'medium',
    confidence: 'high',
    cwe: 79,
    doc: {
      summary: 'django mark_safe(): turns off HTML escaping for the string',
      why: 'Django templates escape every value unless it is marked safe. mark_safe() tells Django the string is already valid HTML; if any part of it came from a user, their markup and scripts reach other users\' browsers (stored or reflected XSS), with their session and CSRF token.',
      bad: 'from django.utils.safestring import mark_safe\n\nreturn mark_safe(f"<b>{comment.author}</b>")',
      good: 'from django.utils.html import format_html\n\nreturn format_html("<b>{}</b>", comment.author)',
      fix: 'Build HTML with django.utils.html.format_html() (which escapes its arguments) or escape() each untrusted part before marking the result safe.',
      references: [
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe',
        'https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.html.format_html',
        'https://cwe.mitre.org/data/definitions/79.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b308-mark-safe',
      ],
      banditDifferences: 'Also flags the re-export `django.utils.html.mark_safe` and its use as a decorator (`@mark_safe` marks every return value safe). Names are resolved, so aliases are followed and a project function called mark_safe is not flagged. Like Bandit, it does not judge the argument; B703 looks at what is passed.',
    },
  },
  qualnames: ['django.utils.safestring.mark_safe', 'django.utils.html.mark_safe'],
  message: () => 'mark_safe() disables HTML escaping; make sure no part of the string comes from a user, or build it with format_html()',
  fix: advice('Build the HTML with format_html("<b>{}</b>", value), which escapes each argument.'),
});

export const randomCall = blacklistedCall({
  meta: {
    id: 'B311',
    name: 'random',
    severity: 'low',
    confidence: 'high',
    cwe: 330,
    doc: {
      summary: 'random module: a predictable generator, not suitable for secrets',
      why: 'The random module is a Mersenne Twister: after observing 624 outputs an attacker can predict every later value. Tokens, passwords, session ids, nonces or reset codes generated with it can be guessed.',
      bad: 'import random, string\n\nreset_code = "".join(random.choice(string.digits) for _ in range(6))',
      good: 'import secrets, string\n\nreset_code = "".join(secrets.choice(string.digits) for _ in range(6))',
      fix: 'Use the secrets module (secrets.token_urlsafe, secrets.choice, secrets.randbelow) or random.SystemRandom for anything security-related.',
      references: [
        'https://docs.python.org/3/library/random.html',
        'https://docs.python.org/3/library/secrets.html',
        'https://cwe.mitre.org/data/definitions/330.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b311-random',
      ],
      banditDifferences: 'Same list and semantics as Bandit (whether the value is used for security cannot be decided, so every call is reported at LOW severity). Names are resolved: methods on a `random.SystemRandom()` instance and `secrets.choice` are not flagged, and neither are methods of a `random.Random()` instance (only its construction is).',
    },
  },
  qualnames: [
    'random.Random', 'random.random', 'random.randrange', 'random.randint', 'random.choice', 'random.choices',
    'random.uniform', 'random.triangular', 'random.randbytes', 'random.sample', 'random.getrandbits',
  ],
  message: (q) => `${q}() is predictable; if the value is a token, password, key or nonce use the secrets module instead`,
  fix: advice('For security-relevant values use secrets (token_urlsafe, choice, randbelow) or random.SystemRandom().'),
});
