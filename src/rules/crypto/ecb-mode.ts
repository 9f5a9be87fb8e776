import { argument } from '../arguments.js';
import { lastSegments } from '../call-names.js';
import { defineRule } from '../rule.js';

/** PyCryptodome / PyCrypto block ciphers: `new(key, mode, ...)`. ECB is `MODE_ECB`, value 1, in every one. */
const CIPHERS = ['AES', 'DES', 'DES3', 'Blowfish', 'CAST', 'ARC2'];
const NEW = new Set(['Crypto', 'Cryptodome'].flatMap((pkg) => CIPHERS.map((c) => `${pkg}.Cipher.${c}.new`)));
const MODE_ECB = /^(Crypto|Cryptodome)\.Cipher\.(\w+)\.MODE_ECB$/;

export const ecbMode = defineRule({
  meta: {
    id: 'PW307',
    name: 'ecb-mode',
    severity: 'medium',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'ECB mode in PyCryptodome / PyCrypto (`AES.new(key, AES.MODE_ECB)`, also DES3, Blowfish, ...)',
      why: 'ECB encrypts each block on its own: equal plaintext blocks give equal ciphertext blocks, so structure shows through (the "ECB penguin"), blocks can be cut, reordered and replayed without the key, and an attacker who can have chosen data encrypted next to a secret (a cookie, a token) recovers the secret byte by byte.',
      bad: 'from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_ECB)',
      good: 'from Crypto.Cipher import AES\n\ncipher = AES.new(key, AES.MODE_GCM)  # random nonce: cipher.nonce\nciphertext, tag = cipher.encrypt_and_digest(data)',
      fix: 'Use an authenticated mode (AES.MODE_GCM, or MODE_EAX / MODE_SIV) with a fresh nonce per message, and send the nonce and tag with the ciphertext.',
      references: ['https://pycryptodome.readthedocs.io/en/latest/src/cipher/classic.html#ecb-mode', 'https://cwe.mitre.org/data/definitions/327.html', 'https://en.wikipedia.org/wiki/Block_cipher_mode_of_operation#Electronic_codebook_(ECB)'],
    },
  },
  callNames: lastSegments(NEW),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      if (!call.qname || !NEW.has(call.qname)) return;
      const mode = argument(call, 'mode', 1);
      if (!mode) return;
      // `AES.MODE_ECB`, `from Crypto.Cipher.AES import MODE_ECB`, a name bound to either; cryptography's modes.ECB() is B305's
      const q = ctx.qname(mode.node);
      const m = q ? MODE_ECB.exec(q) : null;
      const isEcb = m !== null || ctx.constant(mode) === 1;
      if (!isEcb) return;
      const cipher = call.qname.split('.').slice(-2)[0];
      ctx.report(node, {
        at: mode.node.parent?.type === 'keyword_argument' ? mode.node.parent : mode.node,
        message: `${cipher} in ECB mode encrypts equal blocks to equal ciphertext, leaking the plaintext's structure and allowing blocks to be swapped or replayed; use an authenticated mode such as ${cipher === 'AES' ? 'AES.MODE_GCM' : 'AES in MODE_GCM'} with a fresh nonce.`,
        fix: { description: cipher === 'AES' ? 'Use AES.MODE_GCM (or MODE_EAX) and encrypt_and_digest(), sending cipher.nonce and the tag with the ciphertext.' : `Replace ${cipher} in ECB mode with AES in MODE_GCM and a fresh nonce per message.` },
      });
    },
  },
});
