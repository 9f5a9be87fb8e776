/**
 * The one escaping layer for the Markdown pyward posts on GitHub. Anything a pull request controls (paths,
 * source text, messages quoting it, lockfile names and versions, its config) and anything from advisory
 * data goes through one of these, chosen by where it lands: running text, a table cell, a code span, a link,
 * a fenced block, an HTML comment. After it, a value cannot mention anyone, link, embed an image or HTML,
 * break a table row, start a block (heading, quote, list) or leave the code span or block it is in.
 *
 * GitHub turns `@name`, `#12`, bare URLs and e-mail addresses into mentions and links *after* Markdown is
 * rendered, on the text itself, so backslash escapes do not stop them: a zero-width space does
 * (Renovate's and Dependabot's way), invisible to the reader.
 */

const ZWSP = '\u200b';

/**
 * Characters that change how text reads or where lines break: C0 and C1 controls, DEL, line/paragraph
 * separators, and bidirectional controls (Trojan Source). Tab is left alone.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\n` -> `␊`, other C0 controls -> their control picture, the rest -> `[U+202E]`: visible, one line. */
export function visibleControls(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `[U+${code.toString(16).toUpperCase().padStart(4, '0')}]`;
  });
}

/** Text GitHub would turn into a mention, an issue reference or a link, broken by a zero-width space. */
function defuseAutolinks(text: string): string {
  return text
    .replace(/@/g, `@${ZWSP}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1-${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`);
}

/**
 * Untrusted text as plain running text on one line: what it says is shown as written, nothing in it is
 * Markdown or HTML. Safe in a paragraph, a list item, a table cell and link text.
 */
export function mdText(text: string): string {
  return plainText(text, true);
}

function plainText(text: string, blockStart: boolean): string {
  const escaped = visibleControls(text)
    .replace(/\t/g, ' ')
    .replace(/[\\`*~[\]|$]/g, (c) => `\\${c}`)
    // `_` only emphasises at a word boundary (`safe_load` is plain text in GFM).
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  // A value can land at the start of a block (a list item, a paragraph): no heading, list, quote or rule.
  const start = blockStart ? escaped.trimStart().replace(/^(#|[-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2') : escaped;
  return defuseAutolinks(start);
}

/**
 * A message: a trusted template holding untrusted values (B607's program name, a lockfile's package, a
 * config key), with `single backticks` around code. It is rendered as plain text except those spans,
 * which become code spans of their own content. A value cannot do more than move where a span starts or
 * ends: what is outside a span is plain text (mdText), what is inside is code (mdCode).
 */
export function mdMessage(text: string, options: { table?: boolean } = {}): string {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(/`([^`\n\r]+)`/g)) {
    if (m.index > last) out.push(plainText(text.slice(last, m.index), last === 0));
    out.push(mdCode(m[1], options));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(plainText(text.slice(last), last === 0));
  return out.join('');
}

/**
 * An inline code span of untrusted text. Line breaks and controls are shown as symbols (a code span cannot
 * cross a table row or a paragraph); the delimiter outgrows any backtick run inside. In a table cell a `|`
 * must be escaped even inside code (GFM splits the row first).
 */
export function mdCode(text: string, options: { table?: boolean } = {}): string {
  let code = visibleControls(text);
  if (options.table) code = code.replace(/\|/g, '\\|');
  if (code === '') return '` `';
  const ticks = '`'.repeat(longestBacktickRun(code) + 1);
  // CommonMark strips one space at each end when both are there, and a backtick at an end would join the delimiter.
  const pad = code.startsWith('`') || code.endsWith('`') || (code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${code}${pad}${ticks}`;
}

/**
 * A table cell from Markdown that is already safe (built with mdText / mdCode): one line, and a `|` that
 * is not escaped yet is escaped, so the row keeps its columns.
 */
export function mdCell(markdown: string): string {
  return markdown.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').replace(/(?<!\\)\|/g, '\\|');
}

/**
 * A link destination: characters that could end it (`)`, space, `<`, `>`), break a table row (`|`) or a
 * line are percent-encoded. Only http(s) and relative URLs are linked.
 */
export function mdUrl(url: string): string {
  const safe = /^(https?:\/\/|[^:]*$)/i.test(url) ? url : '#';
  return safe.replace(/[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** A link whose text is untrusted (`[app/x.py:3](…)`). */
export function mdLink(text: string, url: string): string {
  return `[${mdText(text)}](${mdUrl(url)})`;
}

/** A fenced code block (a ```suggestion, a snippet): the fence is longer than any backtick run inside. */
export function mdFence(code: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(code) + 1));
  return `${fence}${info.replace(/[`\s]/g, '')}\n${code}\n${fence}`;
}

/** Text inside an HTML comment: it cannot end the comment (`-->`, `--!>`) or open another. */
export function htmlCommentText(text: string): string {
  return visibleControls(text).replace(/-{2,}/g, (m) => m.split('').join(ZWSP)).replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}
