/**
 * B324 hashlib (a plugin in Bandit, not a blacklist): weak hashlib digests unless `usedforsecurity=False`,
 * and crypt.crypt / crypt.mksalt with a weak method.
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Arg, CallInfo } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { usedForSecurity } from './blacklisted-call.js';

const WEAK_HASHES = new Set(['md4', 'md5', 'sha', 'sha1']);
const WEAK_CRYPT_METHODS = new Set(['METHOD_CRYPT', 'METHOD_MD5', 'METHOD_BLOWFISH']);

/** The weak algorithm named by a hashlib argument: a constant string (`"MD5"`) or a constructor (`hashlib.md5`). */
function weakHashName(ctx: RuleContext, arg: Arg | undefined): string | undefined {
  if (!arg) return undefined;
  const value = ctx.constant(arg);
  if (typeof value === 'string') return WEAK_HASHES.has(value.toLowerCase()) ? value.toLowerCase() : undefined;
  const q = arg.node.type === 'identifier' || arg.node.type === 'attribute' ? ctx.qname(arg.node) : undefined;
  return q?.startsWith('hashlib.') && WEAK_HASHES.has(q.slice(8)) ? q.slice(8) : undefined;
}

/** The weak crypt method chosen by a salt / method argument: `crypt.METHOD_MD5`, or a literal salt's prefix. */
function weakCryptMethod(ctx: RuleContext, arg: Arg | undefined, isSalt: boolean): string | undefined {
  if (!arg) return undefined;
  const q = arg.node.type === 'identifier' || arg.node.type === 'attribute' ? ctx.qname(arg.node) : undefined;
  if (q?.startsWith('crypt.') && WEAK_CRYPT_METHODS.has(q.slice(6))) return q.slice(6);
  const value = isSalt ? ctx.constant(arg) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (!value.startsWith('$')) return 'METHOD_CRYPT'; // a two-character salt selects traditional DES crypt
  if (value.startsWith('$1$')) return 'METHOD_MD5';
  if (/^\$2[abxy]?\$/.test(value)) return 'METHOD_BLOWFISH';
  return undefined;
}

function checkHashlib(node: Node, call: CallInfo, ctx: RuleContext, func: string): void {
  let weak: string | undefined;
  if (WEAK_HASHES.has(func)) weak = func;
  else if (func === 'new') weak = weakHashName(ctx, argument(call, 'name', 0));
  else if (func === 'file_digest') weak = weakHashName(ctx, argument(call, 'digest', 1));
  if (!weak || !usedForSecurity(call, ctx)) return;
  ctx.report(node, {
    message: `Use of weak ${weak.toUpperCase()} hash for security; use SHA-256 or stronger, or pass usedforsecurity=False if the digest is not a security control`,
    fix: { description: `If the digest protects nothing (cache key, checksum), pass usedforsecurity=False; otherwise switch to hashlib.sha256 (digests change, so stored values need migrating).` },
  });
}

export const hashlibWeakHash = defineRule({
  meta: {
    id: 'B324',
    name: 'hashlib',
    severity: 'high',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'Weak hash for security: hashlib MD4/MD5/SHA-1 without usedforsecurity=False, or crypt with a weak method',
      why: 'MD5 and SHA-1 collisions are practical and MD4 is weaker still, so signatures, integrity checks and tokens built on them can be forged; as password hashes they are fast to brute-force. crypt\'s DES, MD5 and Blowfish methods are likewise obsolete for passwords.',
      bad: 'import hashlib\n\ntoken = hashlib.md5(f"{user.id}:{secret}".encode()).hexdigest()\nsalt = crypt.mksalt(crypt.METHOD_MD5)',
      good: 'import hashlib, hmac\n\ntoken = hmac.new(secret, str(user.id).encode(), hashlib.sha256).hexdigest()\ncache_key = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()',
      fix: 'Use hashlib.sha256 (or stronger); when the digest is not a security control, say so with usedforsecurity=False. For passwords use argon2, scrypt or bcrypt.',
      references: [
        'https://docs.python.org/3/library/hashlib.html#hashlib.new',
        'https://docs.python.org/3.12/library/crypt.html',
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://bandit.readthedocs.io/en/latest/plugins/b324_hashlib.html',
      ],
      banditDifferences: 'Names and constants are resolved: `from hashlib import md5 as h`, `ALGO = "md5"; hashlib.new(ALGO)`, `usedforsecurity=USE` with USE = False, and `hashlib.new(name="SHA1")` are understood. Also flags `hashlib.file_digest(f, "md5")` / `file_digest(f, hashlib.sha1)` (Python 3.11+) and literal crypt salts that select a weak method (`crypt.crypt(pw, "ab")` is DES, `"$1$..."` MD5, `"$2b$..."` Blowfish); Bandit instead matches the literal string "METHOD_MD5". Matching is on the resolved name `hashlib.<fn>` rather than any dotted name containing a `hashlib` segment.',
    },
  },
  callNames: [...WEAK_HASHES, 'new', 'file_digest', 'crypt', 'mksalt'],
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const q = call.qname;
      if (!q) return;
      if (q.startsWith('hashlib.') && !q.slice(8).includes('.')) {
        checkHashlib(node, call, ctx, q.slice(8));
        return;
      }
      const method = q === 'crypt.crypt' ? weakCryptMethod(ctx, argument(call, 'salt', 1), true) : q === 'crypt.mksalt' ? weakCryptMethod(ctx, argument(call, 'method', 0), false) : undefined;
      if (method) {
        ctx.report(node, {
          severity: 'medium',
          message: `Use of insecure crypt.${method} hash function; use crypt.METHOD_SHA512 or, better, argon2/bcrypt/scrypt`,
          fix: { description: 'Let crypt choose the strongest method (omit the salt, or crypt.mksalt(crypt.METHOD_SHA512)), or move to argon2/bcrypt.' },
        });
      }
    },
  },
});
