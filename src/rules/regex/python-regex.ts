/**
 * Python `re` pattern syntax -> an equivalent JavaScript (`u` flag) pattern a ReDoS checker can read.
 *
 * A small recursive-descent parser after CPython's `sre_parse`: it accepts what `re.compile` accepts and
 * gives up (`ok: false`) on what it rejects or what JavaScript cannot express (conditional groups, `\N{...}`,
 * `(?-i:...)` inside a case-insensitive pattern), so a rule never reports on a pattern it misread.
 * Differences handled: named groups and backreferences (renumbered), `\A` `\Z`, verbose mode, `(?#...)`,
 * inline and scoped flags, `]` first in a class, `{,n}`, a literal `{`, Unicode `\d` `\w` (unless ASCII or
 * bytes), `.` excluding only `\n`, and atomic groups / possessive quantifiers (Python 3.11) written as
 * `(?=(X))\k`, which matches exactly what `(?>X)` matches and never backtracks into it.
 */

/** `re` flag values (`re.IGNORECASE` ...), as CPython defines them. */
export const RE_FLAGS = {
  TEMPLATE: 1,
  IGNORECASE: 2,
  LOCALE: 4,
  MULTILINE: 8,
  DOTALL: 16,
  UNICODE: 32,
  VERBOSE: 64,
  ASCII: 256,
} as const;

/** How the pattern is applied: `re.match` anchors at the start, `re.fullmatch` at both ends, the rest search. */
export type MatchMode = 'search' | 'match' | 'fullmatch';

export interface TranslateOptions {
  /** `re` flags passed as an argument (inline flags are read from the pattern). */
  flags?: number;
  /** A bytes pattern (`rb"..."`): ASCII classes. */
  bytes?: boolean;
  mode?: MatchMode;
}

export type Translation =
  | {
      ok: true;
      /**
       * True when a repetition (`*`, `+`, `{m,n}` with n > 1) repeats a subpattern that itself holds a quantifier
       * or an alternation: the only shape in which a backtracking matcher can take exponentially many paths
       * (`(a+)+`, `(a|ab)*`, `(.*a){12}`). Without it a pattern is at worst polynomial.
       */
      nestedRepetition: boolean;
      /** JavaScript pattern source, for `new RegExp(source, flags)`. */
      source: string;
      flags: string;
      /** Maps a span of `source` (a checker's hotspot) back to the Python pattern. */
      pythonSpan(start: number, end: number): { start: number; end: number };
    }
  | { ok: false; reason: string };

const INLINE_FLAGS: Record<string, number> = {
  a: RE_FLAGS.ASCII, i: RE_FLAGS.IGNORECASE, L: RE_FLAGS.LOCALE, m: RE_FLAGS.MULTILINE,
  s: RE_FLAGS.DOTALL, u: RE_FLAGS.UNICODE, x: RE_FLAGS.VERBOSE,
};
const SCOPED_OFF = RE_FLAGS.IGNORECASE | RE_FLAGS.MULTILINE | RE_FLAGS.DOTALL | RE_FLAGS.VERBOSE;
const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

class Unsupported extends Error {}
/** A global inline flag (`(?x)`) turned up after the start: parse again with it, as sre_parse does. */
class Restart extends Error {
  constructor(readonly flags: number) {
    super('restart');
  }
}

/** An item of a branch: its output pieces, `key` to compare it with other branches' items, `set` when it is one character or class. */
interface Element { start: number; end: number; key: string | undefined; set: string | undefined }

/** One piece of output: text from a span of the Python pattern, the opening of capture group `open`, or a backreference to group `ref`. */
type Piece = { text: string; py: number; pyEnd: number; open?: number; ref?: number };

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isOct = (c: string | undefined) => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAsciiLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const isIdentifier = (s: string) => /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u.test(s);

/** A code point as JavaScript pattern text, escaped when it is syntax (`inClass`: inside `[...]`). */
function jsChar(cp: number, inClass: boolean): string {
  if (cp < 0x20 || cp > 0x7e) return `\\u{${cp.toString(16)}}`;
  const c = String.fromCharCode(cp);
  if (inClass ? '\\]^-['.includes(c) : '\\^$.*+?()[]{}|/'.includes(c)) return `\\${c}`;
  return c;
}

