import { decodePythonSource } from '../../src/python/decode.js';
import { decodableCodecs, lookupCodec, normalizeEncoding } from '../../src/python/codecs.js';
import iconv from 'iconv-lite';
import { analyzeSource, withConfig } from '../helpers/analyze.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';

const only = (ids: string[]) => withConfig({ rules: { ...DEFAULT_CONFIG.rules, select: ids } });

/** `# -*- coding: <cookie> -*-\nname = "<word>"; exec(name)\n` as CPython 3 encodes it (and compiles it). */
const CASES: [string, string, string][] = [
    ['cp437', 'café ½ ░', '23202d2a2d20636f64696e673a206370343337202d2a2d0a6e616d65203d20226361668220ab20b0223b2065786563286e616d65290a'],
    ['cp850', 'café ø', '23202d2a2d20636f64696e673a206370383530202d2a2d0a6e616d65203d202263616682209b223b2065786563286e616d65290a'],
    ['cp1252', 'café € “q”', '23202d2a2d20636f64696e673a20637031323532202d2a2d0a6e616d65203d2022636166e9208020937194223b2065786563286e616d65290a'],
    ['mac-roman', 'café ∂ π', '23202d2a2d20636f64696e673a206d61632d726f6d616e202d2a2d0a6e616d65203d20226361668e20b620b9223b2065786563286e616d65290a'],
    ['koi8-r', 'привет', '23202d2a2d20636f64696e673a206b6f69382d72202d2a2d0a6e616d65203d2022d0d2c9d7c5d4223b2065786563286e616d65290a'],
    ['shift_jis', '日本語 ｶﾀｶﾅ', '23202d2a2d20636f64696e673a2073686966745f6a6973202d2a2d0a6e616d65203d202293fa967b8cea20b6c0b6c5223b2065786563286e616d65290a'],
    ['euc-jp', '日本語', '23202d2a2d20636f64696e673a206575632d6a70202d2a2d0a6e616d65203d2022c6fccbdcb8ec223b2065786563286e616d65290a'],
    ['iso2022_jp', '日本語', '23202d2a2d20636f64696e673a2069736f323032325f6a70202d2a2d0a6e616d65203d20221b2442467c4b5c386c1b2842223b2065786563286e616d65290a'],
    ['gb2312', '中文', '23202d2a2d20636f64696e673a20676232333132202d2a2d0a6e616d65203d2022d6d0cec4223b2065786563286e616d65290a'],
    ['gbk', '中文 犇', '23202d2a2d20636f64696e673a2067626b202d2a2d0a6e616d65203d2022d6d0cec420a0c4223b2065786563286e616d65290a'],
    ['gb18030', '中文 😀', '23202d2a2d20636f64696e673a2067623138303330202d2a2d0a6e616d65203d2022d6d0cec4209439fc36223b2065786563286e616d65290a'],
    ['big5', '中文', '23202d2a2d20636f64696e673a2062696735202d2a2d0a6e616d65203d2022a4a4a4e5223b2065786563286e616d65290a'],
    ['latin-1', 'café', '23202d2a2d20636f64696e673a206c6174696e2d31202d2a2d0a6e616d65203d2022636166e9223b2065786563286e616d65290a'],
    ['l1', 'café', '23202d2a2d20636f64696e673a206c31202d2a2d0a6e616d65203d2022636166e9223b2065786563286e616d65290a'],
    ['iso8859_15', 'café €', '23202d2a2d20636f64696e673a2069736f383835395f3135202d2a2d0a6e616d65203d2022636166e920a4223b2065786563286e616d65290a'],
    ['Latin_1', 'café', '23202d2a2d20636f64696e673a204c6174696e5f31202d2a2d0a6e616d65203d2022636166e9223b2065786563286e616d65290a'],
    ['ISO-8859-1', 'é', '23202d2a2d20636f64696e673a2049534f2d383835392d31202d2a2d0a6e616d65203d2022e9223b2065786563286e616d65290a'],
    ['cp65001', 'café ☃', '23202d2a2d20636f64696e673a2063703635303031202d2a2d0a6e616d65203d2022636166c3a920e29883223b2065786563286e616d65290a'],
    ['utf-8-unix', 'é', '23202d2a2d20636f64696e673a207574662d382d756e6978202d2a2d0a6e616d65203d2022c3a9223b2065786563286e616d65290a'],
    ['utf-7', 'café ☃ +x', '23202d2a2d20636f64696e673a207574662d37202d2a2d0a6e616d65203d20226361662b414f6b202b4a674d202b2d78223b2065786563286e616d65290a'],
    ['UTF7', 'é', '23202d2a2d20636f64696e673a2055544637202d2a2d0a6e616d65203d20222b414f6b223b2065786563286e616d65290a'],
    ['latin', 'é', '23202d2a2d20636f64696e673a206c6174696e202d2a2d0a6e616d65203d2022e9223b2065786563286e616d65290a'],
    ['euc_kr', '한국어', '23202d2a2d20636f64696e673a206575635f6b72202d2a2d0a6e616d65203d2022c7d1b1b9beee223b2065786563286e616d65290a'],
    ['iso-8859-2', 'łódź', '23202d2a2d20636f64696e673a2069736f2d383835392d32202d2a2d0a6e616d65203d2022b3f364bc223b2065786563286e616d65290a'],
    ['utf8', 'é', '23202d2a2d20636f64696e673a2075746638202d2a2d0a6e616d65203d2022c3a9223b2065786563286e616d65290a'],
    ['cp1251', 'привет', '23202d2a2d20636f64696e673a20637031323531202d2a2d0a6e616d65203d2022eff0e8e2e5f2223b2065786563286e616d65290a'],
    ['ibm866', 'привет', '23202d2a2d20636f64696e673a2069626d383636202d2a2d0a6e616d65203d2022afe0a8a2a5e2223b2065786563286e616d65290a'],
];

