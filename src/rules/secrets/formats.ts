/**
 * Credential formats as data: each matched by its real structure (prefix, length, alphabet) and, where the
 * format has one, its checksum. `visible` is how much of the front may be shown: the fixed prefix that names
 * the kind of credential, never random characters.
 */
import { hasBase62Crc32, isPypiMacaroon } from './checksums.js';
import { isPlaceholderPassword } from './placeholders.js';

export type SecretRuleId = 'PW401' | 'PW402' | 'PW403';

/** What a format may look at besides the match: the whole file, for formats that need context. */
export interface FormatContext {
  /** Lazily computed facts about the file the value is in. */
  readonly file: FileFacts;
}

export interface FileFacts {
  mentionsTwilio: boolean;
  hasTwilioAccountSid: boolean;
  /** An AWS access key id (not a documented example) or an AWS secret-key setting name. */
  mentionsAwsSecret: boolean;
  /** An AWS secret-key setting name (`aws_secret_access_key`, `AWS_SECRET`): the key id has its secret beside it. */
  namesAwsSecret: boolean;
  /** A Google service-account key file (`"type": "service_account"`). */
  googleServiceAccount: boolean;
}

export interface CredentialFormat {
  id: string;
  label: string;
  ruleId: SecretRuleId;
  /** Global regex; the credential is the whole match. */
  pattern: RegExp;
  /** Characters of the front that name the kind (`ghp_`), shown in the redacted form. */
  visible: number | ((value: string) => number);
  /** The part that must not be a placeholder (default: the value after `visible`). */
  random?: (value: string) => string;
  /** Further checks: checksum, structure, context. */
  valid?: (value: string, ctx: FormatContext) => boolean;
  /** A redacted form other than prefix + last four (a URL keeps its user and host, not its password). */
  redact?: (value: string) => string;
  /** A label depending on the value or the file (`GitHub OAuth access token`). */
  labelFor?: (value: string, ctx: FormatContext) => string;
  /** Lower confidence when the evidence is weaker (an AWS key id without its secret). */
  confidence?: (ctx: FormatContext) => 'high' | 'medium';
}

const GITHUB_KINDS: Record<string, string> = {
  p: 'GitHub personal access token (classic)',
  o: 'GitHub OAuth access token',
  u: 'GitHub user-to-server token',
  s: 'GitHub installation (server-to-server) token',
  r: 'GitHub refresh token',
};

/** Base64 alphabets without padding, used by several formats. */
const B64URL = 'A-Za-z0-9_-';