/** The other-case ASCII counterparts of a range, for a case-insensitive scope JavaScript has no flag for. */
function swappedRanges(lo: number, hi: number): [number, number][] {
  const out: [number, number][] = [];
  const a = Math.max(lo, 0x61), b = Math.min(hi, 0x7a);
  if (a <= b) out.push([a - 32, b - 32]);
  const c = Math.max(lo, 0x41), d = Math.min(hi, 0x5a);
  if (c <= d) out.push([c + 32, d + 32]);
  return out;
}

class Translator {
  private pos = 0;
  /** Set by `atom` for a single character, class, category, `.` or anchor: what branch rewriting may compare (`set`: as class contents). */
  private simple: { set?: string } | undefined;
  /** Quantifiers and alternations seen so far, and whether a repetition wrapped any (see `nestedRepetition`). */
  private choices = 0;
  nested = false;
  private readonly out: Piece[] = [];
  /** Python group number -> internal group id (capture groups are numbered at the end, after possessive wrapping). */
  private readonly groupIds: number[] = [0];
  private readonly openGroups = new Set<number>();
  private readonly names = new Map<string, number>();
  private nextId = 1;

  constructor(
    private readonly src: string,
    /** Flags of the whole pattern (argument plus global inline flags). */
    private readonly global: number,
    private readonly bytes: boolean,
  ) {}

  run(mode: MatchMode): Piece[] {
    const m = (this.global & RE_FLAGS.MULTILINE) !== 0;
    if (mode !== 'search') this.emit(m ? '(?<![\\s\\S])(?:' : '^(?:', 0, 0);
    this.alternation(this.global, 0);
    if (this.pos < this.src.length) throw new Unsupported(this.src[this.pos] === ')' ? 'unbalanced parenthesis' : `unexpected ${this.src[this.pos]}`);
    if (mode === 'fullmatch') this.emit(m ? ')(?![\\s\\S])' : ')$', this.src.length, this.src.length);
    else if (mode === 'match') this.emit(')', this.src.length, this.src.length);
    return this.out;
  }

  private emit(text: string, py: number, pyEnd: number, extra?: Partial<Piece>): void {
    this.out.push({ text, py, pyEnd, ...extra });
  }

