#!/usr/bin/env node
// `npm run demo`: a pull request reviewed the way the pyward GitHub App reviews one, offline.
//
// Builds a throwaway git repository: `main` holds a small Flask shop with a Django back office that already
// has a few security problems; branch `pr` adds new endpoints with new ones right next to them. Then runs
// `pyward scan --diff main..pr --format github-review` through the built CLI and prints what the app would
// post: the check run (title, conclusion, Markdown summary) and each inline review comment. The old problems
// must not be commented; only the lines the pull request added are.
//
// No network, no GitHub. `--keep` keeps the repository to look at; pyward's exit code 1 (the check fails)
// is the expected outcome, so the demo still exits 0.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { withBase62Crc32 } from '../dist/rules/secrets/checksums.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/pyward.js', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');

// The repository must build the same on a fresh machine: no user config, hooks or signing, fixed identity
// and dates (so the commit ids are the same on every run).
const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Dana Developer',
  GIT_AUTHOR_EMAIL: 'dana@shop.example',
  GIT_COMMITTER_NAME: 'Dana Developer',
  GIT_COMMITTER_EMAIL: 'dana@shop.example',
  GIT_TERMINAL_PROMPT: '0',
};

const DJANGO_SETTINGS = `"""Django settings for the back office."""
import os

DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]

ALLOWED_HOSTS = ["shop.example"]

ROOT_URLCONF = "shopsite.urls"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]
`;

const BASE = {
  'README.md': '# shop\n\nStorefront API (Flask) and back office (Django).\n',
  'requirements.txt': 'flask==3.0.3\ndjango==4.2.16\nrequests==2.32.3\n',
  'shop/__init__.py': '',
  'shop/app.py': `"""Storefront API (Flask)."""
import hashlib
import os
import pickle
import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)
app.secret_key = os.environ["SHOP_SECRET_KEY"]

DB_PATH = os.environ.get("SHOP_DB", "shop.db")


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/products")
def products():
    category = request.args.get("category", "")
    cur = db().cursor()
    cur.execute("SELECT id, name, price FROM products WHERE category = ?", (category,))
    return {"products": cur.fetchall()}


@app.route("/cart", methods=["POST"])
def restore_cart():
    # The cart travels in a cookie, "to save a database round trip".
    cart = pickle.loads(bytes.fromhex(request.cookies["cart"]))
    return {"items": len(cart)}


@app.route("/orders/export")
def export_orders():
    fmt = request.args.get("format", "csv")
    subprocess.run(
        ["./bin/export-orders", "--format", fmt],
        check=True,
    )
    return {"ok": True}


def password_digest(password):
    return hashlib.md5(password.encode()).hexdigest()
`,
  // A query helper the back office calls with fixed terms: harmless until a request value reaches it.
  'shop/catalogue.py': `"""Catalogue queries shared by the storefront and the back office."""


def search_products(db, term):
    query = "SELECT id, name, price FROM products WHERE name LIKE '%" + term + "%'"
    return db.execute(query).fetchall()


def best_sellers(db):
    return search_products(db, "bestseller")
`,
  'shopsite/__init__.py': '',
  'shopsite/settings.py': DJANGO_SETTINGS,
};

// The pull request also turns Django's DEBUG on "for now" and commits the worker's .env, with a live
// GitHub token in it (made here, with a valid checksum, so that no token-shaped string is committed).
const LEAKED_TOKEN = withBase62Crc32('ghp_', 'Q7cVb2Lm9TzX4kR8wN1pY6sJ3hD5fG');

