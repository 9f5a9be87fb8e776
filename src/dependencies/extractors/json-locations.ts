/** Lines of object keys in JSON text (JSON.parse gives no positions). Keys up to `maxDepth` levels deep. */
import { lineLocator } from './text-lines.js';

/** Map from a key path joined with `\u0000` (`default\u0000django`) to its 1-based line. */
export function jsonKeyLines(text: string, maxDepth = 2): Map<string, number> {
  const lineOf = lineLocator(text);
  const out = new Map<string, number>();
  const stack: { kind: '{' | '['; key?: string }[] = [];
  let pendingKey: { value: string; offset: number } | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let value = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\') i++;
        value += text[i];
      }
      const top = stack[stack.length - 1];
      let j = i + 1;
      while (/\s/.test(text[j] ?? '')) j++;
      if (top?.kind === '{' && text[j] === ':') pendingKey = { value, offset: start };
    } else if (c === ':' && pendingKey) {
      const top = stack[stack.length - 1];
      top.key = pendingKey.value;
      const path = stack.map((s) => s.key ?? '');
      if (path.length <= maxDepth && !out.has(path.join('\u0000'))) out.set(path.join('\u0000'), lineOf(pendingKey.offset));
      pendingKey = undefined;
    } else if (c === '{' || c === '[') {
      stack.push({ kind: c });
    } else if (c === '}' || c === ']') {
      stack.pop();
    }
  }
  return out;
}

/** JSON.parse's error as a message and, when V8 reports a position, a line. */
export function jsonError(err: unknown, text: string): { message: string; line?: number } {
  const message = err instanceof Error ? err.message : String(err);
  const lineCol = /line (\d+) column/.exec(message);
  if (lineCol) return { message, line: Number(lineCol[1]) };
  const position = /position (\d+)/.exec(message);
  return position ? { message, line: lineLocator(text)(Number(position[1])) } : { message };
}