  private skipVerbose(flags: number): void {
    if (!(flags & RE_FLAGS.VERBOSE)) return;
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (' \t\n\r\v\f'.includes(c)) this.pos++;
      else if (c === '#') {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  /**
   * Branches, rewritten as sre_parse does before matching: a first item all branches share moves out
   * (`ab|ac` -> `a(?:b|c)`), and branches of one character or class each become one class (`\w|\d` ->
   * `[\w\d]`), so the checker sees the alternatives Python's matcher actually backtracks over.
   */
  private alternation(flags: number, depth: number): void {
    if (depth > 200) throw new Unsupported('nesting too deep');
    const begin = this.out.length;
    const branches = [this.sequence(flags, depth)];
    const bars: Piece[] = [];
    while (this.src[this.pos] === '|') {
      bars.push({ text: '|', py: this.pos, pyEnd: this.pos + 1 });
      this.choices++;
      this.pos++;
      branches.push(this.sequence(flags, depth));
    }
    if (branches.length === 1) return;
    const pieces = this.out.splice(begin);
    const slice = (e: Element[]) => (e.length ? pieces.slice(e[0].start - begin, e[e.length - 1].end - begin) : []);
    let k = 0;
    const first = branches[0];
    while (branches.every((b) => b.length > k && b[k].key !== undefined && b[k].key === first[k].key)) k++;
    this.out.push(...slice(first.slice(0, k)));
    const rest = branches.map((b) => b.slice(k));
    if (rest.every((b) => b.length === 1 && b[0].set !== undefined)) {
      const py = pieces[rest[0][0].start - begin].py;
      this.out.push({ text: `[${rest.map((b) => b[0].set).join('')}]`, py, pyEnd: this.pos });
      this.choices -= branches.length - 1;
      return;
    }
    if (k > 0) this.emit('(?:', this.pos, this.pos);
    rest.forEach((b, i) => {
      if (i > 0) this.out.push(bars[i - 1]);
      this.out.push(...slice(b));
    });
    if (k > 0) this.emit(')', this.pos, this.pos);
  }

  private sequence(flags: number, depth: number): Element[] {
    const elements: Element[] = [];
    for (;;) {
      this.skipVerbose(flags);
      const c = this.src[this.pos];
      if (c === undefined || c === '|' || c === ')') return elements;
      const start = this.pos;
      const at = this.out.length;
      const choicesBefore = this.choices;
      this.simple = undefined;
      const kind = this.atom(flags, depth);
      if (kind === 'none') continue; // a comment or inline flags: nothing to repeat
      const simple = this.simple as { set?: string } | undefined;
      this.skipVerbose(flags);
      const repeats = this.quantifier(start, at, kind);
      if (repeats > 1 && this.choices > choicesBefore + 1) this.nested = true;
      const quantified = this.out.length - at > 1;
      const key = simple && !quantified ? this.out.slice(at).map((p) => p.text).join('') : undefined;
      elements.push({ start: at, end: this.out.length, key, set: quantified ? undefined : simple?.set });
    }
  }

  /** One atom; says whether it can be repeated (`assert`: a lookaround, which JavaScript only repeats inside a group). */
  private atom(flags: number, depth: number): 'item' | 'anchor' | 'assert' | 'none' {
    const start = this.pos;
    const c = this.src[this.pos++];
    const ci = (flags & RE_FLAGS.IGNORECASE) !== 0 && !(this.global & RE_FLAGS.IGNORECASE);
    switch (c) {
      case '.':
        this.simple = {};
        this.emit(flags & RE_FLAGS.DOTALL ? '[\\s\\S]' : '[^\\n]', start, this.pos);
        return 'item';
      case '^':
        this.simple = {};
        this.emit(this.lineAnchor(flags, true), start, this.pos);
        return 'anchor';
      case '$':
        this.simple = {};
        this.emit(this.lineAnchor(flags, false), start, this.pos);
        return 'anchor';
      case '[':
        this.characterClass(flags, start);
        return 'item';
      case '(':
        return this.group(flags, depth, start);
      case '\\':
        return this.escape(flags, start);
      case '*':
      case '+':
      case '?':
        throw new Unsupported('nothing to repeat');
      case '{':
        if (this.repeatAt(start)) throw new Unsupported('nothing to repeat');
        this.literal(c.codePointAt(0)!, start, ci);
        return 'item';
      default: {
        const cp = this.src.codePointAt(start)!;
        this.pos = start + (cp > 0xffff ? 2 : 1);
        this.literal(cp, start, ci);
        return 'item';
      }
    }
  }

  private literal(cp: number, start: number, caseInsensitive: boolean): void {
    const lower = String.fromCodePoint(cp).toLowerCase(), upper = String.fromCodePoint(cp).toUpperCase();
    if (caseInsensitive && lower !== upper && [...lower].length === 1 && [...upper].length === 1) {
      const both = `${jsChar(lower.codePointAt(0)!, true)}${jsChar(upper.codePointAt(0)!, true)}`;
      this.simple = { set: both };
      this.emit(`[${both}]`, start, this.pos);
    } else {
      this.simple = { set: jsChar(cp, true) };
      this.emit(jsChar(cp, false), start, this.pos);
    }
  }

  /** `^` / `$` under the flags in force; JavaScript's `m` flag is set only when the whole pattern is multi-line. */
  private lineAnchor(flags: number, begin: boolean): string {
    const m = (flags & RE_FLAGS.MULTILINE) !== 0;
    if (m === ((this.global & RE_FLAGS.MULTILINE) !== 0)) return begin ? '^' : '$';
    if (m) return begin ? '(?<![^\\n])' : '(?![^\\n])';
    return begin ? '(?<![\\s\\S])' : '(?=\\n?(?![\\s\\S]))';
  }

  /** True when a `{m,n}` quantifier starts at `at` (otherwise Python reads `{` as a literal). */
  private repeatAt(at: number): { min: number; max: number | undefined; end: number } | undefined {
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(at, at + 40));
    if (!m || (m[1] === '' && m[2] === undefined)) return undefined;
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
    return { min, max, end: at + m[0].length };
  }

  /** Parses a quantifier after an atom, if any; returns its maximum count (0 without one). */
  private quantifier(atomStart: number, at: number, kind: 'item' | 'anchor' | 'assert'): number {
    const start = this.pos;
    const c = this.src[this.pos];
    let text: string;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      text = c;
      max = c === '?' ? 1 : Infinity;
    } else if (c === '{') {
      const r = this.repeatAt(this.pos);
      if (!r) return 0;
      if (r.max !== undefined && r.max < r.min) throw new Unsupported('min repeat greater than max repeat');
      if (r.min > 0xffff || (r.max ?? 0) > 0xffff) throw new Unsupported('repeat count too large');
      this.pos = r.end;
      text = r.max === undefined ? `{${r.min},}` : r.max === r.min ? `{${r.min}}` : `{${r.min},${r.max}}`;
      max = r.max ?? Infinity;
    } else return 0;
    this.choices++;
    if (kind === 'anchor') throw new Unsupported('nothing to repeat');
    if (kind === 'assert') {
      this.out.splice(at, 0, { text: '(?:', py: atomStart, pyEnd: atomStart });
      this.emit(')', start, start);
    }
    if (this.src[this.pos] === '?') {
      this.pos++;
      text += '?';
    } else if (this.src[this.pos] === '+') {
      this.pos++;
      this.emit(text, start, this.pos);
      this.atomic(at, atomStart, start);
      return max;
    }
    this.emit(text, start, this.pos);
    const next = this.src[this.pos];
    if (next === '*' || next === '+' || next === '?' || (next === '{' && this.repeatAt(this.pos))) throw new Unsupported('multiple repeat');
    return max;
  }

