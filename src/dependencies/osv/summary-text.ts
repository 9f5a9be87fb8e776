/**
 * Advisory summaries as pyward quotes them: clipped on a word boundary with one ellipsis, and ended with
 * exactly one stop when a sentence follows (advisories end theirs with `.`, or not at all, or with `...`).
 */

/** At most `max` characters: cut at the last space before the limit, trailing punctuation dropped, one `…`. */
export function trimOnWord(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, max - 1);
  const space = room.lastIndexOf(' ');
  // A single word longer than a third of the room is cut inside it rather than leaving almost nothing.
  const cut = flat[max - 1] === ' ' ? room : space > max / 3 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s.,;:!?…-]+$/, '')}…`;
}

/** The text as a sentence: one final `.`, unless it already ends with `.`, `!`, `?` or an ellipsis. */
export function asSentence(text: string): string {
  const t = text.trim();
  if (/(\.\.\.|…)$/.test(t)) return t.replace(/\.\.\.$/, '…');
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
