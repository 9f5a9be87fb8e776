/**
 * The codec a PEP 263 coding cookie names, found as CPython finds it: the tokenizer's own normalisation of
 * `utf-8`/`latin-1` spellings, then `encodings.normalize_encoding` (lowercase, runs of characters other than
 * letters, digits and `.` become `_`) and the alias table of `encodings/aliases.py`. Each text codec CPython
 * ships maps to a decoder here (iconv-lite, the platform's TextDecoder, or our UTF-7); the few it ships
 * that we cannot decode, and names CPython does not know at all, are said as such.
 */

/** Aliases (normalised) -> CPython codec module, for the codecs pyward decodes. From Lib/encodings/aliases.py. */
const ALIASES: Record<string, string> = {
  '646': 'ascii', ansi_x3_4_1968: 'ascii', ansi_x3_4_1986: 'ascii', cp367: 'ascii', csascii: 'ascii', ibm367: 'ascii',
  iso646_us: 'ascii', iso_646_irv_1991: 'ascii', iso_ir_6: 'ascii', us: 'ascii', us_ascii: 'ascii',
  big5_tw: 'big5', csbig5: 'big5', big5_hkscs: 'big5hkscs', hkscs: 'big5hkscs',
  '1125': 'cp1125', ibm1125: 'cp1125', cp866u: 'cp1125', ruscii: 'cp1125',
  ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [[`125${i}`, `cp125${i}`], [`windows_125${i}`, `cp125${i}`]]).flat()),
  '437': 'cp437', cspc8codepage437: 'cp437', ibm437: 'cp437', '720': 'cp720', '737': 'cp737',
  '775': 'cp775', cspc775baltic: 'cp775', ibm775: 'cp775', '850': 'cp850', cspc850multilingual: 'cp850', ibm850: 'cp850',
  '852': 'cp852', cspcp852: 'cp852', ibm852: 'cp852', '855': 'cp855', csibm855: 'cp855', ibm855: 'cp855', '856': 'cp856',
  '857': 'cp857', csibm857: 'cp857', ibm857: 'cp857', '858': 'cp858', csibm858: 'cp858', ibm858: 'cp858',
  '860': 'cp860', csibm860: 'cp860', ibm860: 'cp860', '861': 'cp861', cp_is: 'cp861', csibm861: 'cp861', ibm861: 'cp861',
  '862': 'cp862', cspc862latinhebrew: 'cp862', ibm862: 'cp862', '863': 'cp863', csibm863: 'cp863', ibm863: 'cp863',
  '864': 'cp864', csibm864: 'cp864', ibm864: 'cp864', '865': 'cp865', csibm865: 'cp865', ibm865: 'cp865',
  '866': 'cp866', csibm866: 'cp866', ibm866: 'cp866', '869': 'cp869', cp_gr: 'cp869', csibm869: 'cp869', ibm869: 'cp869',
  '874': 'cp874', '932': 'cp932', ms932: 'cp932', mskanji: 'cp932', ms_kanji: 'cp932',
  '949': 'cp949', ms949: 'cp949', uhc: 'cp949', '950': 'cp950', ms950: 'cp950',
  eucjp: 'euc_jp', ujis: 'euc_jp', u_jis: 'euc_jp',
  euckr: 'euc_kr', korean: 'euc_kr', ksc5601: 'euc_kr', ks_c_5601: 'euc_kr', ks_c_5601_1987: 'euc_kr', ksx1001: 'euc_kr', ks_x_1001: 'euc_kr',
  gb18030_2000: 'gb18030',
  chinese: 'gb2312', csiso58gb231280: 'gb2312', euc_cn: 'gb2312', euccn: 'gb2312', eucgb2312_cn: 'gb2312', gb2312_1980: 'gb2312',
  gb2312_80: 'gb2312', iso_ir_58: 'gb2312',
  '936': 'gbk', cp936: 'gbk', ms936: 'gbk',
  roman8: 'hp_roman8', r8: 'hp_roman8', cshproman8: 'hp_roman8',
  csiso2022jp: 'iso2022_jp', iso2022jp: 'iso2022_jp', iso_2022_jp: 'iso2022_jp',
  csisolatin6: 'iso8859_10', iso_8859_10: 'iso8859_10', iso_8859_10_1992: 'iso8859_10', iso_ir_157: 'iso8859_10', l6: 'iso8859_10', latin6: 'iso8859_10',
  thai: 'iso8859_11', iso_8859_11: 'iso8859_11', iso_8859_11_2001: 'iso8859_11',
  iso_8859_13: 'iso8859_13', l7: 'iso8859_13', latin7: 'iso8859_13',
  iso_8859_14: 'iso8859_14', iso_8859_14_1998: 'iso8859_14', iso_celtic: 'iso8859_14', iso_ir_199: 'iso8859_14', l8: 'iso8859_14', latin8: 'iso8859_14',
  iso_8859_15: 'iso8859_15', l9: 'iso8859_15', latin9: 'iso8859_15',
  iso_8859_16: 'iso8859_16', iso_8859_16_2001: 'iso8859_16', iso_ir_226: 'iso8859_16', l10: 'iso8859_16', latin10: 'iso8859_16',
  csisolatin2: 'iso8859_2', iso_8859_2: 'iso8859_2', iso_8859_2_1987: 'iso8859_2', iso_ir_101: 'iso8859_2', l2: 'iso8859_2', latin2: 'iso8859_2',
  csisolatin3: 'iso8859_3', iso_8859_3: 'iso8859_3', iso_8859_3_1988: 'iso8859_3', iso_ir_109: 'iso8859_3', l3: 'iso8859_3', latin3: 'iso8859_3',
  csisolatin4: 'iso8859_4', iso_8859_4: 'iso8859_4', iso_8859_4_1988: 'iso8859_4', iso_ir_110: 'iso8859_4', l4: 'iso8859_4', latin4: 'iso8859_4',
  csisolatincyrillic: 'iso8859_5', cyrillic: 'iso8859_5', iso_8859_5: 'iso8859_5', iso_8859_5_1988: 'iso8859_5', iso_ir_144: 'iso8859_5',
  arabic: 'iso8859_6', asmo_708: 'iso8859_6', csisolatinarabic: 'iso8859_6', ecma_114: 'iso8859_6', iso_8859_6: 'iso8859_6',
  iso_8859_6_1987: 'iso8859_6', iso_ir_127: 'iso8859_6',
  csisolatingreek: 'iso8859_7', ecma_118: 'iso8859_7', elot_928: 'iso8859_7', greek: 'iso8859_7', greek8: 'iso8859_7',
  iso_8859_7: 'iso8859_7', iso_8859_7_1987: 'iso8859_7', iso_ir_126: 'iso8859_7',
  csisolatinhebrew: 'iso8859_8', hebrew: 'iso8859_8', iso_8859_8: 'iso8859_8', iso_8859_8_1988: 'iso8859_8', iso_ir_138: 'iso8859_8',
  csisolatin5: 'iso8859_9', iso_8859_9: 'iso8859_9', iso_8859_9_1989: 'iso8859_9', iso_ir_148: 'iso8859_9', l5: 'iso8859_9', latin5: 'iso8859_9',
  cskoi8r: 'koi8_r', kz_1048: 'kz1048', rk1048: 'kz1048', strk1048_2002: 'kz1048',
  '8859': 'latin_1', cp819: 'latin_1', csisolatin1: 'latin_1', ibm819: 'latin_1', iso8859: 'latin_1', iso8859_1: 'latin_1',
  iso_8859_1: 'latin_1', iso_8859_1_1987: 'latin_1', iso_ir_100: 'latin_1', l1: 'latin_1', latin: 'latin_1', latin1: 'latin_1',
  maccyrillic: 'mac_cyrillic', macgreek: 'mac_greek', maciceland: 'mac_iceland', maccentraleurope: 'mac_latin2', maclatin2: 'mac_latin2',
  macintosh: 'mac_roman', macroman: 'mac_roman', macturkish: 'mac_turkish',
  csptcp154: 'ptcp154', pt154: 'ptcp154', cp154: 'ptcp154', cyrillic_asian: 'ptcp154',
  csshiftjis: 'shift_jis', shiftjis: 'shift_jis', sjis: 'shift_jis', s_jis: 'shift_jis',
  tis620: 'tis_620', tis_620_0: 'tis_620', tis_620_2529_0: 'tis_620', tis_620_2529_1: 'tis_620', iso_ir_166: 'tis_620',
  u16: 'utf_16', utf16: 'utf_16', unicodebigunmarked: 'utf_16_be', utf_16be: 'utf_16_be', unicodelittleunmarked: 'utf_16_le', utf_16le: 'utf_16_le',
  u32: 'utf_32', utf32: 'utf_32', utf_32be: 'utf_32_be', utf_32le: 'utf_32_le',
  u7: 'utf_7', utf7: 'utf_7', unicode_1_1_utf_7: 'utf_7',
  u8: 'utf_8', utf: 'utf_8', utf8: 'utf_8', utf8_ucs2: 'utf_8', utf8_ucs4: 'utf_8', cp65001: 'utf_8', '65001': 'utf_8',
  x_mac_japanese: 'shift_jis', x_mac_korean: 'euc_kr', x_mac_simp_chinese: 'gb2312', x_mac_trad_chinese: 'big5',
};