  /** Makes the output from index `at` on atomic: `X` -> `(?=(X))\k`. */
  private atomic(at: number, pyStart: number, pyEnd: number): void {
    const id = this.nextId++;
    this.out.splice(at, 0, { text: '(?=(', py: pyStart, pyEnd: pyStart, open: id });
    this.emit('))', pyEnd, pyEnd);
    this.emit('', pyEnd, pyEnd, { ref: id });
  }

  private group(flags: number, depth: number, start: number): 'item' | 'assert' | 'none' {
    const src = this.src;
    if (src[this.pos] !== '?') return this.capture(flags, depth, start, undefined);
    this.pos++;
    const c = src[this.pos];
    if (c === ':') {
      this.pos++;
      this.body('(?:', flags, depth, start);
      return 'item';
    }
    if (c === '=' || c === '!') {
      this.pos++;
      this.body(`(?${c}`, flags, depth, start);
      return 'assert';
    }
    if (c === '<' && (src[this.pos + 1] === '=' || src[this.pos + 1] === '!')) {
      this.pos += 2;
      this.body(`(?<${src[this.pos - 1]}`, flags, depth, start);
      return 'assert';
    }
    if (c === '>') {
      this.pos++;
      const at = this.out.length;
      this.body('(?:', flags, depth, start);
      this.atomic(at, start, this.pos);
      return 'item';
    }
    if (c === '#') {
      const end = src.indexOf(')', this.pos);
      if (end < 0) throw new Unsupported('missing ), unterminated comment');
      this.pos = end + 1;
      return 'none';
    }
    if (c === 'P' && src[this.pos + 1] === '<') {
      this.pos += 2;
      return this.capture(flags, depth, start, this.groupName('>'));
    }
    if (c === '<') {
      this.pos++;
      return this.capture(flags, depth, start, this.groupName('>'));
    }
    if (c === 'P' && src[this.pos + 1] === '=') {
      this.pos += 2;
      const name = this.groupName(')');
      const n = this.names.get(name);
      if (n === undefined || this.openGroups.has(n)) throw new Unsupported(`unknown group name ${name}`);
      this.emit('(?:', start, start);
      this.emit('', start, this.pos, { ref: this.groupIds[n] });
      this.emit(')', this.pos, this.pos);
      return 'item';
    }
    if (c === '(') throw new Unsupported('conditional group');
    if (c !== undefined && (c in INLINE_FLAGS || c === '-')) return this.flagGroup(flags, depth, start);
    throw new Unsupported(`unknown extension ?${c ?? ''}`);
  }

