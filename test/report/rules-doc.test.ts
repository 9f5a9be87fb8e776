/** docs/rules.md is generated from the rule metadata; this fails when someone forgot to regenerate it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeBlock, formatValue, inlineCode, REGENERATE_COMMAND, renderRulesDoc, RULES_DOC_PATH } from '../../src/report/rules-doc.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { defineRule } from '../../src/rules/rule.js';

describe('docs/rules.md', () => {
  it('matches the rule metadata', () => {
    const file = join(process.cwd(), RULES_DOC_PATH);
    const expected = renderRulesDoc(ALL_RULES);
    const actual = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      let line = 0;
      while (line < e.length && a[line] === e[line]) line++;
      throw new Error(
        `${RULES_DOC_PATH} is out of date with the rules: run \`${REGENERATE_COMMAND}\`.\n` +
          `First difference at line ${line + 1}:\n  file:     ${JSON.stringify(a[line])}\n  expected: ${JSON.stringify(e[line])}`,
      );
    }
  });

  it('has a section with an anchor for every rule', () => {
    const text = renderRulesDoc(ALL_RULES);
    for (const { meta } of ALL_RULES) {
      expect(text).toContain(`<a id="${meta.id.toLowerCase()}"></a>`);
      expect(text).toContain(`| [${meta.id}](#${meta.id.toLowerCase()}) |`);
    }
  });
});

describe('renderRulesDoc', () => {
  const b108 = defineRule({
    meta: {
      id: 'B108',
      name: 'hardcoded_tmp_directory',
      severity: 'medium',
      confidence: 'medium',
      cwe: 377,
      options: { tmp_dirs: ['/tmp', '/var/tmp'], strict: false },
      doc: {
        summary: 'Hard-coded path | under /tmp',
        why: 'Other users can pre-create the file.',
        bad: 'open("/tmp/x", "w")',
        good: 'tempfile.mkstemp()',
        fix: 'Use the tempfile module.',
        references: ['https://cwe.mitre.org/data/definitions/377.html', 'https://docs.python.org/3/library/tempfile.html'],
        banditDifferences: 'Also checks pathlib.Path.',
      },
    },
    visit: { string() {} },
  });
  const pw001 = defineRule({
    meta: {
      id: 'PW001',
      name: 'example-rule',
      severity: 'low',
      confidence: 'high',
      cwe: 20,
      doc: { summary: 'Example', why: 'Because.', bad: 'x = """```"""', good: 'x = 1', fix: 'Do not.', references: ['https://example.com'] },
    },
    visit: { call() {} },
  });
  // Given out of order: the document is ordered by id.
  const text = renderRulesDoc([pw001, b108]);

  it('starts with an index table ordered by id', () => {
    expect(text).toMatch(/^# pyward rules\n/);
    expect(text).toContain(
      '| [B108](#b108) | `hardcoded_tmp_directory` | medium | medium | [CWE-377](https://cwe.mitre.org/data/definitions/377.html) | Hard-coded path \\| under /tmp |',
    );
    expect(text.indexOf('| [B108]')).toBeLessThan(text.indexOf('| [PW001]'));
    expect(text.indexOf('<a id="b108"></a>')).toBeLessThan(text.indexOf('<a id="pw001"></a>'));
    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
  });

  it('documents why, examples, fix, options, Bandit differences and references', () => {
    expect(text).toContain('<a id="b108"></a>\n\n## B108 hardcoded_tmp_directory');
    expect(text).toContain('Other users can pre-create the file.');
    expect(text).toContain('```python\nopen("/tmp/x", "w")\n```');
    expect(text).toContain('```python\ntempfile.mkstemp()\n```');
    expect(text).toContain('### Fix\n\nUse the tempfile module.');
    expect(text).toContain('| `tmp_dirs` | `["/tmp", "/var/tmp"]` |');
    expect(text).toContain('| `strict` | `false` |');
    expect(text).toContain('### Difference from Bandit\n\nAlso checks pathlib.Path.');
    expect(text).toContain('- <https://docs.python.org/3/library/tempfile.html>');
  });

  it('leaves out empty sections', () => {
    const section = text.slice(text.indexOf('<a id="pw001"></a>'));
    expect(section).not.toContain('### Options');
    expect(section).not.toContain('### Difference from Bandit');
  });

  it.each([
    ['x = 1', '```python\nx = 1\n```'],
    ['x = """```"""\n', '````python\nx = """```"""\n````'],
  ])('code block of %j', (code, expected) => {
    expect(codeBlock(code)).toBe(expected);
  });

  it.each([
    [['a', 'b'], '["a", "b"]'],
    [{ size: 2048, names: ['x'] }, '{"size": 2048, "names": ["x"]}'],
    [null, 'null'],
    [true, 'true'],
  ])('option default %j', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });

  it.each([
    ['json', '`json`'],
    ['a`b', '``a`b``'],
    ['`x`', '`` `x` ``'],
  ])('inline code of %j', (input, expected) => {
    expect(inlineCode(input)).toBe(expected);
  });
});
