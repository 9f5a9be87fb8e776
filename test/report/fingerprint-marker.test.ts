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
    ['one marker', 'x <!-- pyward:fingerprint=aa11 --> y', ['aa11']],
    ['no inner spaces', '<!--pyward:fingerprint=aa11-->', ['aa11']],
    ['extra whitespace and newlines', '<!--   pyward:fingerprint = aa11 \n -->', ['aa11']],
    ['several, in order', '<!-- pyward:fingerprint=b2 -->\n<!-- pyward:fingerprint=a1 -->', ['b2', 'a1']],
    ['other HTML comments ignored', '<!-- other:fingerprint=zz --><!-- pyward:fingerprint=a1 -->', ['a1']],
    ['an empty marker is no fingerprint', '<!-- pyward:fingerprint= -->', []],
    ['an unclosed marker is ignored', '<!-- pyward:fingerprint=a1', []],
  ])('%s', (_name, body, expected) => {
    expect(parseFingerprints(body)).toEqual(expected);
  });
});
