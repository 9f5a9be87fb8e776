import { defineRule } from '../rule.js';

/** Bandit's list: the embedding, override and isolate controls and RIGHT-TO-LEFT MARK. */
const BIDI_NAMES: Record<string, string> = {
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
  '\u200f': 'RIGHT-TO-LEFT MARK',
};
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200f]/g;
const BIDI_ANY = /[\u202a-\u202e\u2066-\u2069\u200f]/;

function describe(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${BIDI_NAMES[ch]}`;
}

export const bidiControlCharacters = defineRule({
  meta: {
    id: 'B613',
    name: 'trojansource',
    severity: 'high',
    confidence: 'medium',
    cwe: 838,
    doc: {
      summary: 'Unicode bidirectional control characters in the source (Trojan Source)',
      why: 'Bidi override and isolate characters reorder how a line is displayed without changing what Python parses. A reviewer sees a comment or a string, while the interpreter runs code hidden in it: an early return, a changed comparison, a skipped permission check (CVE-2021-42574).',
      bad: "if access_level != 'none\u202e\u2066': # Check if admin \u2069\u2066' and access_level != 'user",
      good: "if access_level != 'none':  # keep text direction marks out of code; use \\u escapes in strings that need them",
      fix: 'Remove the bidi control characters; where a string genuinely needs one, write it as an escape (`"\\u202e"`).',
      references: ['https://trojansource.codes/', 'https://www.cve.org/CVERecord?id=CVE-2021-42574', 'https://cwe.mitre.org/data/definitions/838.html'],
      banditDifferences: 'Reports every line that contains bidi control characters, naming them, with the span from the first to the last one; Bandit stops at the first character in the file.',
    },
  },
  visit: {},
  file(ctx) {
    if (!BIDI_ANY.test(ctx.text)) return; // almost every file: one scan, no line splitting
    const lines = ctx.text.split(/\r\n|\r|\n/);
    lines.forEach((line, i) => {
      const found = [...line.matchAll(BIDI)];
      if (!found.length) return;
      const first = found[0].index!;
      const last = found[found.length - 1].index!;
      const names = [...new Set(found.map((m) => describe(m[0])))].join(', ');
      ctx.reportRange(
        { startLine: i + 1, startColumn: first + 1, endLine: i + 1, endColumn: last + 2 },
        { message: `Bidirectional control characters (${names}) can make this line display differently from how Python reads it; remove them or write them as \\u escapes` },
      );
    });
  },
});
