import type { Arg, CallInfo } from '../../python/resolve.js';
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import { argument } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule, type RuleContext } from '../rule.js';

const MODES = 'cryptography.hazmat.primitives.ciphers.modes';
const AEAD = 'cryptography.hazmat.primitives.ciphers.aead';
/** cryptography's modes: the IV or nonce is the first parameter, under this keyword. */
const CRYPTOGRAPHY_MODES: Record<string, string> = {
  [`${MODES}.CBC`]: 'initialization_vector',
  [`${MODES}.OFB`]: 'initialization_vector',
  [`${MODES}.CFB`]: 'initialization_vector',
  [`${MODES}.CFB8`]: 'initialization_vector',
  [`${MODES}.CTR`]: 'nonce',
  [`${MODES}.GCM`]: 'initialization_vector',
};
/** AEAD classes whose `encrypt(nonce, data, associated_data)` must never reuse a nonce with one key (AES-SIV is built to survive it). */
const AEAD_ENCRYPT = new Set(['AESGCM', 'ChaCha20Poly1305', 'AESCCM', 'AESOCB3', 'AESGCMSIV'].map((c) => `${AEAD}.${c}().encrypt`));
/** PyCryptodome / PyCrypto `new(key, mode, iv)` factories. */
const PYCRYPTO_NEW = new Set(
  ['Crypto', 'Cryptodome'].flatMap((pkg) => ['AES', 'DES', 'DES3', 'Blowfish', 'CAST', 'ARC2', 'ChaCha20', 'ChaCha20_Poly1305', 'Salsa20'].map((c) => `${pkg}.Cipher.${c}.new`)),
);
const STREAM_CIPHERS = /\.(ChaCha20|ChaCha20_Poly1305|Salsa20)\.new$/;

/** The IV/nonce argument of a call this rule knows, and what it is called. */
function ivArgument(call: CallInfo): { arg: Arg; what: string } | undefined {
  const q = call.qname;
  if (!q) return undefined;
  const modeKeyword = CRYPTOGRAPHY_MODES[q];
  if (modeKeyword) {
    const arg = argument(call, modeKeyword, 0);
    return arg ? { arg, what: `modes.${q.slice(MODES.length + 1)} ${modeKeyword === 'nonce' ? 'nonce' : 'IV'}` } : undefined;
  }
  if (AEAD_ENCRYPT.has(q)) {
    const arg = argument(call, 'nonce', 0);
    return arg ? { arg, what: `${q.split('.').slice(-2)[0].replace('()', '')} nonce` } : undefined;
  }
  if (PYCRYPTO_NEW.has(q)) {
    const arg = call.keywords.get('iv') ?? call.keywords.get('nonce') ?? call.keywords.get('IV') ?? (STREAM_CIPHERS.test(q) ? undefined : call.positional[2]);
    return arg ? { arg, what: call.keywords.has('nonce') || STREAM_CIPHERS.test(q) ? 'nonce' : 'IV' } : undefined;
  }
  return undefined;
}

/**
 * Bytes fixed in the code: a literal (also `"...".encode()`), `bytes(16)`, `bytearray(16)`, `b"\0" * 16`,
 * `bytes.fromhex("...")`, or a name bound to one of these (a module constant).
 */
function isStatic(ctx: RuleContext, arg: Arg, depth = 0): boolean {
  if (depth > 4) return false;
  const { node, scope } = ctx.expression(arg);
  const at = (n: Node): Arg => ({ node: n, scope });
  const s = ctx.string(at(node));
  if (s && !s.dynamic) return true;
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return isStatic(ctx, at(node.namedChildren[0]), depth + 1);
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '*') {
    const [l, r] = [node.childForFieldName('left')!, node.childForFieldName('right')!];
    return (isStatic(ctx, at(l), depth + 1) && typeof ctx.constant(at(r)) === 'number') || (isStatic(ctx, at(r), depth + 1) && typeof ctx.constant(at(l)) === 'number');
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    return isStatic(ctx, at(node.childForFieldName('left')!), depth + 1) && isStatic(ctx, at(node.childForFieldName('right')!), depth + 1);
  }
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function')!;
  const q = ctx.qname(fn);
  const inner = ctx.call(node);
  if (q === 'bytes' || q === 'bytearray' || q === 'bytes.fromhex' || q === 'bytearray.fromhex') {
    const first = inner.positional[0];
    return first !== undefined && inner.positional.length === 1 && ctx.constant(first) !== undefined;
  }
  if (fn.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'encode') {
    const obj = fn.childForFieldName('object');
    return obj !== null && isStatic(ctx, at(obj), depth + 1);
  }
  return false;
}

export const staticIvOrNonce = defineRule({
  meta: {
    id: 'PW304',
    name: 'static-iv-or-nonce',
    severity: 'high',
    confidence: 'high',
    cwe: 329,
    doc: {
      summary: 'IV or nonce fixed in the code (`modes.CBC(b"...")`, `AES.new(key, AES.MODE_CBC, iv=b"...")`, `bytes(16)`)',
      why: 'An IV or nonce must differ for every message encrypted with one key. With a fixed CBC IV, equal messages give equal ciphertexts and equal prefixes show; with a fixed CTR or GCM nonce it is worse: two ciphertexts XOR to the XOR of their plaintexts, and a repeated GCM nonce lets an attacker recover the authentication key and forge messages.',
      bad: 'IV = b"0123456789abcdef"\ncipher = Cipher(algorithms.AES(key), modes.CBC(IV))\nAES.new(key, AES.MODE_GCM, nonce=bytes(12))',
      good: 'iv = os.urandom(16)\ncipher = Cipher(algorithms.AES(key), modes.CBC(iv))\n# store or send iv with the ciphertext',
      fix: 'Generate a fresh random IV/nonce for every encryption (`os.urandom(16)` for CBC, `os.urandom(12)` for GCM, or let PyCryptodome pick one by omitting it) and send it with the ciphertext.',
      references: ['https://cwe.mitre.org/data/definitions/329.html', 'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#modes', 'https://pycryptodome.readthedocs.io/en/latest/src/cipher/classic.html', 'https://csrc.nist.gov/pubs/sp/800/38/d/final'],
    },
  },
  callNames: lastSegments(Object.keys(CRYPTOGRAPHY_MODES), AEAD_ENCRYPT, PYCRYPTO_NEW),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const found = ivArgument(call);
      if (!found || !isStatic(ctx, found.arg)) return;
      const written = found.arg.node;
      const through = ctx.expression(found.arg).node !== written ? ' (through a name bound to fixed bytes)' : '';
      ctx.report(node, {
        at: written.parent?.type === 'keyword_argument' ? written.parent : written,
        message: `The ${found.what} is the same for every message${through}: equal plaintexts give equal ciphertexts, and a reused CTR/GCM nonce exposes plaintexts and lets messages be forged. Use os.urandom() for each encryption and send it with the ciphertext.`,
        fix: { description: 'Generate the IV/nonce with os.urandom() for each encryption and store it beside the ciphertext.' },
      });
    },
  },
});