  private groupName(terminator: string): string {
    const end = this.src.indexOf(terminator, this.pos);
    if (end < 0) throw new Unsupported('missing group name terminator');
    const name = this.src.slice(this.pos, end);
    this.pos = end + 1;
    if (!isIdentifier(name)) throw new Unsupported(`bad group name ${name}`);
    return name;
  }

  private capture(flags: number, depth: number, start: number, name: string | undefined): 'item' {
    const n = this.groupIds.length;
    if (name !== undefined) {
      if (this.names.has(name)) throw new Unsupported(`redefinition of group name ${name}`);
      this.names.set(name, n);
    }
    const id = this.nextId++;
    this.groupIds.push(id);
    this.openGroups.add(n);
    this.emit('(', start, this.pos, { open: id });
    this.alternation(flags, depth + 1);
    this.close(start);
    this.openGroups.delete(n);
    return 'item';
  }

  private body(open: string, flags: number, depth: number, start: number): void {
    this.emit(open, start, this.pos);
    this.alternation(flags, depth + 1);
    this.close(start);
  }

  private close(start: number): void {
    if (this.src[this.pos] !== ')') throw new Unsupported(`missing ), unterminated subpattern at ${start}`);
    this.emit(')', this.pos, this.pos + 1);
    this.pos++;
  }

  /** `(?aiLmsux)` for the whole pattern, or `(?aiLmsux-imsx:...)` for a scope. */
  private flagGroup(flags: number, depth: number, start: number): 'item' | 'none' {
    let on = 0, off = 0;
    while (this.src[this.pos] !== undefined && this.src[this.pos] in INLINE_FLAGS) on |= INLINE_FLAGS[this.src[this.pos++]];
    if (this.src[this.pos] === ')') {
      this.pos++;
      if (on & ~this.global) throw new Restart(this.global | on);
      return 'none';
    }
    if (this.src[this.pos] === '-') {
      this.pos++;
      while (this.src[this.pos] !== undefined && this.src[this.pos] in INLINE_FLAGS) off |= INLINE_FLAGS[this.src[this.pos++]];
      if (off & ~SCOPED_OFF || !off) throw new Unsupported('bad inline flags');
    }
    if (this.src[this.pos] !== ':') throw new Unsupported('missing :');
    this.pos++;
    if ((off & RE_FLAGS.IGNORECASE) && (this.global & RE_FLAGS.IGNORECASE)) throw new Unsupported('(?-i:...) in a case-insensitive pattern');
    let inner = (flags | on) & ~off;
    if (on & RE_FLAGS.ASCII) inner &= ~RE_FLAGS.UNICODE;
    if (on & RE_FLAGS.UNICODE) inner &= ~RE_FLAGS.ASCII;
    this.body('(?:', inner, depth, start);
    return 'item';
  }

  private ascii(flags: number): boolean {
    return this.bytes || (flags & (RE_FLAGS.ASCII | RE_FLAGS.LOCALE)) !== 0;
  }

  /** `\d` `\w` `\s` and their negations, as class contents (`inner`) or a whole atom. */
  private category(letter: string, flags: number): { atom: string; inner: string | undefined } {
    const ascii = this.ascii(flags);
    switch (letter) {
      case 'd':
        return ascii ? { atom: '[0-9]', inner: '0-9' } : { atom: '\\p{Nd}', inner: '\\p{Nd}' };
      case 'D':
        return ascii ? { atom: '[^0-9]', inner: '\\D' } : { atom: '\\P{Nd}', inner: '\\P{Nd}' };
      case 'w':
        return ascii ? { atom: '\\w', inner: '\\w' } : { atom: '[\\p{L}\\p{N}_]', inner: '\\p{L}\\p{N}_' };
      case 'W':
        // Unicode \W is the complement of a union, which a JavaScript class cannot hold beside other items.
        return ascii ? { atom: '\\W', inner: '\\W' } : { atom: '[^\\p{L}\\p{N}_]', inner: undefined };
      case 's':
        return ascii ? { atom: '[ \\t\\n\\r\\f\\v]', inner: ' \\t\\n\\r\\f\\v' } : { atom: '\\s', inner: '\\s' };
      default:
        // inside a class, ASCII \S is approximated by JavaScript's (which also leaves out Unicode spaces)
        return ascii ? { atom: '[^ \\t\\n\\r\\f\\v]', inner: '\\S' } : { atom: '\\S', inner: '\\S' };
    }
  }

