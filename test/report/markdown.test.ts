import { htmlCommentText, mdCell, mdCode, mdFence, mdLink, mdMessage, mdText, mdUrl, visibleControls } from '../../src/report/markdown.js';

const Z = '\u200b';

describe('mdText: untrusted text as plain running text', () => {
  it.each([
    ['plain words stay as they are', 'use yaml.safe_load() instead', 'use yaml.safe_load() instead'],
    ['a team mention is broken', 'ping @org/team', `ping @${Z}org/team`],
    ['an e-mail is not linked', 'a@b.example', `a@${Z}b.example`],
    ['an issue reference is not linked', 'see #12 and GH-3', `see #${Z}12 and GH-${Z}3`],
    ['a bare URL is not linked', 'https://evil.example/x', `https:${Z}//evil.example/x`],
    ['a www address is not linked', 'www.evil.example', `www${Z}.evil.example`],
    ['HTML is shown, not rendered', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an HTML comment cannot open', 'a <!-- x', 'a &lt;!-- x'],
    ['an entity cannot smuggle a character', '&#64;org', `&amp;#${Z}64;org`],
    ['a link is shown as text', '[x](https://e.example)', `\\[x\\](https:${Z}//e.example)`],
    ['an image is shown as text', '![x](y)', '!\\[x\\](y)'],
    ['a table cell cannot be split', 'a | b', 'a \\| b'],
    ['code spans cannot open', 'a `b` c', 'a \\`b\\` c'],
    ['emphasis cannot open', '*bold* _it_ ~~s~~', '\\*bold\\* \\_it\\_ \\~\\~s\\~\\~'],
    ['a heading cannot open', '# Title', '\\# Title'],
    ['a list cannot open', '- item', '\\- item'],
    ['an ordered list cannot open', '1. item', '1\\. item'],
    ['a quote cannot open', '> q', '&gt; q'],
    ['a newline is shown, never breaks the line', 'a\n# b', 'a␊# b'],
    ['CR and other controls are shown', 'a\rb\x1b[31m', 'a␍b␛\\[31m'],
    ['bidi overrides are shown', 'a\u202eb', 'a\\[U+202E\\]b'],
    ['math cannot open', '$x$', '\\$x\\$'],
    ['a backslash is literal', 'C:\\dir', 'C:\\\\dir'],
  ])('%s', (_name, input, expected) => {
    expect(mdText(input)).toBe(expected);
  });
});

describe('mdMessage: trusted template with `code`, untrusted values', () => {
  it.each([
    ['code spans are kept', 'reaches `yaml.load(x)` (line 9)', 'reaches `yaml.load(x)` (line 9)'],
    // The value's backticks only move where a span starts: `` ` `` is an escaped tick, then a span of a space.
    ['a value cannot leave its span', 'calls `a` @org/team <b>`` `', `calls \`a\` @${Z}org/team &lt;b&gt;\\\`\` \``],
    ['a span holding a pipe in a table', 'x `a|b`', 'x `a\\|b`'],
  ])('%s', (_name, input, expected) => {
    expect(mdMessage(input, { table: true })).toBe(expected);
  });
});

describe('mdCode', () => {
  it.each([
    ['plain', 'x = 1', {}, '`x = 1`'],
    ['backticks inside', 'a ` b', {}, '``a ` b``'],
    ['a backtick at an end', '`a', {}, '`` `a ``'],
    ['spaces at both ends survive', ' a ', {}, '`  a  `'],
    ['empty', '', {}, '` `'],
    ['newlines are shown', 'a\nb\r\nc', {}, '`a␊b␍␊c`'],
    ['a pipe in a table cell', 'a|b', { table: true }, '`a\\|b`'],
    ['a pipe elsewhere', 'a|b', {}, '`a|b`'],
  ])('%s', (_name, input, options, expected) => {
    expect(mdCode(input, options)).toBe(expected);
  });
});

describe('links, cells, fences, comments', () => {
  it('encodes what would end a link destination or a table row', () => {
    expect(mdUrl('https://github.com/o/r/blob/s/a).py#L1')).toBe('https://github.com/o/r/blob/s/a%29.py#L1');
    expect(mdUrl('x y|z<w>`\\')).toBe('x%20y%7Cz%3Cw%3E%60%5C');
    expect(mdUrl('javascript:alert(1)')).toBe('#');
    expect(mdLink('a](x) [b', 'https://h/p')).toBe('[a\\](x) \\[b](https://h/p)');
  });

  it('keeps a cell on one line and its pipes escaped once', () => {
    expect(mdCell('a | b\n`c\\|d`')).toBe('a \\| b `c\\|d`');
  });

  it('fences outgrow any backtick run', () => {
    expect(mdFence('a\n````\nb', 'suggestion')).toBe('`````suggestion\na\n````\nb\n`````');
    expect(mdFence('x', 'sugg`est ion')).toBe('```suggestion\nx\n```');
  });

  it('HTML comment text cannot close the comment', () => {
    expect(htmlCommentText('a --> <!-- b')).not.toMatch(/--|[<>]/);
  });

  it('shows controls as pictures or code points', () => {
    expect(visibleControls('\x00\t\n\x7f\x85\u2028\u2066')).toBe('␀\t␊␡[U+0085][U+2028][U+2066]');
  });
});
