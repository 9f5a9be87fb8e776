import { nosecApplies, parseNosec } from '../../src/engine/suppressions.js';

const known = (w: string) => /^B\d{3}$/i.test(w) || ['subprocess_popen_with_shell_equals_true', 'assert_used'].includes(w.toLowerCase());

describe('parseNosec', () => {
  it.each([
    ['# nosec', []],
    ['#nosec', []],
    ['# NOSEC', []],
    ['# nosec B602, B607', ['B602', 'B607']],
    ['# nosec: B602', ['B602']],
    ['# nosec b602', ['B602']],
    ['# nosec assert_used', ['assert_used']],
    ['# nosec -- reviewed by security, ticket 12', []],
    ['# nosec B105 reviewed', ['B105']],
    ['# noqa: E501 # nosec B101', ['B101']],
  ])('%s', (comment, targets) => {
    expect([...parseNosec(comment, known)!.targets]).toEqual(targets);
  });

  it.each(['# no sec', '# nosecurity', '# TODO security'])('%s is not a nosec comment', (comment) => {
    expect(parseNosec(comment, known)).toBeUndefined();
  });

  it.each([
    ['# nosec', 'B602', true],
    ['# nosec B607', 'B602', false],
    ['# nosec subprocess_popen_with_shell_equals_true', 'B602', true],
    ['# nosec B001', 'B301', true],
    ['# nosec B001', 'B602', false],
  ])('%s applies to %s: %s', (comment, id, expected) => {
    const name = id === 'B602' ? 'subprocess_popen_with_shell_equals_true' : 'x';
    expect(nosecApplies(parseNosec(comment, known)!, id, name)).toBe(expected);
  });
});
