import type { Arg, CallInfo } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { argument } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type RuleContext } from '../rule.js';
import { isPasswordName, nodeName } from './secret-names.js';
import { djangoSettingsRole, isTestPath } from '../settings/django-settings.js';
import { djangoRoleFor } from '../settings/setting-writes.js';

const FAST_HASHES = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512', 'blake2b', 'blake2s'];
const HASHLIB = new Set(FAST_HASHES.map((h) => `hashlib.${h}`));
/** `h = hashlib.sha256(); h.update(password)`. */
const UPDATE = new Set([...FAST_HASHES.map((h) => `hashlib.${h}().update`), 'hashlib.new().update']);

/**
 * OWASP Password Storage Cheat Sheet (PBKDF2 section, figures current since 2023): 600,000 iterations for
 * PBKDF2-HMAC-SHA256, 1,300,000 for SHA-1, 210,000 for SHA-512. SHA-224/384 run at the speed of their family.
 */
const OWASP_ITERATIONS: Record<string, number> = { sha1: 1_300_000, md5: 1_300_000, sha224: 600_000, sha256: 600_000, sha384: 210_000, sha512: 210_000 };
const OWASP = 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#pbkdf2';
const PBKDF2HMAC = 'cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC';
const PASSLIB_PBKDF2: Record<string, string> = { pbkdf2_sha1: 'sha1', pbkdf2_sha256: 'sha256', pbkdf2_sha512: 'sha512' };
const PASSLIB = new Set(Object.keys(PASSLIB_PBKDF2).flatMap((h) => ['using', 'hash', 'encrypt'].map((m) => `passlib.hash.${h}.${m}`)));
const PASSLIB_BCRYPT = new Set(['using', 'hash', 'encrypt'].map((m) => `passlib.hash.bcrypt.${m}`));
const BCRYPT_MIN = 10;

const WEAK_DJANGO_HASHERS = /(^|\.)(MD5PasswordHasher|SHA1PasswordHasher|UnsaltedMD5PasswordHasher|UnsaltedSHA1PasswordHasher|CryptPasswordHasher)$/;

