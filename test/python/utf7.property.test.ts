import fc from 'fast-check';
import { decodeUtf7 } from '../../src/python/utf7.js';
import { propertyOptions } from '../helpers/property.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

describe('UTF-7 decoder properties', () => {
  it('decodes what a UTF-7 encoder wrote, for any text (encoder below follows RFC 2152)', () => {
    const encode = (text: string): string => {
      let out = '';
      let pending: number[] = [];
      const flush = (next: string) => {
        if (!pending.length) return;
        const buf = Buffer.alloc(pending.length * 2);
        pending.forEach((u, i) => buf.writeUInt16BE(u, i * 2));
        out += `+${buf.toString('base64').replace(/=+$/, '')}`;
        if (/[A-Za-z0-9+/-]/.test(next) || next === '') out += '-';
        pending = [];
      };
      for (const ch of text) {
        const c = ch.charCodeAt(0);
        if (ch.length === 1 && c < 128 && ch !== '+') {
          flush(ch);
          out += ch;
        } else if (ch === '+' && !pending.length) out += '+-';
        else for (let i = 0; i < ch.length; i++) pending.push(ch.charCodeAt(i));
      }
      flush('');
      return out;
    };
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(decodeUtf7(bytes(encode(text)))).toEqual({ ok: true, text });
      }),
      propertyOptions(),
    );
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (input) => {
        const r = decodeUtf7(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      propertyOptions(),
    );
  });
});
