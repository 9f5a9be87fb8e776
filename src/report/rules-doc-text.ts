/** Markdown code spans and blocks that survive backticks in the text. */

/** A fenced block whose fence is longer than any backtick run inside the code. */
export function codeBlock(code: string, language = 'python'): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(code) + 1));
  return `${fence}${language}\n${code.replace(/\n+$/, '')}\n${fence}`;
}

/** Inline code that survives backticks in the text. */
export function inlineCode(text: string): string {
  const ticks = '`'.repeat(longestBacktickRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