/** How each codec is decoded: an iconv-lite name, or a decoder of our own. */
export type CodecDecoder = { iconv: string; keepBom?: boolean } | { own: 'utf-8' | 'utf-8-sig' | 'utf-7' | 'iso-2022-jp' | 'ascii' };

const SINGLE_BYTE = 'cp1125 cp1250 cp1251 cp1252 cp1253 cp1254 cp1255 cp1256 cp1257 cp1258 cp437 cp720 cp737 cp775 cp850 cp852 cp855 cp856 cp857 cp858 cp860 cp861 cp862 cp863 cp864 cp865 cp866 cp869 cp874 koi8_r koi8_t koi8_u tis_620 mac_cyrillic mac_greek mac_iceland mac_roman mac_turkish mac_croatian';
const DECODERS = new Map<string, CodecDecoder>([
  ...SINGLE_BYTE.split(' ').map((c): [string, CodecDecoder] => [c, { iconv: c.replace(/_/g, '') }]),
  ...Array.from({ length: 15 }, (_, i): [string, CodecDecoder] => [`iso8859_${i + 2}`, { iconv: `iso-8859-${i + 2}` }]).filter(([c]) => c !== 'iso8859_12'),
  ['latin_1', { iconv: 'latin1' }],
  ['hp_roman8', { iconv: 'hproman8' }],
  ['mac_latin2', { iconv: 'maccenteuro' }],
  ['ptcp154', { iconv: 'pt154' }],
  ['kz1048', { iconv: 'rk1048' }],
  ['cp932', { iconv: 'cp932' }],
  ['shift_jis', { iconv: 'shift_jis' }],
  ['euc_jp', { iconv: 'euc-jp' }],
  ['cp949', { iconv: 'cp949' }],
  ['euc_kr', { iconv: 'euc-kr' }],
  ['cp950', { iconv: 'cp950' }],
  ['big5', { iconv: 'big5' }],
  ['big5hkscs', { iconv: 'big5hkscs' }],
  ['gb2312', { iconv: 'gb2312' }],
  ['gbk', { iconv: 'gbk' }],
  ['gb18030', { iconv: 'gb18030' }],
  // utf_16/utf_32 read a BOM to pick the byte order and drop it (little-endian without one, as on the
  // platforms CPython mostly runs on); the _le/_be codecs keep a BOM as U+FEFF.
  ['utf_16', { iconv: 'utf-16' }],
  ['utf_16_le', { iconv: 'utf-16le', keepBom: true }],
  ['utf_16_be', { iconv: 'utf-16be', keepBom: true }],
  ['utf_32', { iconv: 'utf-32' }],
  ['utf_32_le', { iconv: 'utf-32le', keepBom: true }],
  ['utf_32_be', { iconv: 'utf-32be', keepBom: true }],
  ['utf_8', { own: 'utf-8' }],
  ['utf_8_sig', { own: 'utf-8-sig' }],
  ['utf_7', { own: 'utf-7' }],
  ['ascii', { own: 'ascii' }],
  ['iso2022_jp', { own: 'iso-2022-jp' }],
]);

