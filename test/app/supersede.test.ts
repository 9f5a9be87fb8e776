/** A newer push to a pull request stops the older review in flight: it posts nothing and says it was superseded. */
import nock from 'nock';
import { API, mockToken, newFilePatch, payload, repoPath, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { blobSha, mockScenario } from './scenario.js';

useHermeticNock();

const OLD_SHA = 'd4'.repeat(20);
const NEW_SHA = 'a1'.repeat(20); // the scenario's head
const CODE = 'def run(cmd):\n    exec(cmd)\n';
const FILES = [{ filename: 'app/run.py', patch: newFilePatch(CODE), content: CODE }];

const waitFor = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!what()) throw new Error('waited in vain');
};

it('two pushes in quick succession leave only the newest result', async () => {
  const app = await testApp();
  const oldUpdates: any[] = [];
  let listingAsked = false;
  // the older push: its review is still waiting for the file listing when the newer push arrives
  mockToken();
  nock(API)
    .get(repoPath(`/commits/${OLD_SHA}/check-runs`))
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(repoPath('/check-runs'), (body) => body.head_sha === OLD_SHA)
    .reply(201, { id: 444 })
    .get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/)
    .query(true)
    .reply(404, { message: 'Not Found' })
    .get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/)
    .reply(404, { message: 'Not Found' })
    .get(/^\/repos\/acme\/shop\/pulls\/7\/files/)
    .query(true)
    .delay(1_000)
    .reply(200, () => ((listingAsked = true), [{ sha: blobSha(CODE), filename: 'app/run.py', status: 'added', patch: newFilePatch(CODE) }]))
    .patch(repoPath('/check-runs/444'))
    .reply(200, (_uri, body) => (oldUpdates.push(body), { id: 444 }));
  const older = app.probot.receive({ id: 'push-1', name: 'pull_request', payload: payload('pull_request', 'synchronize', { headSha: OLD_SHA }) } as never);
  await older;
  await waitFor(() => listingAsked || nock.pendingMocks().length === 1);

  const rec = mockScenario({ files: FILES, expectReview: true });
  await app.deliver('pull_request', payload('pull_request', 'synchronize', { headSha: NEW_SHA }), 'push-2');

  // the older run: completed once, neutral, naming the newer commit; no review for its commit
  expect(oldUpdates).toEqual([expect.objectContaining({ status: 'completed', conclusion: 'neutral' })]);
  expect(oldUpdates[0].output.title).toBe(`Superseded by ${NEW_SHA.slice(0, 12)}`);
  expect(oldUpdates[0].output.summary).toContain(NEW_SHA);
  expect(rec.reviews.map((r) => r.body.commit_id)).toEqual([NEW_SHA]);
  // the newer run has the real result
  const done = rec.updates.filter((u) => u.status === 'completed');
  expect(done).toHaveLength(1);
  expect(done[0].conclusion).toBe('success'); // B102 is medium, below the default fail_on
  expect(done[0].output.title).not.toMatch(/Superseded/);
  expect(rec.reviews[0].body.comments).toHaveLength(1);
});