  private escape(flags: number, start: number): 'item' | 'anchor' {
    const c = this.src[this.pos];
    if (c === undefined) throw new Unsupported('bad escape (end of pattern)');
    const m = (this.global & RE_FLAGS.MULTILINE) !== 0;
    const ci = (flags & RE_FLAGS.IGNORECASE) !== 0 && !(this.global & RE_FLAGS.IGNORECASE);
    if ('AZzbB'.includes(c)) {
      this.pos++;
      const text = c === 'A' ? (m ? '(?<![\\s\\S])' : '^') : c === 'Z' || c === 'z' ? (m ? '(?![\\s\\S])' : '$') : `\\${c}`;
      this.simple = {};
      this.emit(text, start, this.pos);
      return 'anchor';
    }
    if ('dDwWsS'.includes(c)) {
      this.pos++;
      const cat = this.category(c, flags);
      this.simple = { set: cat.inner };
      this.emit(cat.atom, start, this.pos);
      return 'item';
    }
    if (c >= '1' && c <= '9') {
      // `\12` is group 12 unless three octal digits make it a character
      if (isOct(c) && isOct(this.src[this.pos + 1]) && isOct(this.src[this.pos + 2])) {
        this.literal(this.octal(3), start, ci);
        return 'item';
      }
      let digits = c;
      this.pos++;
      if (isDigit(this.src[this.pos])) digits += this.src[this.pos++];
      const n = Number(digits);
      if (n >= this.groupIds.length || this.openGroups.has(n)) throw new Unsupported(`invalid group reference ${n}`);
      this.emit('(?:', start, start);
      this.emit('', start, this.pos, { ref: this.groupIds[n] });
      this.emit(')', this.pos, this.pos);
      return 'item';
    }
    this.literal(this.characterEscape(false), start, ci);
    return 'item';
  }

  private octal(max: number): number {
    let digits = '';
    while (digits.length < max && isOct(this.src[this.pos])) digits += this.src[this.pos++];
    const v = parseInt(digits, 8);
    if (v > 0o377) throw new Unsupported('octal escape value outside of range 0-0o377');
    return v;
  }

