/**
 * A pull request that adds a leaked credential to a `.env` file and a settings module: the App comments both
 * (PW401, PW403), and no raw credential appears in the check run, the review or the logs (trace level).
 */
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../../src/app/app.js';
import { API, INSTALLATION, instantFaults, newFilePatch, payload, PRIVATE_KEY } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { fakeCredentials } from '../helpers/fake-credentials.js';
import { mockScenario } from './scenario.js';

useHermeticNock();

const F = fakeCredentials();
const ENV = `DJANGO_SETTINGS_MODULE=shop.settings\nGITHUB_TOKEN=${F.ghp}\nSTRIPE_SECRET_KEY=${F.stripeLive}\n`;
const SETTINGS = `DATABASE_URL = "postgresql://shop:Vq8rT2mZk4Lp@db.internal.shop.io:5432/shop"\nSLACK = "${F.slackWebhook}"\n`;
const RAW = [F.ghp, F.stripeLive, F.slackWebhook, 'Vq8rT2mZk4Lp', F.ghp.slice(4, -4), F.stripeLive.slice(8, -4)];

it('comments the leaked credentials of a .env file and a settings module, and never shows them', async () => {
  let captured = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((captured += chunk.toString()), done()) });
  const probot = new Probot({
    appId: 1,
    privateKey: PRIVATE_KEY,
    log: pino({ level: 'trace' }, sink),
    Octokit: ProbotOctokit.defaults((options: any) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
  });
  const app = createApp({ concurrency: 1, now: () => 0, faults: instantFaults().faults, env: {} });
  await probot.load(app);
  nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: 'ghs_test', expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write' } });
  const rec = mockScenario({
    files: [
      { filename: '.env', patch: newFilePatch(ENV), content: ENV },
      { filename: 'shop/settings.py', patch: newFilePatch(SETTINGS), content: SETTINGS },
    ],
    expectReview: true,
  });
  await probot.receive({ id: 'd1', name: 'pull_request', payload: payload('pull_request', 'opened') } as never);
  await app.queue.idle();

  const comments = rec.reviews.flatMap((r: any) => r.body.comments ?? []).map((c: any) => [c.path, c.line, /PW40\d/.exec(c.body)?.[0]]).sort((a: any, b: any) => a[0].localeCompare(b[0]) || a[1] - b[1]);
  expect(comments).toEqual([
    ['.env', 2, 'PW401'],
    ['.env', 3, 'PW401'],
    ['shop/settings.py', 1, 'PW403'],
    ['shop/settings.py', 2, 'PW401'],
  ]);
  expect(rec.updates.find((u: any) => u.status === 'completed')?.conclusion).toBe('failure');
  const posted = JSON.stringify([rec.created, rec.updates, rec.reviews]);
  for (const value of RAW) {
    expect(posted.includes(value) ? value : undefined).toBeUndefined();
    expect(captured.includes(value) ? value : undefined).toBeUndefined();
  }
});
