/** git's lines (LF only) -> the analysis's lines (a lone CR ends a line too, as in CPython). */
import { AddedLines, bareCrLineStarts } from '../../src/diff/patch.js';

describe('bareCrLineStarts', () => {
  it.each([
    ['LF only', 'a\nb\n', undefined],
    ['CRLF only', 'a\r\nb\r\n', undefined],
    ['CR only (the last CR opens an empty line 4)', 'a\rb\rc\r', [1, 5]],
    ['CR only, no final CR', 'a\rb\rc', [1, 4]],
    ['mixed: CR inside the second git line', 'a\r\nb\rc\nd', [1, 2, 4, 5]],
    ['a lone CR at the very end of a CRLF file', 'a\r\nb\r', [1, 2, 4]],
  ])('%s', (_name, text, expected) => {
    expect(bareCrLineStarts(text)).toEqual(expected);
    expect(bareCrLineStarts(new Uint8Array(Buffer.from(text)))).toEqual(expected);
  });
});

describe('AddedLines.splitBareCr', () => {
  const patched = (patch: string) => AddedLines.fromPatches([{ path: 'a.py', patch }]);
  const addedOf = (added: AddedLines, upTo: number) => Array.from({ length: upTo }, (_, i) => i + 1).filter((l) => added.has('a.py', l));

  it('a new CR-only file (one git line) is added on every line', () => {
    const text = 'import os\rx = input()\reval(x)\r';
    const added = patched(`@@ -0,0 +1 @@\n+${text}\n\\ No newline at end of file`);
    expect(addedOf(added, 5)).toEqual([1]);
    added.splitBareCr('a.py', text);
    expect(addedOf(added, 6)).toEqual([1, 2, 3, 4]);
  });

  it('mixed endings: only the lines inside the git lines the change added', () => {
    // git lines: 1 "a" (CRLF), 2 "b\\rc\\rd" (three lines), 3 "e"; the change added git line 2
    const text = 'a\r\nb\rc\rd\ne\n';
    const added = patched('@@ -1,2 +1,3 @@\n a\r\n+b\rc\rd\n e');
    added.splitBareCr('a.py', new Uint8Array(Buffer.from(text)));
    expect(addedOf(added, 7)).toEqual([2, 3, 4]);
  });

  it('text without a lone CR is left as it is; a UTF-16 file with CRs counts as wholly added', () => {
    const added = patched('@@ -1 +1,2 @@\n a\n+b');
    added.splitBareCr('a.py', 'a\nb\n');
    expect(addedOf(added, 3)).toEqual([2]);
    const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\r\nb\r\n', 'utf16le')]));
    added.splitBareCr('a.py', utf16);
    expect(added.wholeFile('a.py')).toBe(true);
  });
});