// The pull request: four new endpoints (one sends a search term into the old catalogue helper, which builds
// SQL by hand) and a mail helper, and a "quick fix" to the order export. It fixes none of the old problems above.
const PR = {
  'README.md': `${BASE['README.md']}\nNew: thumbnails, catalogue import, live stock, order mails.\n`,
  // The PR pins PyYAML to a release with two known advisories (PYSEC-2020-96, PYSEC-2021-142): one comment,
  // one suggestion (5.4, the lowest release that fixes both; 5.3.1 fixes only the first).
  'requirements.txt': 'flask==3.0.3\ndjango==4.2.16\nrequests==2.32.3\nPyYAML==5.3\n',
  'shopsite/settings.py': DJANGO_SETTINGS.replace('DEBUG = os.environ.get("DJANGO_DEBUG") == "1"', 'DEBUG = True  # on for now, to see the errors on staging'),
  '.env': `# worker environment\nSHOP_DB=/var/lib/shop/shop.db\nGITHUB_TOKEN=${LEAKED_TOKEN}\n`,
  'shop/app.py': BASE['shop/app.py']
    .replace('import subprocess\n', 'import subprocess\n\nimport requests\nimport yaml\n')
    .replace('DB_PATH = os.environ.get("SHOP_DB", "shop.db")\n', 'DB_PATH = os.environ.get("SHOP_DB", "shop.db")\nUPSTREAM = "https://inventory.internal.example"\n')
    .replace(
      `        ["./bin/export-orders", "--format", fmt],\n        check=True,\n`,
      `        f"./bin/export-orders --format {fmt} | gzip > exports/orders.{fmt}.gz",\n        shell=True,\n        check=True,\n`,
    )
    .replace('from flask import Flask, request\n', 'from flask import Flask, request\n\nfrom .catalogue import search_products\n')
    .replace(
      'def password_digest(password):',
      `@app.route("/search")
def search():
    term = request.args.get("q", "").strip()
    return {"products": search_products(db(), term)}


@app.route("/thumbnail")
def thumbnail():
    name = request.args["image"]
    subprocess.run(f"convert uploads/{name} -resize 128x128 thumbs/{name}", shell=True, check=True)
    return {"ok": True}


@app.route("/import", methods=["POST"])
def import_catalogue():
    catalogue = yaml.load(request.data)
    return {"imported": len(catalogue)}


@app.route("/stock/<sku>")
def stock(sku):
    resp = requests.get(f"{UPSTREAM}/stock/{sku}", verify=False, timeout=5)
    return resp.json()


def password_digest(password):`,
    ),
  // Two suppressions with a reason and an end date: one still active (listed in the summary), one expired
  // (its finding is reported again, saying when it expired).
  'shop/mail.py': `"""Order confirmation mails."""
import hashlib
import smtplib
import subprocess

SMTP_HOST = "smtp.shop.example"
SMTP_USER = "orders@shop.example"
SMTP_PASSWORD = "Spring2024!"


def send_confirmation(to, body):
    with smtplib.SMTP(SMTP_HOST, 587, timeout=10) as smtp:
        smtp.starttls()
        smtp.login(SMTP_USER, SMTP_PASSWORD)
        smtp.sendmail(SMTP_USER, [to], body)


def queue_length():
    out = subprocess.check_output("/usr/bin/mailq | /usr/bin/tail -1", shell=True)  # pyward: ignore[B602] reason="fixed command, no input" until=2099-12-31
    return out.decode()


def message_id(body):
    return hashlib.md5(body.encode()).hexdigest()  # pyward: ignore[B324] reason="an id, not a signature" until=2024-06-30
`,
};

function git(dir, args, date) {
  const env = date ? { ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : GIT_ENV;
  execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

function commit(dir, files, message, date) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '-m', message], date);
}

function buildRepository() {
  const dir = mkdtempSync(join(tmpdir(), 'pyward-demo-'));
  git(dir, ['init', '-q', '-b', 'main']);
  commit(dir, BASE, 'Shop: storefront API and back office', '2024-05-01T10:00:00Z');
  git(dir, ['checkout', '-q', '-b', 'pr']);
  commit(dir, PR, 'Add search, thumbnails, catalogue import, live stock and order mails', '2024-05-02T15:30:00Z');
  return dir;
}

const indent = (text, by = '    ') => text.split('\n').map((l) => (l ? by + l : l)).join('\n');
const rule = (title) => `\n── ${title} ${'─'.repeat(Math.max(4, 76 - title.length))}\n`;

function demo(dir) {
  const argv = ['scan', '--diff', 'main..pr', '--format', 'github-review'];
  // Advisories come from the bundled offline set, so the demo needs no network.
  const env = { ...process.env, PYWARD_ADVISORY_DB: join(ROOT, 'examples/advisories') };
  const run = spawnSync(process.execPath, [BIN, ...argv], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env });
  // 1 = findings fail the check: the point of the demo. Anything else but 0 is a real error.
  if (run.status !== 0 && run.status !== 1) {
    process.stderr.write(run.stderr || run.error?.message || `pyward exited with ${run.status}\n`);
    return run.status || 2;
  }
  const { checkRun, review } = JSON.parse(run.stdout);
  const out = [];
  out.push('pyward demo: a pull request reviewed offline, as the GitHub App would review it.');
  out.push(`Repository ${dir}${keep ? '' : ' (deleted afterwards; --keep keeps it)'}:`);
  out.push('  main  a Flask shop + Django back office that already has some problems');
  out.push('  pr    adds search, thumbnails, catalogue import, live stock, order mails; edits the order export;');
  out.push('        pins PyYAML 5.3, turns Django DEBUG on and commits the worker\'s .env (with a token in it)');
  out.push(`$ pyward ${argv.join(' ')}    (exit code ${run.status})`);
  out.push(rule('Check run "pyward"'));
  out.push(`Title:      ${checkRun.title}`);
  out.push(`Conclusion: ${checkRun.conclusion}`);
  out.push(`Annotations: ${checkRun.annotations.length}`);
  out.push('', 'Summary (Markdown):', '', indent(checkRun.summary));
  out.push(rule(`Review: ${review.comments.length} inline comment${review.comments.length === 1 ? '' : 's'}`));
  out.push(review.body);
  for (const c of review.comments) {
    const lines = c.start_line ? `${c.start_line}-${c.line}` : `${c.line}`;
    out.push('', `${c.path}:${lines}`, indent(c.body));
  }
  out.push('', `(pyward exited ${run.status}: the check ${checkRun.conclusion === 'failure' ? 'fails, as it should' : `concludes ${checkRun.conclusion}`}. The demo itself succeeds.)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

const dir = buildRepository();
try {
  process.exitCode = demo(dir);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
