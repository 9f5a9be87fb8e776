import { asSentence, trimOnWord } from '../../src/dependencies/osv/summary-text.js';

describe('advisory summary text', () => {
  it.each([
    ['short enough', 20, 'short enough'],
    ['spaces   and\nnewlines  collapse', 40, 'spaces and newlines collapse'],
    ['a pickle deserialisation method allows code execution', 30, 'a pickle deserialisation…'],
    ['cut after a comma, not on it', 19, 'cut after a comma…'],
    ['Supercalifragilisticexpialidocious word', 12, 'Supercalifr…'],
  ])('trimOnWord(%j, %i) = %j', (text, max, expected) => {
    expect(trimOnWord(text, max)).toBe(expected);
    expect(trimOnWord(text, max).length).toBeLessThanOrEqual(max);
  });

  it.each([
    ['Sandbox escape', 'Sandbox escape.'],
    ['Sandbox escape.', 'Sandbox escape.'],
    ['Is it safe?', 'Is it safe?'],
    ['clipped…', 'clipped…'],
    ['clipped the old way...', 'clipped the old way…'],
  ])('asSentence(%j) = %j', (text, expected) => {
    expect(asSentence(text)).toBe(expected);
  });
});
