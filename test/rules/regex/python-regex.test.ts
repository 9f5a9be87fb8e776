import { RE_FLAGS, translatePythonRegex, type TranslateOptions } from '../../../src/rules/regex/python-regex.js';

const js = (pattern: string, options?: TranslateOptions) => {
  const t = translatePythonRegex(pattern, options);
  return t.ok ? `/${t.source}/${t.flags}` : `error: ${t.reason}`;
};

describe('translatePythonRegex', () => {
  it.each([
    ['(a+)+$', {}, '/(a+)+$/u'],
    ['(?P<word>a)(?P=word)\\1', {}, '/(a)(?:\\1)(?:\\1)/u'],
    ['[]a-]', {}, '/[\\]a\\-]/u'],
    ['(?x) a + # comment\n b', {}, '/a+b/u'],
    ['a(?#note)b', {}, '/ab/u'],
    ['\\Aab\\Z', {}, '/^ab$/u'],
    ['\\Aab\\Z', { flags: RE_FLAGS.MULTILINE }, '/(?<![\\s\\S])ab(?![\\s\\S])/mu'],
    ['a*+b', {}, '/(?=(a*))\\1b/u'],
    ['(x)(?>a|b)\\1', {}, '/(x)(?=((?:[ab])))\\2(?:\\1)/u'],
    ['(a)++(b)\\2', {}, '/(?=((a)+))\\1(b)(?:\\3)/u'],
    ['(?i:ab)c', {}, '/(?:[aA][bB])c/u'],
    ['ab', { flags: RE_FLAGS.IGNORECASE }, '/ab/iu'],
    ['abc(?i)', {}, '/abc/iu'],
    ['\\d\\w\\s', {}, '/\\p{Nd}[\\p{L}\\p{N}_]\\s/u'],
    ['\\d\\w', { flags: RE_FLAGS.ASCII }, '/[0-9]\\w/u'],
    ['\\d', { bytes: true }, '/[0-9]/u'],
    ['[^\\W\\d]', {}, '/[^\\W\\p{Nd}]/u'],
    ['[\\W.]', {}, '/(?:[.]|[^\\p{L}\\p{N}_])/u'],
    ['.', {}, '/[^\\n]/u'],
    ['.', { flags: RE_FLAGS.DOTALL }, '/[\\s\\S]/u'],
    ['(?s:.)', {}, '/(?:[\\s\\S])/u'],
    ['x{,3}y{2,}z{', {}, '/x{0,3}y{2,}z\\{/u'],
    ['\\0\\101\\x41\\u00e9', {}, '/\\u{0}AA\\u{e9}/u'],
    ['(?=a)*b', {}, '/(?:(?=a))*b/u'],
    ['^(?m:^x$)', {}, '/^(?:(?<![^\\n])x(?![^\\n]))/u'],
    ['(\\w|\\d)*', {}, '/([\\p{L}\\p{N}_\\p{Nd}])*/u'],
    ['ab|ac', {}, '/a[bc]/u'],
    ['(?:a|ab)*', {}, '/(?:a(?:|b))*/u'],
    ['a', { mode: 'match' }, '/^(?:a)/u'],
    ['a', { mode: 'fullmatch' }, '/^(?:a)$/u'],
    ['a', { mode: 'fullmatch', flags: RE_FLAGS.MULTILINE }, '/(?<![\\s\\S])(?:a)(?![\\s\\S])/mu'],
  ] as const)('%j %j -> %s', (pattern, options, expected) => {
    expect(js(pattern, options)).toBe(expected);
  });

  it.each([
    ['(?(1)a|b)', 'conditional group'],
    ['\\N{DIGIT ONE}', 'bad escape \\N'],
    ['\\q', 'bad escape \\q'],
    ['\\1(a)', 'invalid group reference 1'],
    ['(a\\1)', 'invalid group reference 1'],
    ['*a', 'nothing to repeat'],
    ['a**', 'multiple repeat'],
    ['^*', 'nothing to repeat'],
    ['(a', 'missing ), unterminated subpattern at 0'],
    ['a)', 'unbalanced parenthesis'],
    ['[a', 'unterminated character set'],
    ['[z-a]', 'bad character range'],
    ['a{3,2}', 'min repeat greater than max repeat'],
    ['(?P<1>a)', 'bad group name 1'],
    ['(?i)(?-i:a)', '(?-i:...) in a case-insensitive pattern'],
  ])('gives up on %j (%s)', (pattern, reason) => {
    expect(js(pattern)).toBe(`error: ${reason}`);
  });

  it.each([
    ['(a+)+', true],
    ['(a|ab)*', true],
    ['(.*a){12}', true],
    ['(a+)?', false],
    ['(\\w|\\d)*', false],
    ['a+b*c+', false],
    ['(ab)+', false],
  ])('%j has a nested repetition: %s', (pattern, nested) => {
    const t = translatePythonRegex(pattern);
    expect(t.ok && t.nestedRepetition).toBe(nested);
  });

  it('maps a span of the JavaScript source back to the Python pattern', () => {
    const t = translatePythonRegex('(?P<x>\\w+)+$');
    if (!t.ok) throw new Error(t.reason);
    const start = t.source.indexOf('[');
    const span = t.pythonSpan(start, t.source.indexOf('+'));
    expect('(?P<x>\\w+)+$'.slice(span.start, span.end)).toBe('\\w');
  });

  it('produces patterns JavaScript accepts for every translatable pattern of the table', () => {
    for (const p of ['(?x)[ ] # x', '(?P<a>x)(?P=a)', '[\\d-z]', '\\b\\B', '(?<=a)(?<!b)', '[\\s\\S\\w\\W]']) {
      const t = translatePythonRegex(p);
      if (t.ok) expect(() => new RegExp(t.source, t.flags)).not.toThrow();
    }
  });
});
