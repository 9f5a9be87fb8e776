/** B303 md5, B304 ciphers, B305 cipher_modes: broken hashes, ciphers and modes in PyCrypto(dome) and cryptography. */
import { advice, blacklistedCall, usedForSecurity } from './blacklisted-call.js';

const PYCRYPTO = ['Crypto', 'Cryptodome'];
const HAZMAT = 'cryptography.hazmat';

const WEAK_HASHES = [
  ...PYCRYPTO.flatMap((p) => ['MD2', 'MD4', 'MD5', 'SHA', 'SHA1'].map((h) => `${p}.Hash.${h}.new`)),
  `${HAZMAT}.primitives.hashes.MD5`,
  `${HAZMAT}.primitives.hashes.SHA1`,
];

const WEAK_CIPHERS = [
  ...PYCRYPTO.flatMap((p) => ['ARC2', 'ARC4', 'Blowfish', 'DES', 'DES3', 'XOR'].map((c) => `${p}.Cipher.${c}.new`)),
  ...['ARC4', 'Blowfish', 'CAST5', 'IDEA', 'SEED', 'TripleDES'].map((c) => `${HAZMAT}.primitives.ciphers.algorithms.${c}`),
  // cryptography 43+ moved these to the "decrepit" package; the old names are deprecated aliases
  ...['ARC4', 'Blowfish', 'CAST5', 'IDEA', 'SEED', 'TripleDES', 'RC2'].map((c) => `${HAZMAT}.decrepit.ciphers.algorithms.${c}`),
];

/** `Crypto.Hash.MD5.new` -> `MD5`; `cryptography...hashes.SHA1` -> `SHA1`. */
function algorithm(q: string): string {
  const parts = q.split('.');
  return parts[parts.length - 1] === 'new' ? parts[parts.length - 2] : parts[parts.length - 1];
}

export const weakHashCall = blacklistedCall({
  meta: {
    id: 'B303',
    name: 'md5',
    severity: 'medium',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'MD2, MD4, MD5 or SHA-1 through PyCrypto, PyCryptodome or cryptography: broken hash functions',
      why: 'Collisions for MD5 and SHA-1 can be computed cheaply (SHAttered, chosen-prefix attacks), and MD2/MD4 are weaker still. A signature, integrity check, certificate fingerprint or password hash built on them can be forged: an attacker produces a second document with the same digest.',
      bad: 'from Crypto.Hash import MD5\n\ndigest = MD5.new(document).hexdigest()',
      good: 'from Crypto.Hash import SHA256\n\ndigest = SHA256.new(document).hexdigest()',
      fix: 'Use SHA-256 or stronger (SHA256.new, hashes.SHA256()); for passwords use a password hash (argon2, scrypt, bcrypt, PBKDF2).',
      references: [
        'https://cryptography.io/en/latest/hazmat/primitives/cryptographic-hashes/#md5',
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b303-md5',
      ],
      banditDifferences: 'Also flags `SHA1.new` of PyCrypto(dome) (Bandit lists only the old `SHA` module name). A call passing `usedforsecurity=False` is not flagged, for consistency with B324 (these APIs do not take that keyword today). `hashlib.md5`/`sha1` are reported by B324 only, as in Bandit\'s code (its documentation table lists them under B303 too).',
    },
  },
  qualnames: WEAK_HASHES,
  when: usedForSecurity,
  message: (q) => `${algorithm(q)} is a broken hash function (${q}); use SHA-256 or stronger`,
  fix: advice('Switch to SHA-256 or stronger; digests change, so stored values need migrating. For passwords use argon2, scrypt, bcrypt or PBKDF2.'),
});

export const weakCipherCall = blacklistedCall({
  meta: {
    id: 'B304',
    name: 'ciphers',
    severity: 'high',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'Broken or obsolete ciphers: ARC2, ARC4, Blowfish, CAST5, DES, 3DES, IDEA, SEED, XOR',
      why: 'RC4 has exploitable keystream biases; DES keys can be brute-forced; 64-bit block ciphers (Blowfish, CAST5, IDEA, 3DES, RC2) leak plaintext after a few dozen gigabytes under one key (Sweet32); XOR is not encryption. Data protected with them should be assumed readable by a motivated attacker.',
      bad: 'from Crypto.Cipher import DES\n\ncipher = DES.new(key, DES.MODE_CBC, iv)',
      good: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(nonce, data, None)',
      fix: 'Use AES (preferably an AEAD mode such as AES-GCM) or ChaCha20-Poly1305.',
      references: [
        'https://cryptography.io/en/latest/hazmat/decrepit/ciphers/',
        'https://sweet32.info/',
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b304-ciphers',
      ],
      banditDifferences: 'Also flags `DES3.new` of PyCrypto(dome) (Bandit flags cryptography\'s TripleDES but not this equivalent) and the `cryptography.hazmat.decrepit.ciphers.algorithms` names (ARC4, Blowfish, CAST5, IDEA, SEED, TripleDES, RC2) that cryptography 43 moved these ciphers to.',
    },
  },
  qualnames: WEAK_CIPHERS,
  message: (q) => `${algorithm(q)} is a broken or obsolete cipher (${q}); use AES-GCM or ChaCha20-Poly1305`,
  fix: advice('Replace the cipher with AES-GCM or ChaCha20-Poly1305; existing ciphertexts need re-encrypting.'),
});

export const ecbModeCall = blacklistedCall({
  meta: {
    id: 'B305',
    name: 'cipher_modes',
    severity: 'medium',
    confidence: 'high',
    cwe: 327,
    doc: {
      summary: 'ECB cipher mode: equal plaintext blocks encrypt to equal ciphertext blocks',
      why: 'ECB encrypts each block independently, so patterns in the plaintext show through (the "ECB penguin"), blocks can be reordered or replayed, and an attacker who can get chosen data encrypted next to a secret can recover the secret byte by byte.',
      bad: 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\nencryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()',
      good: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nciphertext = AESGCM(key).encrypt(os.urandom(12), data, None)',
      fix: 'Use an authenticated mode (AES-GCM, ChaCha20-Poly1305) or at least CBC/CTR with a random IV plus a MAC.',
      references: [
        'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB',
        'https://cwe.mitre.org/data/definitions/327.html',
        'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b305-cipher-modes',
      ],
      banditDifferences: 'Names are resolved: `from cryptography.hazmat.primitives.ciphers.modes import ECB as Mode` and variables bound to `modes.ECB` are followed; a local class called `ECB` is not flagged. PyCryptodome\'s `AES.MODE_ECB` constant is not a call and is not flagged (as in Bandit).',
    },
  },
  qualnames: ['cryptography.hazmat.primitives.ciphers.modes.ECB'],
  message: () => 'ECB mode leaks patterns of the plaintext and is malleable; use AES-GCM or another authenticated mode',
  fix: advice('Replace modes.ECB() with AES-GCM (cryptography.hazmat.primitives.ciphers.aead.AESGCM) and a fresh random nonce per message.'),
});
