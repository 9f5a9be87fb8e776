/** Fail closed: a review that could not cover the whole pull request never passes silently (issue 9). */
import nock from 'nock';
import { API, newFilePatch, payload, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

/** "Billion laughs": ten levels of nine aliases each would expand to 9^10 strings. */
export function yamlBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

let app: TestApp;
useHermeticNock();
beforeEach(async () => {
  app = await testApp();
});

const completing = (rec: { updates: any[] }) => rec.updates.find((u) => u.status === 'completed');
const EXEC = 'exec(x)\n';

describe('a file pyward could not analyse', () => {
  // Over max_file_size (set low here so the test stays small): listed, and the check fails unless incomplete: neutral.
  it.each([
    ['max_file_size: 100\n', 'failure'],
    ['max_file_size: 100\nincomplete: neutral\n', 'neutral'],
  ])('with %j the check concludes %s and says what was not reviewed', async (config, conclusion) => {
    const big = `x = 1\n${'# padding\n'.repeat(20)}`;
    const rec = mockScenario({ files: [{ filename: 'gen/big.py', patch: newFilePatch(big), content: big }], config });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    expect(done.conclusion).toBe(conclusion);
    expect(done.output.title).toBe('Incomplete review: 1 item not reviewed; no new findings');
    expect(done.output.summary).toMatch(/### Not reviewed\n\n- ⚠️ \*\*pyward could not review all of this change\*\*/);
    expect(done.output.summary).toMatch(/`gen\/big.py`: 0\\?\.0 MiB is over the 0\.0 MiB limit/);
    expect(done.output.summary).toMatch(/exclude generated or vendored files with `paths.ignore`/);
    expect(done.output.summary).toMatch(/exclude them with paths\.ignore, or raise max_file_size \(--max-file-size on the command line\)/);
  });
});

describe('a billion-laughs .github/pyward.yml in the pull request', () => {
  it('is an invalid config with a clear message; the rest of the PR is still reviewed under the default branch config', async () => {
    const rec = mockScenario({
      files: [
        { filename: '.github/pyward.yml', status: 'modified', patch: newFilePatch(yamlBomb()) },
        { filename: 'a.py', patch: newFilePatch(EXEC), content: EXEC },
      ],
      config: 'fail_on: critical\n',
      expectReview: true,
    });
    nock(API)
      .get(/\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/)
      .query({ ref: 'a1'.repeat(20) })
      .reply(200, { type: 'file', encoding: 'base64', content: Buffer.from(yamlBomb()).toString('base64') });
    await app.deliver('pull_request', payload('pull_request', 'opened'));
    const done = completing(rec);
    // exec is medium and fail_on is critical: only the invalid proposed config fails the check.
    expect(done.conclusion).toBe('failure');
    expect(done.output.annotations.map((a: any) => [a.path, a.start_line, a.title.split(' ')[0]])).toEqual([['a.py', 1, 'B102']]);
    expect(done.output.summary).toMatch(/the new file is invalid[\s\S]*not a usable YAML configuration: .*aliases are limited to 100/);
    expect(done.output.summary).toMatch(/`\.github\/pyward\.yml`: the configuration this change proposes is invalid/);
  });
});