/** A plaintext password in the hashed expression: `password`, `user.password`, `pwd.encode()`, `salt + password`. */
function passwordIn(ctx: RuleContext, node: Node, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  if (node.type === 'identifier' || node.type === 'attribute' || node.type === 'subscript') {
    const name = nodeName(ctx, node);
    if (name && isPasswordName(name)) return name;
  }
  if (node.type === 'identifier') {
    const bound = ctx.expression(node).node;
    return bound.id !== node.id && bound.type !== 'identifier' ? passwordIn(ctx, bound, depth + 1) : undefined;
  }
  if (node.type === 'call') {
    // only through conversions of the value (`password.encode()`, `str(pw)`, `(salt + pw).encode("utf-8")`), not `hash(password)`
    const fn = node.childForFieldName('function')!;
    const method = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.text;
    if (!method || !['encode', 'str', 'bytes', 'format', 'join', 'strip', 'lower'].includes(method)) return undefined;
    const parts = [...(fn.type === 'attribute' ? [fn.childForFieldName('object')!] : []), ...(node.childForFieldName('arguments')?.namedChildren ?? [])];
    for (const p of parts) {
      const found = passwordIn(ctx, p, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (['binary_operator', 'parenthesized_expression', 'string', 'interpolation', 'concatenated_string', 'argument_list'].includes(node.type)) {
    for (const c of node.namedChildren) {
      const found = passwordIn(ctx, c, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The hash name of a PBKDF2 call (`"sha256"`, `hashes.SHA256()`), lower-case. */
function hashName(ctx: RuleContext, arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  const s = ctx.constant(arg);
  if (typeof s === 'string') return s.toLowerCase().replace(/-/g, '');
  const q = ctx.qname(arg.node);
  const m = q ? /hashes\.(SHA\d+|MD5)(\(\))?$/.exec(q) : null;
  return m ? m[1].toLowerCase() : undefined;
}

function iterationsFinding(ctx: RuleContext, node: Node, arg: Arg | undefined, hash: string | undefined, api: string): void {
  if (!arg || !hash || !(hash in OWASP_ITERATIONS)) return;
  const n = ctx.constant(arg);
  const min = OWASP_ITERATIONS[hash];
  if (typeof n !== 'number' || n >= min) return;
  ctx.report(node, {
    at: arg.node.parent?.type === 'keyword_argument' ? arg.node.parent : arg.node,
    message: `${api} with ${n.toLocaleString('en-US')} iterations of ${hash.toUpperCase()}: OWASP's current minimum for PBKDF2-HMAC-${hash.toUpperCase()} is ${min.toLocaleString('en-US')}. Raise it (and re-hash on next login), or use argon2/scrypt/bcrypt.`,
    fix: { description: `Use at least ${min.toLocaleString('en-US')} iterations (OWASP Password Storage Cheat Sheet), or argon2id.` },
  });
}

function checkCall(ctx: RuleContext, node: Node, call: CallInfo): void {
  const q = call.qname!;
  if (HASHLIB.has(q) || q === 'hashlib.new' || UPDATE.has(q)) {
    const data = q === 'hashlib.new' ? argument(call, 'data', 1) : argument(call, q.endsWith('.update') ? 'data' : 'string', 0) ?? call.keywords.get('data');
    const found = data ? passwordIn(ctx, data.node) : undefined;
    if (!found) return;
    const hash = q === 'hashlib.new' ? String(ctx.constant(call.positional[0] ?? call.keywords.get('name') ?? { node, scope: ctx.scope }) ?? 'a fast hash') : q.split('.')[1].replace('()', '');
    ctx.report(node, {
      message: `'${found}' is hashed with ${hash}, a fast hash: a GPU tries billions of guesses a second against a leaked hash, salted or not. Store passwords with argon2id, scrypt, bcrypt or PBKDF2 (600,000+ iterations), e.g. through passlib or Django's hashers.`,
      fix: { description: 'Hash passwords with argon2-cffi (PasswordHasher().hash), bcrypt.hashpw, or hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000).' },
    });
    return;
  }
  if (q === 'hashlib.pbkdf2_hmac') return iterationsFinding(ctx, node, argument(call, 'iterations', 3), hashName(ctx, argument(call, 'hash_name', 0)), 'hashlib.pbkdf2_hmac');
  if (q === PBKDF2HMAC) return iterationsFinding(ctx, node, argument(call, 'iterations', 3), hashName(ctx, argument(call, 'algorithm', 0)), 'PBKDF2HMAC');
  if (PASSLIB.has(q)) return iterationsFinding(ctx, node, call.keywords.get('rounds'), PASSLIB_PBKDF2[q.split('.')[2]], `passlib ${q.split('.')[2]}`);
  const bcryptRounds = q === 'bcrypt.gensalt' ? argument(call, 'rounds', 0) : PASSLIB_BCRYPT.has(q) ? call.keywords.get('rounds') : undefined;
  const rounds = bcryptRounds ? ctx.constant(bcryptRounds) : undefined;
  if (typeof rounds === 'number' && rounds < BCRYPT_MIN) {
    ctx.report(node, {
      at: bcryptRounds!.node.parent?.type === 'keyword_argument' ? bcryptRounds!.node.parent : bcryptRounds!.node,
      message: `bcrypt cost ${rounds} is too cheap (each step below 10 halves the attacker's work; the library default is 12). Use rounds=12 or more.`,
      fix: { description: 'Use a bcrypt cost of at least 12 (the default).' },
    });
  }
}

/** `PASSWORD_HASHERS = [...]` in a settings module: the first hasher is the one new passwords get. */
function checkHashers(ctx: RuleContext, node: Node): void {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (left?.type !== 'identifier' || left.text !== 'PASSWORD_HASHERS' || !right || ctx.scope.kind !== 'module') return;
  // Test settings use a fast hasher on purpose (Django's own advice, to speed up tests): by path, or named
  // only by pytest's configuration. A base value every production module replaces is not what production runs.
  const role = djangoSettingsRole(ctx);
  if (isTestPath(ctx.path) || role === 'test' || (role === 'base' && djangoRoleFor(ctx, 'PASSWORD_HASHERS') === undefined)) return;
  const first = right.type === 'list' || right.type === 'tuple' ? right.namedChildren.find((c) => c.type !== 'comment') : undefined;
  const s = first ? ctx.string(first) : undefined;
  if (!first || !s || s.dynamic || !WEAK_DJANGO_HASHERS.test(s.value)) return;
  const hasher = s.value.slice(s.value.lastIndexOf('.') + 1);
  ctx.report(first, {
    message: `PASSWORD_HASHERS starts with ${hasher}: every new or changed password is stored with a fast${/Unsalted/.test(hasher) ? ', unsalted' : ''} hash that leaked databases give up in minutes. Put PBKDF2PasswordHasher, Argon2PasswordHasher or BCryptSHA256PasswordHasher first (keep the old one later in the list so existing hashes still verify and get upgraded).`,
    fix: { description: 'Put "django.contrib.auth.hashers.Argon2PasswordHasher" or "django.contrib.auth.hashers.PBKDF2PasswordHasher" first.' },
  });
}

export const weakPasswordHashing = defineRule({
  meta: {
    id: 'PW305',
    name: 'weak-password-hashing',
    severity: 'high',
    confidence: 'medium',
    cwe: 916,
    doc: {
      summary: 'Fast hash applied to a password, PBKDF2 below OWASP\'s iterations, bcrypt cost below 10, or Django PASSWORD_HASHERS led by MD5/SHA1/unsalted',
      why: 'A leaked password table is attacked offline: MD5 or SHA-256 let a GPU test billions of guesses a second, so most real passwords fall within hours even with a salt. Password hashes must be deliberately slow: argon2id, scrypt, bcrypt (cost 10+, default 12) or PBKDF2 at OWASP\'s current iteration counts (600,000 for HMAC-SHA256, 1,300,000 for HMAC-SHA1, 210,000 for HMAC-SHA512; OWASP Password Storage Cheat Sheet).',
      bad: 'digest = hashlib.sha256((salt + password).encode()).hexdigest()\nkey = hashlib.pbkdf2_hmac("sha256", password, salt, 100_000)\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]',
      good: 'key = hashlib.pbkdf2_hmac("sha256", password, salt, 600_000)\nhashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=12))\nPASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]',
      fix: 'Use argon2id (argon2-cffi, Django Argon2PasswordHasher), bcrypt at cost 12, or PBKDF2 at 600,000+ iterations for SHA-256; re-hash existing passwords at the next login.',
      references: [OWASP, 'https://cwe.mitre.org/data/definitions/916.html', 'https://docs.djangoproject.com/en/stable/topics/auth/passwords/', 'https://docs.python.org/3/library/hashlib.html#hashlib.pbkdf2_hmac'],
    },
  },
  callNames: lastSegments(HASHLIB, UPDATE, PASSLIB, PASSLIB_BCRYPT, ['hashlib.new', 'hashlib.pbkdf2_hmac', PBKDF2HMAC, 'bcrypt.gensalt']),
  covers: ['B324'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (call.qname) checkCall(ctx, node, call);
    },
    assignment(node, ctx) {
      checkHashers(ctx, node);
    },
  },
});
