import { isOwnComment } from '../../src/app/publisher.js';

const ME = { id: 1, slug: 'pyward' };

describe('isOwnComment: whose fingerprint markers count', () => {
  it.each([
    ['posted through the app', { performed_via_github_app: { id: 1 }, user: { login: 'pyward[bot]', type: 'Bot' } }, true],
    ['the bot user, no app field', { user: { login: 'pyward[bot]', type: 'Bot' } }, true],
    ['the bot user, app field null', { performed_via_github_app: null, user: { login: 'pyward[bot]', type: 'Bot' } }, true],
    ['another app, whatever its user says', { performed_via_github_app: { id: 99 }, user: { login: 'pyward[bot]', type: 'Bot' } }, false],
    ['a person named like the bot', { user: { login: 'pyward[bot]', type: 'User' } }, false],
    ['a person', { user: { login: 'mallory', type: 'User' } }, false],
    ['another bot', { user: { login: 'pyward-fork[bot]', type: 'Bot' } }, false],
    ['no author (a deleted account)', { user: null }, false],
  ])('%s: %s', (_name, comment, expected) => {
    expect(isOwnComment(comment, ME)).toBe(expected);
  });
});
