/**
 * What a name says a value is for: the PW3xx rules judge `random` calls, comparisons and hashes by the
 * words of the name the value is stored under (`reset_code`, `apiKey`, `request.headers["X-Signature"]`).
 */
import type { SyntaxNode as Node } from '../../python/syntax-tree.js';
import type { Binding, Scope } from '../../python/scopes.js';
import type { RuleContext } from '../rule.js';

/** `resetCode`, `RESET_CODE`, `X-Reset-Code` -> `['reset', 'code']`. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'passwort', 'pwd', 'pw', 'pass', 'passphrase', 'pword']);
/** Words that make a name about a password rather than the password itself (`password_hash`, `password_reset_token`). */
const NOT_THE_PASSWORD = new Set(['hash', 'hashed', 'digest', 'token', 'reset', 'salt', 'len', 'length', 'policy', 'field', 'min', 'max', 'hint', 'changed', 'expires', 'expiry', 'label', 'prompt', 'validator', 'strength', 'rules', 'form', 'url', 'path', 'file']);

/** `password`, `user.password`, `raw_pwd`, `data["password"]`: a plaintext password, not its hash or reset token. */
export function isPasswordName(name: string): boolean {
  const words = nameWords(name);
  return words.some((w) => PASSWORD_WORDS.has(w)) && !words.some((w) => NOT_THE_PASSWORD.has(w));
}

/** Words that alone make a value a secret. */
const SECRET_WORDS = new Set(['token', 'secret', 'salt', 'nonce', 'otp', 'totp', 'hotp', 'csrf', 'xsrf', 'apikey', 'sessionid', 'passphrase', ...PASSWORD_WORDS]);
/** `code` and `pin` are secrets only next to one of these (`reset_code`, `verification_pin`), not `country_code`. */
const CODE_CONTEXT = new Set(['reset', 'verify', 'verification', 'confirm', 'confirmation', 'auth', 'login', 'otp', 'sms', 'mfa', '2fa', 'activation', 'invite', 'recovery', 'security', 'one', 'access', 'unlock', 'magic']);
/** `key` is a secret only in these compounds or with a crypto word (`api_key`, `signing_key`), not `sort_key`. */
const KEY_CONTEXT = new Set(['api', 'secret', 'signing', 'sign', 'encryption', 'crypt', 'aes', 'hmac', 'private', 'access', 'session', 'auth', 'license', 'master', 'jwt', 'cipher', 'client', 'app', 'shared', 'psk']);
/** Last words that make the name describe the secret (its type, length, expiry) rather than hold it. */
const DESCRIPTORS = new Set(['type', 'kind', 'name', 'len', 'length', 'count', 'size', 'expires', 'expiry', 'exp', 'ttl', 'age', 'version', 'format', 'url', 'path', 'file', 'header', 'field', 'param', 'prefix', 'label', 'hash', 'hashed', 'digest', 'id', 'ids', 'index', 'idx', 'created', 'used', 'valid', 'required', 'enabled', 'attempts', 'seconds', 'minutes', 'algorithm', 'alg']);

/** The name says the value is a token, password, key, salt, nonce, OTP, reset code, session id, CSRF token or API key. */
export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (!words.length) return false;
  const last = words[words.length - 1];
  if (words.length > 1 && DESCRIPTORS.has(last) && !(last === 'id' && words[words.length - 2] === 'session')) return false;
  return words.some((w, i) => {
    if (SECRET_WORDS.has(w)) return true;
    const prev = words[i - 1];
    if (w === 'key') return prev !== undefined && KEY_CONTEXT.has(prev);
    if (w === 'code' || w === 'pin') return words.some((o) => CODE_CONTEXT.has(o));
    if (w === 'id') return prev === 'session';
    if (w === 'reset') return words.length === 1;
    return false;
  });
}

/** Words that make a compared value a credential check: signatures, MACs, digests, secrets, passwords. */
const COMPARED_WORDS = new Set(['signature', 'signed', 'hmac', 'mac', 'digest', 'hexdigest', 'secret', 'apikey', 'csrf', 'xsrf', 'otp', 'totp', ...PASSWORD_WORDS]);
/**
 * `token` names a credential only with one of these (`access_token`, `expected_token`, `reset_token`);
 * alone, or as `current_token`, `next_token`, `cache_token`, it is as often a lexer's or a cache's token.
 */
const TOKEN_CONTEXT = new Set(['access', 'auth', 'authentication', 'csrf', 'xsrf', 'api', 'session', 'reset', 'refresh', 'bearer', 'expected', 'provided', 'given', 'submitted', 'stored', 'secret', 'verify', 'verification', 'confirm', 'confirmation', 'invite', 'invitation', 'magic', 'login', 'jwt', 'oauth', 'remember', 'security', 'unsubscribe', 'activation', 'webhook', 'user', 'client', 'id', 'personal', 'service', 'otp', 'mfa', 'sms', 'email']);

/**
 * How surely a name holds a value a timing-safe comparison should check: `strong` for `signature`,
 * `expected_hmac`, `X-Hub-Signature-256`, `access_token`; `weak` for a bare `token` (a credential only when
 * compared with request data or with a strong one); undefined for anything else.
 */
export function comparedSecretStrength(name: string): 'strong' | 'weak' | undefined {
  const words = nameWords(name);
  if (!words.length) return undefined;
  const last = words[words.length - 1];
  if (words.length > 1 && DESCRIPTORS.has(last) && last !== 'digest' && last !== 'hash') return undefined;
  if (words.length > 1 && (last === 'address' || last === 'addr')) return undefined; // `mac_address`
  if (words.some((w) => COMPARED_WORDS.has(w))) return 'strong';
  if (words.some((w, i) => w === 'key' && i > 0 && KEY_CONTEXT.has(words[i - 1]))) return 'strong';
  // `token` names the value only as the last word (`csrf_token`, `token2`), not in `token_user`, `token_count`
  const named = words.filter((w) => !/^\d+$/.test(w));
  if (named[named.length - 1] === 'token') return named.some((w) => TOKEN_CONTEXT.has(w)) ? 'strong' : 'weak';
  return undefined;
}

/** A name whose value a timing-safe comparison should check (`signature`, `expected_hmac`, `X-Hub-Signature-256`). */
export function isComparedSecretName(name: string): boolean {
  return comparedSecretStrength(name) !== undefined;
}

/** The name a value is known by where it is stored or read: `x`, `obj.attr` -> attr, `d["key"]` -> key. */
export function nodeName(ctx: RuleContext, node: Node): string | undefined {
  switch (node.type) {
    case 'identifier':
      return node.text;
    case 'attribute':
      return node.childForFieldName('attribute')?.text;
    case 'subscript': {
      const key = node.childForFieldName('subscript');
      const s = key ? ctx.string(key) : undefined;
      return s && !s.dynamic ? s.value : undefined;
    }
    default:
      return undefined;
  }
}

/** The binding of `name` in force in the current scope chain (latest one). */
function bindingOf(scope: Scope, name: string): Binding | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const list = s.bindings.get(name);
    if (list) return list[list.length - 1];
  }
  return undefined;
}

/** True when `module` is imported under its own name where the rule looks (so a fix may write `secrets.choice`). */
export function moduleBound(ctx: RuleContext, module: string): boolean {
  const b = bindingOf(ctx.scope, module);
  return b?.kind === 'import' && b.qname === module;
}

/** The fix description, telling the developer to add the import a replacement needs when the file lacks it. */
export function withImport(ctx: RuleContext, module: string, description: string): string {
  return moduleBound(ctx, module) ? description : `${description}, and add \`import ${module}\` at the top of the module`;
}
