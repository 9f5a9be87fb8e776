import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Severity } from '../../engine/types.js';
import type { Arg } from '../../python/resolve.js';
import { argument } from '../arguments.js';
import { defineRule, type RuleContext } from '../rule.js';
import { lastSegments } from '../call-names.js';

type KeyType = 'RSA' | 'DSA' | 'EC';
const ASYM = 'cryptography.hazmat.primitives.asymmetric';

/** Key generators: which argument holds the size (keyword, position), and the key type. */
const GENERATORS: Record<string, { type: KeyType; keyword: string; index: number }> = {
  [`${ASYM}.rsa.generate_private_key`]: { type: 'RSA', keyword: 'key_size', index: 1 },
  [`${ASYM}.dsa.generate_private_key`]: { type: 'DSA', keyword: 'key_size', index: 0 },
  [`${ASYM}.dsa.generate_parameters`]: { type: 'DSA', keyword: 'key_size', index: 0 },
  [`${ASYM}.ec.generate_private_key`]: { type: 'EC', keyword: 'curve', index: 0 },
  ...Object.fromEntries(
    ['Crypto', 'Cryptodome'].flatMap((pkg) => [
      [`${pkg}.PublicKey.RSA.generate`, { type: 'RSA', keyword: 'bits', index: 0 }],
      [`${pkg}.PublicKey.DSA.generate`, { type: 'DSA', keyword: 'bits', index: 0 }],
    ]),
  ),
};

/** Bit strength of the curves `cryptography` offers (Bandit's table). */
const CURVE_SIZES: Record<string, number> = {
  SECT571K1: 571, SECT571R1: 570, SECP521R1: 521, BrainpoolP512R1: 512, SECT409K1: 409, SECT409R1: 409,
  BrainpoolP384R1: 384, SECP384R1: 384, SECT283K1: 283, SECT283R1: 283, BrainpoolP256R1: 256, SECP256K1: 256,
  SECP256R1: 256, SECT233K1: 233, SECT233R1: 233, SECP224R1: 224, SECP192R1: 192, SECT163K1: 163, SECT163R2: 163,
};

const DEFAULTS = {
  weak_key_size_dsa_high: 1024,
  weak_key_size_dsa_medium: 2048,
  weak_key_size_rsa_high: 1024,
  weak_key_size_rsa_medium: 2048,
  weak_key_size_ec_high: 160,
  weak_key_size_ec_medium: 224,
};

/** Size of an EC curve argument: `ec.SECP192R1()`, the class itself, an alias or a variable bound to either. */
function curveSize(ctx: RuleContext, node: Node): number | undefined {
  const q = ctx.qname(node);
  if (!q?.startsWith(`${ASYM}.ec.`)) return undefined;
  return CURVE_SIZES[q.replace(/\(\)$/, '').split('.').pop()!];
}

function keySize(ctx: RuleContext, type: KeyType, arg: Arg): number | undefined {
  if (type === 'EC') return curveSize(ctx, arg.node);
  const v = ctx.constant(arg);
  return typeof v === 'number' ? v : undefined;
}

function threshold(ctx: RuleContext, type: KeyType, level: 'high' | 'medium'): number {
  const key = `weak_key_size_${type.toLowerCase()}_${level}` as keyof typeof DEFAULTS;
  const v = ctx.options[key];
  return typeof v === 'number' ? v : DEFAULTS[key];
}

export const weakCryptographicKey = defineRule({
  meta: {
    id: 'B505',
    name: 'weak_cryptographic_key',
    severity: 'high',
    confidence: 'high',
    cwe: 326,
    options: DEFAULTS,
    doc: {
      summary: 'RSA/DSA key under 2048 bits or elliptic curve under 224 bits',
      why: 'Short keys can be broken with affordable computing power: 512-bit RSA is factored in hours and 1024-bit RSA/DSA is within reach of well-funded attackers. Anyone who breaks the key can forge signatures or decrypt everything protected by it, including recorded past traffic.',
      bad: 'rsa.generate_private_key(public_exponent=65537, key_size=1024)\nec.generate_private_key(ec.SECP192R1())',
      good: 'rsa.generate_private_key(public_exponent=65537, key_size=3072)\nec.generate_private_key(ec.SECP256R1())',
      fix: 'Use at least 2048-bit (better 3072-bit) RSA/DSA keys, or an elliptic curve of 256 bits or more (SECP256R1, Ed25519).',
      references: [
        'https://csrc.nist.gov/publications/detail/sp/800-131a/rev-2/final',
        'https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#generation',
        'https://cwe.mitre.org/data/definitions/326.html',
      ],
      banditDifferences:
        'Key sizes are resolved through variables and constant expressions (`BITS = 1024`, `512 * 2`); Bandit skips any size that is not a literal. ' +
        'Curves are resolved by qualified name, so aliases and `curve = ec.SECP192R1()` assigned first are found; `dsa.generate_parameters` is checked too. ' +
        'The finding is on the line where the call starts.',
    },
  },
  callNames: lastSegments(Object.keys(GENERATORS)),
  visit: {
    call(node, ctx) {
      const call = ctx.call(node);
      const gen = call.qname ? GENERATORS[call.qname] : undefined;
      if (!gen) return;
      const arg = argument(call, gen.keyword, gen.index);
      const size = arg ? keySize(ctx, gen.type, arg) : undefined;
      if (size === undefined) return;
      for (const level of ['high', 'medium'] as const) {
        const limit = threshold(ctx, gen.type, level);
        if (size < limit) {
          const unit = gen.type === 'EC' ? `-bit curve` : `-bit key`;
          ctx.report(node, {
            severity: level as Severity,
            message: `${gen.type} key sizes below ${limit} bits are considered breakable (this is a ${size}${unit}); use ${gen.type === 'EC' ? 'SECP256R1 or larger' : '3072 bits or more'}`,
          });
          return;
        }
      }
    },
  },
});
