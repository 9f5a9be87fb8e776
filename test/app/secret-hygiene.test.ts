/**
 * The private key, the webhook secret and installation tokens never reach the logs, errors or what pyward
 * posts: a review through GitHub faults (5xx, secondary limits, a failed review POST, a failed listing) is
 * logged at the most verbose level, and everything captured is searched for those values.
 */
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { join } from 'node:path';
import { createApp } from '../../src/app/app.js';
import { createLocalDbSource } from '../../src/dependencies/advisories/local-db.js';
import { API, INSTALLATION, instantFaults, newFilePatch, payload, PRIVATE_KEY, repoPath } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

useHermeticNock();

const TOKEN = 'ghs_Pyw4rdInstallationT0kenNeverLogged01';
const WEBHOOK_SECRET = 'whsec-pyward-never-logged-7f3a9c';
const CODE = 'import yaml\n\ndef load(s):\n    return yaml.load(s)\n\ndef run(c):\n    exec(c)\n';

/** Values that must not appear: the token, the secret, and every line of the key's body. */
const FORBIDDEN = [TOKEN, WEBHOOK_SECRET, ...PRIVATE_KEY.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))];

async function loggedApp() {
  let captured = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((captured += chunk.toString()), done()) });
  const probot = new Probot({
    appId: 1,
    privateKey: PRIVATE_KEY,
    secret: WEBHOOK_SECRET,
    log: pino({ level: 'trace' }, sink),
    Octokit: ProbotOctokit.defaults((options: any) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
  });
  const app = createApp({ concurrency: 1, now: () => 0, faults: instantFaults().faults, advisories: createLocalDbSource(join(process.cwd(), 'examples/advisories')), env: {} });
  await probot.load(app);
  return { probot, app, captured: () => captured };
}

it.each([
  ['GitHub faults on the listing, the review and the completion', 'faults'],
  ['a review that fails outright (listing down on every attempt)', 'down'],
] as const)('%s: no secret in logs, errors or posted text', async (_name, mode) => {
  const { probot, app, captured } = await loggedApp();
  nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: TOKEN, expires_at: '2099-01-01T00:00:00Z', permissions: { checks: 'write' } });
  const posted: string[] = [];
  let rec;
  if (mode === 'faults') {
    nock(API)
      .get(/^\/repos\/acme\/shop\/pulls\/7\/files/)
      .query(true)
      .reply(502, { message: 'Bad Gateway' })
      .post(repoPath('/pulls/7/reviews'))
      .reply(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '5' })
      .patch(repoPath('/check-runs/555'))
      .reply(500, { message: 'Server Error' });
    rec = mockScenario({ files: [{ filename: 'x.py', patch: newFilePatch(CODE), content: CODE }], expectReview: true });
  } else {
    rec = mockScenario({ files: [{ filename: 'x.py', patch: newFilePatch(CODE), content: CODE }], filesStatus: 503 });
  }
  await probot.receive({ id: 'd1', name: 'pull_request', payload: payload('pull_request', 'opened') } as never);
  await app.queue.idle();
  posted.push(JSON.stringify(rec.created), JSON.stringify(rec.updates), JSON.stringify(rec.reviews));

  const done = rec.updates.filter((u: any) => u.status === 'completed');
  expect(done).toHaveLength(1);
  // the log did record the faults (so the search below searched something)
  expect(captured()).toMatch(mode === 'faults' ? /GitHub request failed; retrying/ : /pyward review failed/);
  for (const value of FORBIDDEN) {
    expect(captured()).not.toContain(value);
    for (const text of posted) expect(text).not.toContain(value);
  }
});