  /** An escape that stands for one character (after the backslash), as a code point. */
  private characterEscape(inClass: boolean): number {
    const c = this.src[this.pos++];
    if (c in SIMPLE_ESCAPES && (inClass || c !== 'b')) return SIMPLE_ESCAPES[c];
    if (c === 'x' || (!this.bytes && (c === 'u' || c === 'U'))) {
      const n = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = this.src.slice(this.pos, this.pos + n);
      if (hex.length !== n || ![...hex].every(isHex)) throw new Unsupported(`incomplete escape \\${c}${hex}`);
      this.pos += n;
      const v = parseInt(hex, 16);
      if (v > 0x10ffff) throw new Unsupported('bad escape');
      return v;
    }
    if (c === '0') {
      this.pos--;
      return this.octal(3);
    }
    if (inClass && isOct(c)) {
      this.pos--;
      return this.octal(3);
    }
    if (isDigit(c) || isAsciiLetter(c)) throw new Unsupported(`bad escape \\${c}`); // includes \N{...}, which needs the Unicode name table
    this.pos--;
    const cp = this.src.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private characterClass(flags: number, start: number): void {
    const src = this.src;
    const negated = src[this.pos] === '^';
    if (negated) this.pos++;
    const ci = (flags & RE_FLAGS.IGNORECASE) !== 0 && !(this.global & RE_FLAGS.IGNORECASE);
    let items = '';
    /** Unicode `\W`, which must sit outside the class: `(?:[...]|[^\p{L}\p{N}_])`. */
    let nonWord = false;
    let first = true;
    for (;;) {
      const c = src[this.pos];
      if (c === undefined) throw new Unsupported('unterminated character set');
      if (c === ']' && !first) break;
      first = false;
      let lo: number;
      if (c === '\\') {
        this.pos++;
        const e = src[this.pos];
        if (e !== undefined && 'dDwWsS'.includes(e)) {
          this.pos++;
          const cat = this.category(e, flags);
          if (cat.inner !== undefined) items += cat.inner;
          else if (negated) items += '\\W'; // [^\W...] in Unicode mode: approximated by the ASCII letters it keeps
          else nonWord = true;
          if (src[this.pos] === '-' && src[this.pos + 1] !== ']') throw new Unsupported('bad character range');
          continue;
        }
        if (e === undefined) throw new Unsupported('unterminated character set');
        lo = this.characterEscape(true);
      } else {
        lo = src.codePointAt(this.pos)!;
        this.pos += lo > 0xffff ? 2 : 1;
      }
      let hi = lo;
      if (src[this.pos] === '-' && src[this.pos + 1] !== ']' && src[this.pos + 1] !== undefined) {
        this.pos++;
        if (src[this.pos] === '\\') {
          this.pos++;
          if ('dDwWsS'.includes(src[this.pos] ?? '')) throw new Unsupported('bad character range');
          hi = this.characterEscape(true);
        } else {
          hi = src.codePointAt(this.pos)!;
          this.pos += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) throw new Unsupported('bad character range');
      }
      items += lo === hi ? jsChar(lo, true) : `${jsChar(lo, true)}-${jsChar(hi, true)}`;
      if (ci) {
        for (const [a, b] of swappedRanges(lo, hi)) items += a === b ? jsChar(a, true) : `${jsChar(a, true)}-${jsChar(b, true)}`;
        if (lo === hi && lo > 0x7f) {
          const s = String.fromCodePoint(lo), other = s.toLowerCase() === s ? s.toUpperCase() : s.toLowerCase();
          if ([...other].length === 1 && other !== s) items += jsChar(other.codePointAt(0)!, true);
        }
      }
    }
    this.pos++;
    const cls = items === '' ? '' : `[${negated ? '^' : ''}${items}]`;
    this.simple = { set: negated || nonWord ? undefined : items };
    const text = nonWord ? (cls ? `(?:${cls}|[^\\p{L}\\p{N}_])` : '[^\\p{L}\\p{N}_]') : cls;
    this.emit(text, start, this.pos);
  }
}

/** Assigns JavaScript group numbers in output order (possessive wrapping adds groups before earlier ones). */
function assemble(pieces: Piece[]): { source: string; starts: number[]; ends: number[] } {
  const numbers = new Map<number, number>();
  for (const p of pieces) if (p.open !== undefined) numbers.set(p.open, numbers.size + 1);
  let source = '';
  const starts: number[] = [], ends: number[] = [];
  for (const p of pieces) {
    const text = p.ref !== undefined ? `\\${numbers.get(p.ref)}` : p.text;
    source += text;
    for (let i = 0; i < text.length; i++) {
      starts.push(p.py);
      ends.push(p.pyEnd);
    }
  }
  return { source, starts, ends };
}

export function translatePythonRegex(pattern: string, options: TranslateOptions = {}): Translation {
  let flags = options.flags ?? 0;
  const bytes = options.bytes ?? false;
  if (bytes && flags & RE_FLAGS.UNICODE) return { ok: false, reason: 'cannot use UNICODE flag with a bytes pattern' };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const translator = new Translator(pattern, flags, bytes);
      const pieces = translator.run(options.mode ?? 'search');
      const { source, starts, ends } = assemble(pieces);
      const jsFlags = `${flags & RE_FLAGS.IGNORECASE ? 'i' : ''}${flags & RE_FLAGS.MULTILINE ? 'm' : ''}u`;
      return {
        ok: true,
        source,
        flags: jsFlags,
        nestedRepetition: translator.nested,
        pythonSpan(start, end) {
          const s = Math.max(0, Math.min(start, starts.length - 1));
          const e = Math.max(s, Math.min(end, ends.length) - 1);
          return { start: starts[s] ?? 0, end: Math.max(ends[e] ?? pattern.length, starts[s] ?? 0) };
        },
      };
    } catch (e) {
      if (e instanceof Restart) {
        flags = e.flags;
        continue;
      }
      if (e instanceof Unsupported) return { ok: false, reason: e.message };
      throw e;
    }
  }
  return { ok: false, reason: 'inline flags did not settle' };
}