export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  {
    id: 'aws-access-key-id',
    label: 'AWS access key id',
    ruleId: 'PW401',
    // AKIA long-term, ASIA temporary (STS), ABIA/ACCA: 4-letter prefix, 16 characters of RFC 4648 base32.
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g,
    visible: 4,
    random: (v) => v,
    confidence: (ctx) => (ctx.file.namesAwsSecret ? 'high' : 'medium'),
  },
  {
    id: 'aws-secret-access-key',
    label: 'AWS secret access key',
    ruleId: 'PW401',
    // 40 base64 characters; only beside an AWS key id or an AWS secret-key setting, since 40 characters of
    // base64 alone could be anything. Mixed case and a digit: not a git SHA, not a word.
    pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g,
    visible: 0,
    valid: (v, ctx) => ctx.file.mentionsAwsSecret && /[a-z]/.test(v) && /[A-Z]/.test(v) && /[0-9]/.test(v) && !/^[0-9a-fA-F]+$/.test(v),
  },
  {
    id: 'github-classic',
    label: 'GitHub token',
    ruleId: 'PW401',
    pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    visible: 4,
    valid: (v) => hasBase62Crc32(v),
    labelFor: (v) => GITHUB_KINDS[v[2]] ?? 'GitHub token',
  },
  {
    id: 'github-fine-grained',
    label: 'GitHub fine-grained personal access token',
    ruleId: 'PW401',
    // github_pat_ + 22-character id + _ + 59 characters (93 in all). Its checksum is not published: structure only.
    pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g,
    visible: 11,
  },
  {
    id: 'gitlab-pat',
    label: 'GitLab personal access token',
    ruleId: 'PW401',
    // The classic 20 characters, or the newer routable form with a version and checksum part.
    pattern: /(?<![A-Za-z0-9_-])glpat-(?:[A-Za-z0-9_-]{20}|[A-Za-z0-9_-]{27,300}\.[0-9a-z]{2}\.[0-9a-z]{7,9})(?![A-Za-z0-9_.-])/g,
    visible: 6,
  },
  {
    id: 'slack-token',
    label: 'Slack token',
    ruleId: 'PW401',
    // xoxb-<team>-<bot>-<24>, xoxp-<team>-<user>-<id>-<32 hex>, xoxa/xoxr/xoxs; xapp- app-level tokens.
    pattern: /(?<![A-Za-z0-9-])(?:xox[abprs]-(?:\d{1,14}-){1,3}[A-Za-z0-9]{24,64}|xapp-\d-[A-Z0-9]{9,12}-\d{9,14}-[a-f0-9]{64})(?![A-Za-z0-9-])/g,
    visible: 5,
    random: (v) => v.slice(v.lastIndexOf('-') + 1),
  },
  {
    id: 'slack-webhook',
    label: 'Slack incoming webhook URL',
    ruleId: 'PW401',
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[AB][A-Z0-9]{8,12}\/[A-Za-z0-9]{23,25}(?![A-Za-z0-9])/g,
    visible: (v) => v.indexOf('/', 'https://hooks.slack.com/'.length) + 1,
    random: (v) => v.slice(v.lastIndexOf('/') + 1),
  },
  {
    id: 'stripe-live',
    label: 'Stripe live secret key',
    ruleId: 'PW401',
    // Live-mode secret and restricted keys only: test-mode keys (sk_test_) cannot move money or read live data.
    pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{24,247}(?![A-Za-z0-9_])/g,
    visible: 8,
  },
  {
    id: 'google-api-key',
    label: 'Google API key',
    ruleId: 'PW401',
    pattern: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
    visible: 4,
  },
  {
    id: 'sendgrid',
    label: 'SendGrid API key',
    ruleId: 'PW401',
    pattern: new RegExp(`(?<![${B64URL}])SG\\.[${B64URL}]{22}\\.[${B64URL}]{43}(?![${B64URL}])`, 'g'),
    visible: 3,
  },
  {
    id: 'twilio-api-key',
    label: 'Twilio API key SID',
    ruleId: 'PW401',
    pattern: /(?<![A-Za-z0-9])SK[0-9a-f]{32}(?![A-Za-z0-9])/g,
    visible: 2,
    valid: (_v, ctx) => ctx.file.mentionsTwilio,
  },
  {
    id: 'twilio-auth-token',
    label: 'Twilio auth token',
    ruleId: 'PW401',
    // 32 hex characters are also an MD5 digest: only in a file about Twilio that holds an account SID too.
    pattern: /(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])/g,
    visible: 0,
    valid: (_v, ctx) => ctx.file.mentionsTwilio && ctx.file.hasTwilioAccountSid,
  },
  {
    id: 'anthropic',
    label: 'Anthropic API key',
    ruleId: 'PW401',
    pattern: /(?<![A-Za-z0-9_-])sk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])/g,
    visible: (v) => v.indexOf('-', 7) + 1,
  },
  {
    id: 'openai',
    label: 'OpenAI API key',
    ruleId: 'PW401',
    // Project, service-account and admin keys by prefix; legacy user keys by the base64 "OpenAI" marker T3BlbkFJ.
    pattern: /(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g,
    visible: (v) => (/^sk-(proj|svcacct|admin)-/.test(v) ? v.indexOf('-', 3) + 1 : 3),
  },
  {
    id: 'npm',
    label: 'npm access token',
    ruleId: 'PW401',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
    visible: 4,
    valid: (v) => hasBase62Crc32(v),
  },
  {
    id: 'pypi',
    label: 'PyPI API token',
    ruleId: 'PW401',
    // `AgEIcHlwaS5vcmc` is base64 of the macaroon header naming pypi.org (test.pypi.org tokens are not matched).
    pattern: new RegExp(`(?<![${B64URL}])pypi-AgEIcHlwaS5vcmc[${B64URL}]{50,}(?![${B64URL}])`, 'g'),
    visible: 5,
    valid: (v) => isPypiMacaroon(v),
  },
  {
    id: 'private-key',
    label: 'private key',
    ruleId: 'PW402',
    // A PEM private key with a body: in a file, a Python string (real newlines) or JSON (`\n` escapes),
    // YAML block scalars (indented lines). Public keys and certificates have other labels.
    // Separators (whitespace, quotes, `\\n` escapes) and base64 characters are disjoint sets: linear matching.
    pattern: /-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED) )?PRIVATE KEY-----(?:(?:\\[nr]|[\s"'])*(?:Proc-Type|DEK-Info):[^\n\\]*)*(?:\\[nr]|[\s"'])*[A-Za-z0-9+/=]+(?:(?:\\[nr]|[\s"',])+[A-Za-z0-9+/=]+)*(?:(?:\\[nr]|[\s"'])*-----END \1?PRIVATE KEY-----)?/g,
    visible: (v) => v.indexOf('-----', 5) + 5,
    random: (v) => pemBody(v),
    valid: (v) => pemBody(v).length >= 64,
    labelFor: (_v, ctx) => (ctx.file.googleServiceAccount ? 'Google service-account private key' : 'private key'),
  },
  {
    id: 'url-password',
    label: 'password in a URL',
    ruleId: 'PW403',
    // scheme://user:password@host. The password stops at the first `@` or `/` (a literal one must be %-encoded).
    pattern: /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:/@'"<>]*:[^\s/@'"<>]+@[^\s/:'"?#@<>]+/gi,
    visible: 0,
    random: (v) => urlParts(v).password,
    valid: (v) => {
      const { password, host } = urlParts(v);
      return !isPlaceholderPassword(password) && !isLocalOrExampleHost(host);
    },
    redact: (v) => {
      const { scheme, user, password, host } = urlParts(v);
      return `${scheme}://${user}:${redactTail(password)}@${host}`;
    },
  },
];

function urlParts(v: string): { scheme: string; user: string; password: string; host: string } {
  const m = /^([^:]+):\/\/([^:]*):(.*)@([^@]*)$/.exec(v)!;
  return { scheme: m[1], user: m[2], password: m[3], host: m[4] };
}

/**
 * A password that only opens a developer's own machine (`localhost`, loopback) or nothing at all (the
 * reserved documentation domains of RFC 2606 / RFC 6761): the usual docker-compose and README examples.
 */
export function isLocalOrExampleHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\./.test(h) || h === '::1' || h === '0.0.0.0' || /(^|\.)example(\.(com|org|net))?$/.test(h) || /\.(test|invalid)$/.test(h);
}

/** `***`, and the last 4 characters of a value of 16 or more (enough to tell which one to rotate). */
export function redactTail(value: string): string {
  return value.length >= 16 ? `***${value.slice(-4)}` : '***';
}

/** The base64 of a PEM block, without armour, headers, whitespace and escapes. */
export function pemBody(block: string): string {
  return block
    .replace(/^-----BEGIN [A-Z ]+-----/, '')
    .replace(/-----END [A-Z ]+-----$/, '')
    .replace(/(?:Proc-Type|DEK-Info):[^\n\\]*/g, '')
    .replace(/\\[nr]|[^A-Za-z0-9+/=]/g, '');
}
