/**
 * Text -> the credentials in it (pure). Used by the Python rules on string literals and by the scan of
 * configuration files; the redacted form of each match is the only form of it that leaves the engine.
 */
import { CREDENTIAL_FORMATS, type CredentialFormat, type FileFacts, type SecretRuleId } from './formats.js';
import { isMarkedFakeFixture, isPlaceholder } from './placeholders.js';

export interface SecretMatch {
  ruleId: SecretRuleId;
  /** Format id (`github-classic`). */
  format: string;
  /** What it is, for the message (`GitHub personal access token (classic)`). */
  label: string;
  /** Offsets in the text (end exclusive). */
  start: number;
  end: number;
  /** Prefix and last four characters (`ghp_…a1B2`): what messages, snippets and logs may show. */
  redacted: string;
  confidence: 'high' | 'medium';
}

export interface DetectOptions {
  /** The whole file the text is from, for formats that need context (a Twilio SID, an AWS key id). */
  fileText?: string;
  /** The file's path: a test fixture marked fake by its path stays quiet. */
  path?: string;
}

let lastText: string | undefined;
let lastFacts: FileFacts | undefined;

const AWS_KEY_ID = /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])/g;

export function fileFacts(text: string): FileFacts {
  if (text === lastText && lastFacts) return lastFacts;
  const keyIds = text.match(AWS_KEY_ID) ?? [];
  const namesAwsSecret = /aws_?secret|secret_?access_?key/i.test(text);
  const facts: FileFacts = {
    mentionsTwilio: /twilio/i.test(text),
    hasTwilioAccountSid: /(?<![A-Za-z0-9])AC[0-9a-f]{32}(?![A-Za-z0-9])/.test(text),
    mentionsAwsSecret: namesAwsSecret || keyIds.some((k) => !isPlaceholder(k)),
    namesAwsSecret,
    googleServiceAccount: /"type"\s*:\s*"service_account"/.test(text),
  };
  lastText = text;
  lastFacts = facts;
  return facts;
}

/** Cheap test before the formats' regexes: most strings in a program hold none of these. */
export const HINT = /AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|xapp-|hooks\.slack\.com|_live_|AIza|SG\.|sk-|npm_|pypi-|PRIVATE KEY|:\/\//;
/** Formats with no prefix: 32 hex digits (a Twilio or SendGrid-like secret), 40 base64 characters (an AWS secret key). */
const LONG_RUN = /[0-9a-f]{32}|[A-Za-z0-9/+]{40}/;

/**
 * Some run of 32 characters from `[A-Za-z0-9/+]` (what both prefix-less formats need), found by one pass
 * over the characters: a regex starting with a character class retries at every position, which made this
 * test the slowest part of scanning a file's strings.
 */
function hasLongRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // 0-9, A-Z, a-z, '+', '/'
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47) {
      if (++run >= 32) return true;
    } else run = 0;
  }
  return false;
}

function hinted(text: string): boolean {
  return HINT.test(text) || (hasLongRun(text) && LONG_RUN.test(text));
}

/** `HINT` without what only PW403 needs (`://`): URLs are common in comments, URL passwords are not read there. */
const COMMENT_HINT = new RegExp(HINT.source.replace('|:\\/\\/', ''));

/** A comment that may hold a structured credential (PW401, PW402). */
export function commentHinted(text: string): boolean {
  return COMMENT_HINT.test(text) || (hasLongRun(text) && LONG_RUN.test(text));
}

/** Stronger evidence wins where matches overlap: a private key, then a token, then a URL's password. */
const PRIORITY: Record<SecretRuleId, number> = { PW402: 0, PW401: 1, PW403: 2 };

const visibleOf = (f: CredentialFormat, v: string) => (typeof f.visible === 'number' ? f.visible : f.visible(v));

export function findSecrets(text: string, options: DetectOptions = {}): SecretMatch[] {
  if (text.length < 10 || !hinted(text)) return [];
  if (options.path && isMarkedFakeFixture(options.path)) return [];
  const ctx = { file: fileFacts(options.fileText ?? text) };
  const found: SecretMatch[] = [];
  for (const f of CREDENTIAL_FORMATS) {
    f.pattern.lastIndex = 0;
    for (let m = f.pattern.exec(text); m; m = f.pattern.exec(text)) {
      const value = m[0];
      const visible = visibleOf(f, value);
      const random = f.random ? f.random(value) : value.slice(visible);
      if (f.ruleId !== 'PW403' && isPlaceholder(random)) continue;
      if (f.valid && !f.valid(value, ctx)) continue;
      found.push({
        ruleId: f.ruleId,
        format: f.id,
        label: f.labelFor ? f.labelFor(value, ctx) : f.label,
        start: m.index,
        end: m.index + value.length,
        redacted: f.redact ? f.redact(value) : `${value.slice(0, visible)}…${random.slice(-4)}`,
        confidence: f.confidence ? f.confidence(ctx) : 'high',
      });
    }
  }
  found.sort((a, b) => PRIORITY[a.ruleId] - PRIORITY[b.ruleId] || a.start - b.start || b.end - a.end);
  const kept: SecretMatch[] = [];
  for (const s of found) if (!kept.some((k) => s.start < k.end && k.start < s.end)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}

/** The text with every credential in it replaced by its redacted form. */
export function redactCredentials(text: string, options: DetectOptions = {}): string {
  const found = findSecrets(text, options.path ? { ...options, path: undefined } : options);
  let out = text;
  for (const s of [...found].reverse()) out = `${out.slice(0, s.start)}${s.redacted}${out.slice(s.end)}`;
  return out;
}

/** The message every PW4xx finding carries: what it is, and that it must be revoked, not only deleted. */
export function secretMessage(s: Pick<SecretMatch, 'label' | 'redacted' | 'ruleId'>, where = ''): string {
  const what = s.ruleId === 'PW403' ? `Literal password in a connection URL (\`${s.redacted}\`)` : `Hard-coded ${s.label} (\`${s.redacted}\`)`;
  return `${what}${where ? ` ${where}` : ''}: anyone who can read the repository can use it. Revoke or rotate it now: deleting the line is not enough, the value stays in the git history, forks and clones. Then load it at run time (environment variable, secrets manager).`;
}
