/** Property tests for the config parser: any text gives a config or errors with a message, never a throw. */
import fc from 'fast-check';
import { parseConfig, readConfigYaml } from '../../src/config/schema.js';
import { propertyOptions } from '../helpers/property.js';

const expectOutcome = (text: string) => {
  const result = parseConfig(text);
  if (!result.ok) {
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) expect(e.message).toMatch(/\S/);
  }
  return result;
};

describe('parseConfig (property)', () => {
  it('any text: a config or clear errors', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (text) => void expectOutcome(text)), propertyOptions());
  });

  it('YAML-shaped garbage (keys, anchors, aliases, nesting): a config or clear errors', () => {
    const token = fc.constantFrom('fail_on: ', 'incomplete: ', 'rules:\n  disable: ', 'paths: {ignore: ', '&a ', '*a', '[', ']', '{', '}', '- ', '\n', '  ', 'high', 'neutral', '"x"', '!!binary ', '<<: *a', ': ', '? ', '%YAML 1.2\n---\n');
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }), (parts) => void expectOutcome(parts.join(''))), propertyOptions());
  });

  it('any JSON value: accepted only when it is a mapping the schema allows; unknown keys are named', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const result = expectOutcome(JSON.stringify(value));
        if (result.ok) expect(typeof value === 'object' && value !== null && !Array.isArray(value) ? true : value === null).toBe(true);
      }),
      propertyOptions(),
    );
  });

  it('incomplete takes failure or neutral and nothing else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (word) => {
        const result = parseConfig(`incomplete: ${JSON.stringify(word)}\n`);
        if (word === 'failure' || word === 'neutral') expect(result.ok && result.config.incomplete).toBe(word);
        else expect(result.ok ? undefined : result.errors[0]).toMatchObject({ key: 'incomplete', line: 1, message: expect.stringMatching(/^must be one of failure, neutral|^invalid/) });
      }),
      propertyOptions(),
    );
  });

  it('aliases that expand without bound are an error, at any depth of the bomb', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 12 }), fc.integer({ min: 5, max: 10 }), (levels, width) => {
        const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
        for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
        const read = readConfigYaml(lines.join('\n'));
        expect(read.ok).toBe(false);
        if (!read.ok) expect(read.errors[0].message).toMatch(/^not a usable YAML configuration: .*aliases are limited to 100/);
      }),
      propertyOptions(50),
    );
  });
});