/**
 * Codecs CPython has that pyward cannot decode (EBCDIC code pages, the stateful ISO-2022 variants other
 * than iso2022_jp, JIS X 0213, HZ, Johab, Windows' mbcs) and CPython's codecs that are not text encodings.
 */
const KNOWN_UNSUPPORTED = new Set(
  'cp037 cp1006 cp1026 cp1140 cp273 cp424 cp500 cp875 euc_jis_2004 euc_jisx0213 hz iso2022_jp_1 iso2022_jp_2 iso2022_jp_2004 iso2022_jp_3 iso2022_jp_ext iso2022_kr johab shift_jis_2004 shift_jisx0213 mac_arabic mac_farsi mac_romanian mbcs oem cp1361 ms1361 jisx0213 eucjis2004 euc_jis2004 eucjisx0213 hzgb hz_gb hz_gb_2312 shiftjis2004 sjis_2004 s_jis_2004 shiftjisx0213 sjisx0213 s_jisx0213 iso2022jp_1 iso_2022_jp_1 iso2022jp_2 iso_2022_jp_2 iso_2022_jp_2004 iso2022jp_2004 iso2022jp_3 iso_2022_jp_3 iso2022jp_ext iso_2022_jp_ext csiso2022kr iso2022kr iso_2022_kr ansi dbcs 037 csibm037 ebcdic_cp_ca ebcdic_cp_nl ebcdic_cp_us ebcdic_cp_wt ibm037 ibm039 1006 1026 csibm1026 ibm1026 1140 ibm1140 273 ibm273 csibm273 424 csibm424 ebcdic_cp_he ibm424 500 csibm500 ebcdic_cp_be ebcdic_cp_ch ibm500 875 base64_codec base64 base_64 bz2_codec bz2 hex_codec hex quopri_codec quopri quoted_printable quotedprintable rot_13 rot13 uu_codec uu zlib_codec zip zlib undefined unicode_escape raw_unicode_escape idna punycode palmos charmap'.split(' '),
);

