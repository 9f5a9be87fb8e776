/** Config files are read with conditional requests: an unchanged file costs a 304, not a rate-limited call. */
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { clearConfigCache, fileText } from '../../src/app/repo-config.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';

useHermeticNock();

const octokit = () => new ProbotOctokit({ auth: { token: 'test' }, retry: { enabled: false }, throttle: { enabled: false } });
const b64 = (s: string) => Buffer.from(s).toString('base64');
const CONFIG = /^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/;

beforeEach(() => clearConfigCache());

/** GitHub's first answer: the file, with an ETag; then a second request, which must be conditional. */
function firstAnswerThenConditional() {
  const api = nock('https://api.github.com');
  api.get(CONFIG).query({ ref: 'main' }).reply(200, { type: 'file', encoding: 'base64', content: b64('fail_on: low\n') }, { etag: '"v1"' });
  return api.get(CONFIG).query({ ref: 'main' }).matchHeader('if-none-match', '"v1"');
}
const read = (gh: InstanceType<typeof ProbotOctokit>) => fileText(gh, { owner: 'acme', repo: 'shop' }, '.github/pyward.yml', 'main');

it('sends the ETag it was given and reuses the text on 304', async () => {
  firstAnswerThenConditional().reply(304, '');
  const gh = octokit();
  expect(await read(gh)).toBe('fail_on: low\n');
  expect(await read(gh)).toBe('fail_on: low\n');
});

it('takes a changed file, and asks unconditionally when no ETag came back', async () => {
  firstAnswerThenConditional().reply(200, { type: 'file', encoding: 'base64', content: b64('fail_on: medium\n') });
  nock('https://api.github.com')
    .get(CONFIG)
    .query({ ref: 'main' })
    .matchHeader('if-none-match', (v) => v === undefined)
    .reply(404, { message: 'Not Found' });
  const gh = octokit();
  expect(await read(gh)).toBe('fail_on: low\n');
  // the new answer carries no ETag: it is used, and the next request is not conditional
  expect(await read(gh)).toBe('fail_on: medium\n');
  expect(await read(gh)).toBeUndefined();
});
