import { decodeUtf7 } from '../../src/python/utf7.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe("UTF-7 as CPython's strict codec decodes it", () => {
  // Expected values from CPython 3: bytes.decode('utf-7').
  it.each([
    ['+AGEAYgBj-', 'abc'],
    ['+-', '+'],
    ['Hi Mom -+Jjo--!', 'Hi Mom -☺-!'],
    ['+ZeVnLIqe-', '日本語'],
    ['+2D3eAA-', '😀'], // a surrogate pair across base64 characters
    ['+AGE', 'a'], // unterminated at the end: 18 bits, 2 zero bits left over
    ['a+AGE.', 'aa.'], // ended by a direct character, which is kept
    ['+AGEAYg-x', 'abx'], // 36 bits: two units and 4 zero bits
    ['+AGEAYgBjAGQ-', 'abcd'],
    ['+AGEAYgBjAGQAZQ-', 'abcde'],
    ['~\\', '~\\'],
    ['+', ''],
    ['x = 1\r\n+AGU-val(y)\n', 'x = 1\r\neval(y)\n'],
  ])('%j -> %j', (input, expected) => {
    expect(decodeUtf7(bytes(input))).toEqual({ ok: true, text: expected });
  });

  it.each([
    ['+AGF-', 'non-zero padding bits in shift sequence', 0],
    ['+AG-', 'partial character in shift sequence', 0],
    ['+A-', 'partial character in shift sequence', 0],
    ['ab+\xe9', 'ill-formed sequence', 2],
    ['\xe9', 'unexpected special character', 0],
    ['+!', 'ill-formed sequence', 0],
    ['+2D0', 'unterminated shift sequence', 0], // a high surrogate and nothing after it
  ])('%j is refused: %s', (input, reason, offset) => {
    expect(decodeUtf7(bytes(input))).toEqual({ ok: false, reason, offset });
  });
});
