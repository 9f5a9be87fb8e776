import { fingerprintMarker, parseFingerprints } from '../../src/report/fingerprint-marker.js';

describe('fingerprintMarker', () => {
  it('is a hidden HTML comment', () => {
    expect(fingerprintMarker('0a1b2c3d4e5f60718293')).toBe('<!-- pyward:fingerprint=0a1b2c3d4e5f60718293 -->');
  });

  it('round-trips through parseFingerprints', () => {
    expect(parseFingerprints(`Some text\n\n${fingerprintMarker('abc123')}`)).toEqual(['abc123']);
  });
});

describe('parseFingerprints', () => {
  it.each([
    ['no marker', 'just a comment', []],
    ['one marker on its line', 'x\n\n<!-- pyward:fingerprint=aa11 -->', ['aa11']],
    ['trailing whitespace and CRLF', 'x\r\n<!-- pyward:fingerprint=aa11 -->  \r\n', ['aa11']],
    ['several, in order', '<!-- pyward:fingerprint=b2 -->\n<!-- pyward:fingerprint=a1 -->', ['b2', 'a1']],
    ['other HTML comments ignored', '<!-- other:fingerprint=zz -->\n<!-- pyward:fingerprint=a1 -->', ['a1']],
    ['an empty marker is no fingerprint', '<!-- pyward:fingerprint= -->', []],
    ['an unclosed marker is ignored', '<!-- pyward:fingerprint=a1', []],
    // pyward never writes these shapes; a PR line or a user could.
    ['inside a line of text', 'x <!-- pyward:fingerprint=aa11 --> y', []],
    ['not hex', '<!-- pyward:fingerprint=zz11 -->', []],
    ['spread over lines', '<!--   pyward:fingerprint = aa11 \n -->', []],
    ['indented as code', '    <!-- pyward:fingerprint=aa11 -->', []],
    ['in a suggestion block', '```suggestion\n<!-- pyward:fingerprint=dead -->\n```\n\n<!-- pyward:fingerprint=a1 -->', ['a1']],
    ['in a longer fence holding a shorter one', '````suggestion\n```\n<!-- pyward:fingerprint=dead -->\n````\n<!-- pyward:fingerprint=a1 -->', ['a1']],
    ['in a tilde fence', '~~~\n<!-- pyward:fingerprint=dead -->\n~~~', []],
    ['in a fence never closed', '```python\n<!-- pyward:fingerprint=dead -->', []],
  ])('%s', (_name, body, expected) => {
    expect(parseFingerprints(body)).toEqual(expected);
  });
});
