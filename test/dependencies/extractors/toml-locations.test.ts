import { arrayTableNameLines, findKey, findTableOrKeyLine, locateToml } from '../../../src/dependencies/extractors/toml-locations.js';

describe('locateToml', () => {
  const text = [
    'title = """',             // 1
    '[[package]]',             // 2  inside a multi-line string: not a header
    'name = "fake"',           // 3
    '"""',                     // 4
    '',                        // 5
    '[[package]]  # first',    // 6
    'description = "a [b] c"', // 7
    'name = "one"',            // 8
    'files = [',               // 9
    '  {file = "x", hash = "sha256:1"},', // 10
    '  # ] not the end',       // 11
    ']',                       // 12
    '',                        // 13
    '[package.dependencies]',  // 14
    'name = "not-a-package-name"', // 15
    '',                        // 16
    '[[package]]',             // 17
    'version = "2"',           // 18
    "[ tool . 'poetry' ]",     // 19
    'deps = ["a", \'b\', """c""",', // 20
    '  "d"]',                  // 21
  ].join('\n');
  const loc = locateToml(text);

  it('finds [[package]] name lines, ignoring headers inside strings and sub-tables', () => {
    expect(arrayTableNameLines(loc, 'package')).toEqual([8, 17]);
  });

  it('finds tables, keys and array element lines', () => {
    expect(findTableOrKeyLine(loc, ['tool', 'poetry'])).toBe(19);
    expect(findKey(loc, ['tool', 'poetry', 'deps'])?.elementLines).toEqual([20, 20, 20, 21]);
    expect(findKey(loc, ['title'])?.line).toBe(1);
    expect(findKey(loc, ['nope'])).toBeUndefined();
  });

  it('handles CRLF and a BOM', () => {
    const crlf = locateToml('\uFEFF[[package]]\r\nname = "a"\r\n\r\n[[package]]\r\nname = "b"\r\n');
    expect(arrayTableNameLines(crlf, 'package')).toEqual([2, 5]);
  });
});