/** Every codec pyward decodes, with its decoder (for tests). */
export function decodableCodecs(): ReadonlyMap<string, CodecDecoder> {
  return DECODERS;
}

/** `encodings.normalize_encoding`: runs of characters other than ASCII letters, digits and '.' become one '_' (none at the ends). */
export function normalizeEncoding(name: string): string {
  let out = '';
  let punct = false;
  for (const c of name) {
    if (/[A-Za-z0-9.]/.test(c) || (c.charCodeAt(0) > 127 && /[\p{L}\p{N}]/u.test(c))) {
      if (punct && out) out += '_';
      out += c;
      punct = false;
    } else punct = true;
  }
  return out;
}

/** The tokenizer's `get_normal_name`: every spelling of utf-8 and latin-1 (with a `-suffix` too) first. */
function tokenizerName(name: string): string {
  const s = name.slice(0, 12).toLowerCase().replace(/_/g, '-');
  if (s === 'utf-8' || s.startsWith('utf-8-')) return 'utf-8';
  if (/^(latin-1|iso-8859-1|iso-latin-1)(-|$)/.test(s)) return 'iso-8859-1';
  return name;
}

export type CodecLookup = { ok: true; codec: string; decoder: CodecDecoder } | { ok: false; reason: string };

/** The codec CPython would use for a cookie's name, and how pyward decodes it. */
export function lookupCodec(cookieName: string): CodecLookup {
  const normal = normalizeEncoding(tokenizerName(cookieName).toLowerCase().replace(/ /g, '_'));
  const codec = ALIASES[normal] ?? ALIASES[normal.replace(/\./g, '_')] ?? normal;
  const decoder = DECODERS.get(codec);
  if (decoder) return { ok: true, codec, decoder };
  if (KNOWN_UNSUPPORTED.has(codec)) return { ok: false, reason: `the coding cookie declares '${cookieName}', a codec pyward cannot decode; the file was not analysed` };
  return { ok: false, reason: `unknown source encoding '${cookieName}' in the coding cookie (CPython refuses it too: SyntaxError "unknown encoding")` };
}
