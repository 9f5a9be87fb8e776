/**
 * The terminal report of hostile paths, messages and snippets: no control character reaches the output
 * (pyward's own colour codes aside) and no line is a GitHub Actions workflow command.
 */
import fc from 'fast-check';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { Finding, Review } from '../../src/engine/types.js';
import { renderText } from '../../src/report/text.js';
import { defuseWorkflowCommand, terminalText } from '../../src/report/terminal.js';
import { propertyOptions } from '../helpers/property.js';

const HOSTILE = ['\n', '\r', '\r\n', '::warning file=x::pwned', '::add-mask::x', '##[error]x', '\x1b[2K', '\x1b]8;;http://e\x07', '\x9b31m', '\u202e', '\u2066', '\u2028', '\x00', '\x7f', ' ', '\t', 'eval(x)'];
const text = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 10 }).map((p) => p.join(''));

function finding(path: string, message: string, snippet: string, label: string): Finding {
  return {
    ruleId: 'B307',
    ruleName: 'eval',
    message,
    severity: 'medium',
    confidence: 'high',
    location: { path, startLine: 3, startColumn: 1, endLine: 3, endColumn: 9 },
    snippet,
    fingerprint: 'f',
    fix: { description: message },
    flow: [{ location: { path, startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 }, label }],
  };
}

function review(f: Finding, note: string): Review {
  return {
    findings: [f],
    suppressed: [],
    errors: [{ path: f.location.path, kind: 'syntax', message: note, line: 2 }],
    stats: { filesAnalysed: 1, filesSkipped: 0, lines: 3, durationMs: 1 },
    dependencies: { advisories: [], status: { state: 'unavailable', message: note, packages: 0 }, notes: [note] },
  } as unknown as Review;
}

describe('terminal output (property)', () => {
  it('no control character and no workflow command, with and without colour', () => {
    fc.assert(
      fc.property(text, text, text, text, fc.boolean(), (path, message, snippet, note, color) => {
        const out = renderText(review(finding(path, message, snippet, note), note), [], { color, failOn: DEFAULT_CONFIG.fail_on });
        // pyward's own SGR colour codes are the only escape sequences.
        const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
        expect(plain).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
        expect(plain).not.toContain('##[');
        for (const line of plain.split('\n')) expect(line.trim().startsWith('::')).toBe(false);
        // Every line is one of pyward's: values never add lines.
        const x = (v: string) => (v === '' ? '' : 'x');
        const reference = renderText(review(finding(x(path), x(message), x(snippet), x(note)), x(note)), [], { color: false, failOn: DEFAULT_CONFIG.fail_on });
        expect(plain.split('\n').length).toBe(reference.split('\n').length);
      }),
      propertyOptions(),
    );
  });

  it('terminalText leaves printable text alone and shows the rest as escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), (s) => {
        const clean = !/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s) && !s.includes('##[');
        if (clean) expect(terminalText(s)).toBe(s);
      }),
      propertyOptions(),
    );
  });
});

describe('terminalText', () => {
  it.each([
    ['a newline in a path', 'a\n::warning file=x::pwned.py', 'a\\n::warning file=x::pwned.py'],
    ['a CR hiding a call', 'eval(x)\r# fine', 'eval(x)\\r# fine'],
    ['ESC and OSC sequences', '\x1b[2K\x1b]8;;http://e\x07', '\\e[2K\\e]8;;http://e\\x07'],
    ['C1 CSI', '\x9b31m', '\\x9b31m'],
    ['bidi overrides', 'a\u202eb\u2066', 'a\\u202eb\\u2066'],
    ['old-style workflow commands anywhere', 'x ##[error]y', 'x #\u200b#[error]y'],
    ['a tab stays', 'a\tb', 'a\tb'],
  ])('%s', (_name, input, expected) => {
    expect(terminalText(input)).toBe(expected);
  });

  it('a line that would start with :: is defused, colour codes looked through', () => {
    expect(defuseWorkflowCommand('  ::warning::x')).toBe('  :\u200b:warning::x');
    expect(defuseWorkflowCommand('\x1b[1m::x\x1b[22m')).toBe('\x1b[1m:\u200b:x\x1b[22m');
    expect(defuseWorkflowCommand('a ::x')).toBe('a ::x');
  });
});
