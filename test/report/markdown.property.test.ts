/**
 * Whatever a pull request writes, the Markdown pyward builds from it cannot mention anyone, link, embed
 * HTML or images, break a table row, open a block, or leave its code span or fence. Checked on the
 * escaped text itself (no Markdown renderer is a dependency): every character that could start markup is
 * escaped or defused.
 */
import fc from 'fast-check';
import { fingerprintMarker, parseFingerprints } from '../../src/report/fingerprint-marker.js';
import { htmlCommentText, mdCell, mdCode, mdFence, mdLink, mdMessage, mdText, mdUrl } from '../../src/report/markdown.js';
import { suggestionBlock } from '../../src/report/review-comments.js';
import { propertyOptions } from '../helpers/property.js';

/** Pieces a hostile author reaches for, mixed with arbitrary text. */
const HOSTILE = [
  '@org/team', '@user', '<img src=x onerror=alert(1)>', '<details>', '<!--', '-->', '[x](https://e.example)', '![i](u)',
  '|', '\n', '\r', '\r\n', '# ', '- ', '1. ', '> ', '```', '~~~', '`', '``', '\\', '&#64;', '&lt;', 'https://e.example',
  'www.e.example', '#12', 'GH-3', '\x1b]8;;http://e\x07', '\u202e', '\u2028', '\x00', '*', '_', '$', '<!-- pyward:fingerprint=abc123 -->',
];
const text = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 }).map((parts) => parts.join(''));

/** How many backslashes end `s` before index i: odd means the character at i is escaped. */
function escaped(s: string, i: number): boolean {
  let n = 0;
  while (i - n - 1 >= 0 && s[i - n - 1] === '\\') n++;
  return n % 2 === 1;
}

/** The text of inline Markdown outside its code spans, scanned as CommonMark does (escapes first, then runs). */
function outsideCode(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] === '\\' && i + 1 < md.length && /[!-/:-@[-`{-~]/.test(md[i + 1])) {
      out += md.slice(i, i + 2);
      i += 2;
    } else if (md[i] === '`') {
      const run = /^`+/.exec(md.slice(i))![0];
      const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
      close.lastIndex = i + run.length;
      const m = close.exec(md);
      if (m) i = m.index + run.length;
      else {
        out += run;
        i += run.length;
      }
    } else out += md[i++];
  }
  return out;
}

function assertPlainText(out: string): void {
  expect(out).not.toMatch(/[\n\r\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
  expect(out).not.toMatch(/[<>]/); // no HTML, autolink or quote
  expect(out).not.toMatch(/@(?!\u200b)/); // no mention, no e-mail link
  expect(out).not.toMatch(/:\/\/|\bwww\./i); // no bare link
  expect(out).not.toMatch(/#(?=\d)/); // no issue reference
  expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/); // no entity smuggling a character
  expect(out).not.toMatch(/^(#|[-+=*]|\d+[.)]|\s)/); // no block opened at its start
  for (let i = 0; i < out.length; i++) {
    if ('`[]|*~$'.includes(out[i])) expect(escaped(out, i)).toBe(true);
  }
}

describe('Markdown escaping (property)', () => {
  it('mdText: one line of plain text, nothing in it is markup', () => {
    fc.assert(
      fc.property(text, (s) => assertPlainText(mdText(s))),
      propertyOptions(),
    );
  });

  it('mdCode: one line, the delimiter outgrows every backtick run, the content is the input shown', () => {
    fc.assert(
      fc.property(text, fc.boolean(), (s, table) => {
        const out = mdCode(s, { table });
        expect(out).not.toMatch(/[\n\r]/);
        const ticks = /^`+/.exec(out)![0];
        expect(out.endsWith(ticks)).toBe(true);
        const inner = out.slice(ticks.length, out.length - ticks.length);
        for (const run of inner.match(/`+/g) ?? []) expect(run.length).toBeLessThan(ticks.length);
        if (table) for (let i = 0; i < inner.length; i++) if (inner[i] === '|') expect(inner[i - 1]).toBe('\\');
      }),
      propertyOptions(),
    );
  });

  it('a table cell of a message keeps the row: one line, every pipe escaped', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = mdCell(mdMessage(s, { table: true }));
        expect(out).not.toMatch(/[\n\r]/);
        for (let i = 0; i < out.length; i++) if (out[i] === '|') expect(out[i - 1]).toBe('\\');
        // Outside its code spans a message is plain text.
        expect(outsideCode(out)).not.toMatch(/[<>]|@(?!\u200b)|:\/\//);
      }),
      propertyOptions(),
    );
  });

  it('a link stays one link: its text and destination cannot close it', () => {
    fc.assert(
      fc.property(text, text, (label, path) => {
        const url = mdUrl(`https://github.com/o/r/blob/s/${path}#L1`);
        expect(url).not.toMatch(/[\s()<>|`\\"]/);
        const link = mdLink(label, `https://github.com/o/r/blob/s/${path}#L1`);
        const brackets = link.split('').flatMap((c, i) => ('[]'.includes(c) && !escaped(link, i) ? [`${c}${i}`] : []));
        expect(brackets).toEqual(['[0', `]${link.indexOf('](https://github.com/o/r/blob/s/')}`]);
      }),
      propertyOptions(),
    );
  });

  it('a fence is never closed early, and a marker inside it never counts', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (lines) => {
        const block = mdFence(lines.join('\n'), 'suggestion');
        const fence = /^`+/.exec(block)![0];
        const inner = block.split('\n').slice(1, -1);
        for (const line of inner.join('\n').split(/\r\n|\r|\n/)) expect(line).not.toMatch(new RegExp(`^ {0,3}\`{${fence.length},}\\s*$`));
        const body = `${mdMessage(lines.join(' '))}\n\n${suggestionBlock(lines.flatMap((l) => l.split('\n')))}\n\n${fingerprintMarker('0a1b2c')}`;
        expect(parseFingerprints(body)).toEqual(['0a1b2c']);
      }),
      propertyOptions(),
    );
  });

  it('text inside an HTML comment cannot end it', () => {
    fc.assert(
      fc.property(text, (s) => expect(htmlCommentText(s)).not.toMatch(/--|[<>]/)),
      propertyOptions(),
    );
  });
});
