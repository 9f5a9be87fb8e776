/**
 * A review whose instance dies every time it runs it (the shared BullMQ queue on a real redis-server) does not
 * leave its check run in progress: once its worker has stopped more than `maxStalled` times, one of two app
 * instances completes the check, once, as incomplete (failure by default, neutral with `incomplete: neutral`),
 * saying why, with a Re-run button. GitHub is mocked (nock).
 */
import { randomUUID } from 'node:crypto';
import nock from 'nock';
import { createBullQueue } from '../../src/app/bullmq-queue.js';
import { reviewJobId, type ReviewJobData } from '../../src/app/queue.js';
import { dieRunning } from '../helpers/dying-instance.js';
import { API, b64, BASE_SHA, HEAD_SHA, INSTALLATION, mockToken, repoPath, testApp, type TestApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { startRedisServer } from '../support/redis-server.mjs';

useHermeticNock();

let redis: Awaited<ReturnType<typeof startRedisServer>>;
beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

const apps: TestApp[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.shutdown(0)));
});

const waitFor = async (what: () => boolean, timeoutMs: number, label: string) => {
  const end = Date.now() + timeoutMs;
  while (!what()) {
    if (Date.now() > end) throw new Error(`waited in vain for ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

it.each([
  ['no configuration: the fail-closed default', undefined, 'failure'],
  ['incomplete: neutral', 'incomplete: neutral\n', 'neutral'],
])('a review whose worker dies every time ends with its check completed once (%s)', async (_name, config, conclusion) => {
  const prefix = `t-${randomUUID()}`;
  const lockMs = 1_000;
  const maxStalled = 1;
  const data: ReviewJobData = {
    installationId: INSTALLATION,
    repo: { owner: 'acme', repo: 'shop', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/shop' },
    pr: { number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA, draft: false, state: 'open' },
    checkRunId: 555,
  };
  const id = reviewJobId(data);
  // Two instances take the review in turn and die in it (a crash, an OOM kill): the second loss is one too many.
  await dieRunning(redis.url, prefix, lockMs, maxStalled, id, data);
  await dieRunning(redis.url, prefix, lockMs, maxStalled, id);

  mockToken();
  const api = nock(API);
  // the config in force decides the conclusion
  if (config) api.get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'main' }).reply(200, { type: 'file', encoding: 'base64', content: b64(config) });
  else {
    api.get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/).query({ ref: 'main' }).reply(404, { message: 'Not Found' });
    api.get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/).reply(404, { message: 'Not Found' });
  }
  const updates: any[] = [];
  // exactly one completion: a second PATCH would match no mock and fail the test
  api.patch(repoPath('/check-runs/555')).reply(200, (_uri, body) => (updates.push(body), { id: 555 }));

  for (let i = 0; i < 2; i++) {
    apps.push(
      await testApp({
        queue: (process) => createBullQueue({ redisUrl: redis.url, prefix, process, concurrency: 1, perInstallation: 2, lockMs, checkMs: 50, retryMs: 50, maxStalled, onError: () => {} }),
      }),
    );
  }
  await waitFor(() => updates.length > 0, 30_000, 'the check run completed');
  await apps[0]!.queue.idle();
  // another round of stalled checks on both instances: nobody completes it again
  await new Promise((r) => setTimeout(r, 2 * lockMs));
  expect(updates).toEqual([
    expect.objectContaining({
      status: 'completed',
      conclusion,
      actions: [{ label: 'Re-run', identifier: 'pyward-rerun', description: 'Review this commit again' }],
    }),
  ]);
  expect(updates[0].output.title).toBe('pyward could not finish this review');
  expect(updates[0].output.summary).toContain('pyward could not finish this review: the instance running it stopped 2 times before it finished (a crash or an out-of-memory kill). Press **Re-run** to try again.');
  expect(updates[0].output.summary).toContain(conclusion === 'failure' ? 'This check fails until a review completes' : 'This check is neutral (`incomplete: neutral`)');
  expect(await apps[1]!.queue.has(id)).toBe(false);
}, 120_000);
