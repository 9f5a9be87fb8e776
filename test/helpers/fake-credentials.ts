/**
 * Fake credentials that are structurally valid (prefix, length, alphabet, checksum), built at run time from a
 * seeded generator. Nothing here is a real credential, and no complete token is written in the repository:
 * GitHub push protection (and other scanners) would block a commit holding a checksum-valid `ghp_` or `npm_`
 * token, and fixture files quote them as `@@name@@` markers that `expandFakes` fills in.
 */
import { withBase62Crc32 } from '../../src/rules/secrets/checksums.js';

function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}_-`;
const HEX = '0123456789abcdef';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';

function pick(seed: number) {
  const next = generator(seed);
  return (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
}

/** Built from pieces so the source holds no literal prefix a scanner would take for a token. */
const P = {
  gh: (k: string) => `g${'h'}${k}_`,
  npm: `n${'pm'}_`,
  pat: `github${'_pat'}_`,
  glpat: `gl${'pat'}-`,
  aws: `AK${'IA'}`,
  stripe: (k: string) => `${k}_${'live'}_`,
  google: `AI${'za'}`,
  slack: `xo${'xb'}-`,
  openai: `s${'k-proj'}-`,
  anthropic: `s${'k-ant'}-api03-`,
  pypi: `py${'pi'}-`,
};

export function macaroon(seed: number, location = 'pypi.org'): Uint8Array {
  const r = pick(seed);
  const id = Buffer.from(`{"nonce": "${r(HEX, 32)}", "version": 1}`);
  const caveat = Buffer.from(`{"version": 1, "permissions": {"projects": ["${r('abcdefghij', 8)}"]}}`);
  const signature = Buffer.from(r(HEX, 64), 'hex');
  const loc = Buffer.from(location);
  return new Uint8Array(Buffer.concat([
    Buffer.from([2, 1, loc.length]), loc, Buffer.from([2, id.length]), id, Buffer.from([0]),
    Buffer.from([2, caveat.length]), caveat, Buffer.from([0]), Buffer.from([0]),
    Buffer.from([6, 32]), signature,
  ]));
}

export function pemBlock(seed: number, label = 'RSA PRIVATE KEY', escapedNewlines = false): string {
  const r = pick(seed);
  const body = Buffer.from(r(HEX, 2400), 'hex').toString('base64').match(/.{1,64}/g)!;
  const nl = escapedNewlines ? '\\n' : '\n';
  return [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join(nl) + nl;
}

/** Every fake, by the name fixture files use in `@@name@@`. */
export function fakeCredentials(): Record<string, string> {
  const r = pick(1337);
  const classic = withBase62Crc32(P.gh('p'), r(ALNUM, 30));
  const broken = classic.slice(0, -1) + (classic.endsWith('A') ? 'B' : 'A');
  const twilioSid = `A${'C'}${r(HEX, 32)}`;
  return {
    ghp: classic,
    ghpBroken: broken,
    gho: withBase62Crc32(P.gh('o'), r(ALNUM, 30)),
    ghs: withBase62Crc32(P.gh('s'), r(ALNUM, 30)),
    npm: withBase62Crc32(P.npm, r(ALNUM, 30)),
    npmBroken: withBase62Crc32(P.npm, r(ALNUM, 30)).slice(0, -6) + '000000',
    githubPat: `${P.pat}${r(ALNUM, 22)}_${r(ALNUM, 59)}`,
    glpat: `${P.glpat}${r(B64URL.replace('-', ''), 20)}`,
    awsKeyId: `${P.aws}${r(BASE32, 16)}`,
    awsSecret: `${r(B64, 39)}7`,
    slackBot: `${P.slack}${r(DIGITS, 11)}-${r(DIGITS, 13)}-${r(ALNUM, 24)}`,
    slackWebhook: `https://hooks.slack.com/services/T${r(UPPER_ALNUM, 8)}/B${r(UPPER_ALNUM, 10)}/${r(ALNUM, 24)}`,
    stripeLive: `${P.stripe('sk')}${r(ALNUM, 24)}`,
    stripeRestricted: `${P.stripe('rk')}${r(ALNUM, 24)}`,
    stripeTest: `sk_${'test'}_${r(ALNUM, 24)}`,
    googleApiKey: `${P.google}${r(B64URL, 35)}`,
    sendgrid: `SG.${r(B64URL, 22)}.${r(B64URL, 43)}`,
    twilioSid,
    twilioApiKey: `S${'K'}${r(HEX, 32)}`,
    twilioToken: r(HEX, 32),
    openaiProject: `${P.openai}${r(B64URL, 100)}T3BlbkFJ${r(B64URL, 40)}`,
    openaiLegacy: `s${'k'}-${r(ALNUM, 20)}T3BlbkFJ${r(ALNUM, 20)}`,
    anthropic: `${P.anthropic}${r(B64URL, 93)}AA`,
    pypi: `${P.pypi}${Buffer.from(macaroon(7)).toString('base64url')}`,
    testPypi: `${P.pypi}${Buffer.from(macaroon(8, 'test.pypi.org')).toString('base64url')}`,
    pemRsa: pemBlock(11).trimEnd(),
    pemPkcs8Json: pemBlock(12, 'PRIVATE KEY', true),
    pemOpenssh: pemBlock(13, 'OPENSSH PRIVATE KEY').trimEnd(),
    pemEcJson: pemBlock(14, 'EC PRIVATE KEY', true),
  };
}

/**
 * Fixture text with `@@name@@` markers replaced by the fakes (a YAML block scalar gets its indentation kept;
 * after a `# ` marker every line of a multi-line value is commented out the same way).
 */
export function expandFakes(text: string, fakes = fakeCredentials()): string {
  return text.replace(/^([ \t]*)(.*?)@@(\w+)@@/gm, (_all, indent: string, before: string, name: string) => {
    const value = fakes[name];
    if (value === undefined) throw new Error(`no fake credential named ${name}`);
    const continuation = /^#+ ?$/.test(before) ? before : before.trim() === '' ? '' : '  ';
    const multi = value.includes('\n') ? value.split('\n').join(`\n${indent}${continuation}`) : value;
    return `${indent}${before}${multi}`;
  });
}

/** The values a redaction test must never find in any output. */
export function rawValues(fakes = fakeCredentials()): string[] {
  return Object.values(fakes).flatMap((v) => (v.includes('\n') || v.includes('\\n') ? v.split(/\n|\\n/).filter((l) => l.length >= 40 && !l.startsWith('-----')) : [v]));
}
