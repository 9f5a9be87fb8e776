/**
 * Snippets of hard-coded secret findings go to CI logs, JSON, SARIF and GitHub: the secret itself must not.
 * The string literals of the flagged line are redacted, except a literal that is only a key naming the
 * secret (`config["password"] = ...`, `{"token": ...}`), which is what a reader needs to find it.
 */

import { redactCredentials } from '../rules/secrets/detect.js';

export { redactCredentials };

/** Rules whose finding's line holds a secret value. */
export const SECRET_RULES: ReadonlySet<string> = new Set(['B105', 'B106', 'B107', 'PW202']);

export function isSecretRule(ruleId: string): boolean {
  return SECRET_RULES.has(ruleId) || /^PW4\d\d$/.test(ruleId);
}

/** `***` for a short value; a long one keeps its last 4 characters, to tell which credential to rotate. */
export function redactValue(value: string): string {
  return value.length >= 16 ? `***${value.slice(-4)}` : '***';
}

// A Python string literal on one line: prefix, quote, body; a triple-quoted one may run past the line's end.
const LITERAL = /(?<![A-Za-z0-9_])([rRbBuUfF]{0,2})("""|'''|"|')((?:\\.|(?!\2)[^\\])*?)(\2|$)/g;

/** The line with the value of every string literal redacted, keys left as they are. */
export function redactSecretLiterals(line: string): string {
  return line.replace(LITERAL, (whole, prefix: string, quote: string, body: string, close: string, offset: number) => {
    const before = line.slice(0, offset);
    const after = line.slice(offset + whole.length);
    const subscript = /\[\s*$/.test(before) && /^\s*\]/.test(after);
    const dictKey = /(^|[{,])\s*$/.test(before) && /^\s*:/.test(after);
    const isKey = close !== '' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(body) && (subscript || dictKey);
    if (isKey || body === '') return whole;
    return `${prefix}${quote}${redactValue(body)}${close}`;
  });
}

/** `https://user:token@host/...` -> `https://***@host/...`: index URLs in requirement files often carry a token. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
}

/**
 * The snippet of any finding: credentials recognised by their format (PW401-PW403) are redacted on every
 * rule's line (a `requests.get(..., headers={"Authorization": "token ghp_..."})` line is also B113's), and a
 * secret rule's line has all its literals redacted. `fileText` gives the formats that need context their file.
 */
export function redactSnippet(ruleId: string, line: string, fileText?: string): string {
  const clean = redactCredentials(line, fileText !== undefined ? { fileText } : {});
  return isSecretRule(ruleId) ? redactSecretLiterals(clean) : clean;
}
