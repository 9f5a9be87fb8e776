/**
 * Text from a pull request, shown in a terminal or a CI log. Paths, snippets and messages may hold control
 * characters: a newline in a path would start a log line of its own (`::warning ...` is a GitHub Actions
 * workflow command), a CR returns the cursor and hides what came before it, ESC/OSC sequences recolour,
 * retitle or hyperlink the terminal, and bidi overrides reorder what is read. They are shown as escapes.
 */
import { UNSAFE_CHARS } from './markdown.js';

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\x1b': '\\e', '\x00': '\\0' };

/** One line of text with every control, C1 and bidi character shown as an escape (`\r`, `\e`, `\u202e`). */
export function terminalText(text: string): string {
  const shown = text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
  // `##[command]` is a workflow command wherever it is on a line (the runner's older syntax).
  return shown.replace(/##\[/g, '#\u200b#[');
}

/**
 * A finished line: one that would start (after spaces) with `::`, a workflow command, gets a zero-width
 * space between the colons. Colour codes are pyward's own and are looked through.
 */
export function defuseWorkflowCommand(line: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
  if (!/^\s*::/.test(plain)) return line;
  return line.replace('::', ':\u200b:');
}
