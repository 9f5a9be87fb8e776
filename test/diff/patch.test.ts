import { AddedLines, addedRanges } from '../../src/diff/patch.js';

describe('addedRanges', () => {
  it.each([
    ['one added line', '@@ -1,2 +1,3 @@\n a\n+b\n c', [{ start: 2, end: 2 }]],
    ['consecutive lines merge', '@@ -0,0 +1,3 @@\n+a\n+b\n+c', [{ start: 1, end: 3 }]],
    ['removals do not advance', '@@ -1,3 +1,2 @@\n-a\n-b\n+x\n c', [{ start: 1, end: 1 }]],
    ['two hunks', '@@ -1,1 +1,2 @@\n a\n+b\n@@ -10,2 +11,3 @@\n c\n+d\n e', [{ start: 2, end: 2 }, { start: 12, end: 12 }]],
    ['no newline marker', '@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file', [{ start: 1, end: 1 }]],
    ['hunk header without counts', '@@ -3 +3 @@ def f():\n-x\n+y', [{ start: 3, end: 3 }]],
    ['added line that looks like a header', '@@ -1,1 +1,2 @@\n a\n+++counter', [{ start: 2, end: 2 }]],
    ['empty context line', '@@ -1,3 +1,4 @@\n a\n\n+b\n c', [{ start: 3, end: 3 }]],
    ['CRLF patch', '@@ -1,1 +1,2 @@\r\n a\r\n+b\r\n', [{ start: 2, end: 2 }]],
    ['only removals', '@@ -1,2 +1,0 @@\n-a\n-b', []],
    ['empty patch', '', []],
  ])('%s', (_name, patch, expected) => {
    expect(addedRanges(patch)).toEqual(expected);
  });
});

describe('AddedLines', () => {
  const added = AddedLines.fromPatches([
    { path: 'a.py', patch: '@@ -1,2 +1,4 @@\n x\n+y\n+z\n w' },
    { path: 'big.py' },
    { path: 'gone.py', status: 'removed', patch: '@@ -1 +0,0 @@\n-x' },
  ]);
  it.each([
    ['a.py', 1, false],
    ['a.py', 2, true],
    ['a.py', 3, true],
    ['a.py', 4, false],
    ['big.py', 999, true],
    ['gone.py', 1, false],
    ['other.py', 1, false],
  ])('%s:%d added: %s', (path, line, expected) => {
    expect(added.has(path as string, line as number)).toBe(expected);
  });
  it('anchors a multi-line finding on its first added line', () => {
    expect(added.firstAddedIn('a.py', 1, 5)).toBe(2);
    expect(added.firstAddedIn('a.py', 4, 5)).toBeUndefined();
    expect(added.firstAddedIn('big.py', 7, 9)).toBe(7);
  });
});