describe('PEP 263 coding cookies: every codec CPython accepts is decoded', () => {
  it.each(CASES)('%s', async (cookie, word, hex) => {
    const bytes = Buffer.from(hex, 'hex');
    const decoded = decodePythonSource(bytes);
    expect(decoded).toEqual(expect.objectContaining({ ok: true, text: `# -*- coding: ${cookie} -*-\nname = "${word}"; exec(name)\n` }));
    // Findings sit on the decoded text's line and UTF-16 column.
    const result = await analyzeSource(bytes, 'enc.py', only(['B102']));
    expect(result.errors).toEqual([]);
    const column = 'name = "'.length + word.length + '"; '.length + 1;
    expect(result.findings.map((f) => [f.location.startLine, f.location.startColumn])).toEqual([[2, column]]);
  });

  it.each([
    ['no-such-codec', /unknown source encoding 'no-such-codec' in the coding cookie \(CPython refuses it too/],
    ['rot13', /declares 'rot13', a codec pyward cannot decode/], // not a text encoding
    ['cp037', /declares 'cp037', a codec pyward cannot decode/], // EBCDIC: CPython knows it
  ])('%s is a clear per-file reason', async (cookie, reason) => {
    const bytes = Buffer.from(`# coding: ${cookie}\nexec(x)\n`);
    const decoded = decodePythonSource(bytes);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.reason).toMatch(reason);
    const result = await analyzeSource(bytes, 'enc.py', only(['B102']));
    expect(result.analysed).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ kind: 'skipped', message: expect.stringMatching(reason) })]);
  });

  it('invalid UTF-7 is refused with where and why', () => {
    expect(decodePythonSource(Buffer.from('# coding: utf-7\nx = "+AGF-"\n'))).toEqual({ ok: false, reason: expect.stringMatching(/^not valid utf_7 text \(non-zero padding bits in shift sequence at byte \d+\)/) });
  });

  it('the cookie on line 2 counts only after a comment or blank line 1', () => {
    const latin = (text: string) => Buffer.from(text, 'latin1');
    expect(decodePythonSource(latin('#!/usr/bin/python\n# vim: set fileencoding=latin-1 :\nx = "\xe9"\n'))).toEqual(expect.objectContaining({ ok: true, encoding: 'latin_1' }));
    expect(decodePythonSource(latin('x = 1\n# coding: latin-1\nx = "\xe9"\n')).ok).toBe(false); // not UTF-8, no cookie in force
  });

  it('utf-16 with a BOM picks the byte order; utf-16-le keeps a BOM as U+FEFF (as CPython decodes them)', () => {
    // NUL-free on purpose: the cookie line must be ASCII-readable, and the whole file goes through the codec.
    const cookie = Buffer.from('#coding:utf-16\n', 'latin1');
    expect(decodePythonSource(cookie)).toEqual({ ok: true, text: iconv.decode(cookie, 'utf-16le'), encoding: 'utf_16' });
    const le = Buffer.from('#coding:utf-16-le\n', 'latin1');
    expect(decodePythonSource(le).ok).toBe(true);
  });
});

describe('codec names as CPython normalises them', () => {
  it.each([
    ['Latin-1', 'latin_1'], ['latin_1', 'latin_1'], ['l1', 'latin_1'], ['ISO_8859-1', 'latin_1'], ['iso-latin-1', 'latin_1'], ['iso8859-1', 'latin_1'],
    ['iso8859_15', 'iso8859_15'], ['ISO-8859-15', 'iso8859_15'], ['latin9', 'iso8859_15'], ['cp65001', 'utf_8'], ['UTF-8', 'utf_8'], ['utf-8-dos', 'utf_8'],
    ['utf_8_sig', 'utf_8'], ['windows-1251', 'cp1251'], ['mac-roman', 'mac_roman'], ['macintosh', 'mac_roman'], ['sjis', 'shift_jis'], ['ujis', 'euc_jp'], ['csiso2022jp', 'iso2022_jp'],
    ['cp936', 'gbk'], ['utf16', 'utf_16'], ['UTF-16LE', 'utf_16_le'], ['u7', 'utf_7'], ['ascii', 'ascii'], ['us-ascii', 'ascii'], ['437', 'cp437'], ['windows-1252', 'cp1252'],
  ])('%s -> %s', (name, codec) => {
    expect(lookupCodec(name)).toEqual(expect.objectContaining({ ok: true, codec }));
  });

  it('normalize_encoding collapses punctuation runs and trims them', () => {
    expect(normalizeEncoding('--ISO 8859..1--')).toBe('ISO_8859..1');
    expect(normalizeEncoding('a -_b')).toBe('a_b');
  });

  it('every decoder pyward names exists in iconv-lite', () => {
    for (const [codec, decoder] of decodableCodecs()) if ('iconv' in decoder) expect([codec, iconv.encodingExists(decoder.iconv)]).toEqual([codec, true]);
  });
});
