/**
 * Values that only stand in for a credential: template variables, "your key here", documented example keys,
 * masked or repeated characters. A real credential is random; these are not, so they stay quiet.
 */

/** Words that appear in stand-ins and practically never in a random token of 16+ characters. */
const PLACEHOLDER_WORDS = /example|xxxx|changeme|change_me|change-me|your[_-]?|placeholder|dummy|fake|sample|redacted|replace|insert|todo|\*\*\*|\.\.\.|…/i;
/** Template syntax: `${VAR}`, `$VAR`, `{{ var }}`, `%(name)s`, `%s`, `<your-key>`, an f-string's `{}`, `{name}`. */
const TEMPLATE = /\$\{|^\$[A-Za-z_]|\{\{|%\([^)]*\)s|%s|<[^>]*>|\{[A-Za-z_]*\}/;
/** Counting runs (`12345678`, `abcdefgh`) that people type, tokens never hold. */
const SEQUENCES = /0123456|1234567|2345678|3456789|abcdefg|bcdefgh|ABCDEFG|qwerty/i;

/** AWS's documented example credentials (also caught by `EXAMPLE`, listed so the intent is visible). */
export const DOCUMENTED_EXAMPLES: ReadonlySet<string> = new Set(['AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);

/** Fewer distinct characters than a random string of that length would practically have. */
function lowVariety(body: string): boolean {
  if (body.length < 12) return false;
  const distinct = new Set(body).size;
  return distinct < Math.min(8, Math.ceil(body.length / 4)) || /(.)\1{7,}/.test(body);
}

/** True when `value` (the random part of a credential, or a password) is a stand-in, not a real secret. */
export function isPlaceholder(value: string): boolean {
  if (DOCUMENTED_EXAMPLES.has(value)) return true;
  return PLACEHOLDER_WORDS.test(value) || TEMPLATE.test(value) || SEQUENCES.test(value) || lowVariety(value);
}

/** Passwords in documentation and local setups that stand for "put yours here". */
const PLACEHOLDER_PASSWORDS = new Set(['password', 'passwd', 'pass', 'pwd', 'secret', 'changeme', 'yourpassword', 'mypassword', 'pw', 'x', 'xxx', '***']);

export function isPlaceholderPassword(password: string): boolean {
  if (password === '') return true;
  const p = password.toLowerCase();
  return PLACEHOLDER_PASSWORDS.has(p) || TEMPLATE.test(password) || /^[*x.]+$/i.test(password) || /^\$/.test(password) || PLACEHOLDER_WORDS.test(password) || /^\{.*\}$/.test(password);
}

/**
 * A test fixture marked as fake by where it lives and what it is called: under a `test`/`tests`/`testing`
 * directory, in a file whose name says `fake`, `dummy` or `mock`. Only both together count: real tokens are
 * pasted into tests (integration tests, recorded HTTP cassettes) often enough that a test directory alone
 * must not silence them.
 */
export function isMarkedFakeFixture(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  return parts.slice(0, -1).some((p) => /^(tests?|testing)$/i.test(p)) && /fake|dummy|mock/i.test(name);
}
