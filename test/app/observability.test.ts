/** Metrics, the health check and the per-review log line (a review mocked with nock, the handler called directly). */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newFilePatch, payload, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { observabilityHandler } from '../../src/app/observability.js';
import { mockScenario } from './scenario.js';

useHermeticNock();

const CODE = 'import subprocess\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n';

/** Calls the handler as Probot's server would; returns what it answered (undefined = not its route). */
async function get(handler: ReturnType<typeof observabilityHandler>, url: string) {
  const res = Object.assign(new EventEmitter(), {
    status: 0,
    headers: {} as Record<string, string>,
    body: '',
    writeHead(status: number, headers: Record<string, string>) {
      this.status = status;
      this.headers = headers;
      return this;
    },
    end(body: string) {
      this.body = body;
      return this;
    },
  });
  const handled = await handler({ method: 'GET', url } as IncomingMessage, res as unknown as ServerResponse);
  return handled ? res : undefined;
}

it('a review is counted by conclusion, timed, its GitHub calls exported; the log line says repo, PR, sha, files, findings, duration, API calls', async () => {
  const app = await testApp();
  // What pyward logs through Probot's pino logger (the review's child logger), captured as records.
  const lines: { record: Record<string, unknown>; msg: string }[] = [];
  const log = app.probot.log as unknown as { child: (b: object) => { info: (o: object, m: string) => void } };
  const child = log.child.bind(log);
  log.child = (bindings) => {
    const c = child(bindings);
    const info = c.info.bind(c);
    c.info = (o, m) => (lines.push({ record: { ...bindings, ...o }, msg: m }), info(o, m));
    return c;
  };
  const rec = mockScenario({ files: [{ filename: 'app/run.py', patch: newFilePatch(CODE), content: CODE }], expectReview: true });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  expect(rec.updates.at(-1)).toMatchObject({ status: 'completed', conclusion: 'failure' });

  const handler = observabilityHandler(app.app.metrics, () => app.queue.draining);
  const metrics = (await get(handler, '/metrics'))!;
  expect(metrics.status).toBe(200);
  expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
  expect(metrics.body).toMatch(/^pyward_reviews_total\{conclusion="failure"\} 1$/m);
  expect(metrics.body).toMatch(/^pyward_review_duration_seconds_count\{conclusion="failure"\} 1$/m);
  expect(metrics.body).toMatch(/^pyward_queue_depth 0$/m);
  const calls = [...metrics.body.matchAll(/^pyward_github_requests_total\{status="\d+"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
  expect(calls).toBeGreaterThanOrEqual(5);
  expect(metrics.body).toMatch(/^pyward_process_resident_memory_bytes \d+/m);
  const done = lines.filter((l) => l.msg === 'review finished');
  expect(done).toHaveLength(1);
  expect(done[0]!.record).toEqual({
    review: `acme/shop#7@${'a1'.repeat(20)}`,
    repo: 'acme/shop',
    pr: 7,
    sha: 'a1'.repeat(20),
    installation: 4242,
    conclusion: 'failure',
    files: 1,
    findings: expect.any(Number),
    durationMs: expect.any(Number),
    apiCalls: expect.any(Number),
    rateLimitRemaining: undefined,
  });
  expect(done[0]!.record.findings).toBeGreaterThanOrEqual(1);
  // the handler's calls (start the run) are the event's; the review's own are counted on its client
  expect(done[0]!.record.apiCalls).toBeGreaterThanOrEqual(4);
  expect(done[0]!.record.apiCalls).toBeLessThan(calls);
});

it('/healthz is 200 while taking webhooks and 503 once a shutdown starts; other paths are not its business', async () => {
  const app = await testApp();
  const handler = observabilityHandler(app.app.metrics, () => app.queue.draining);
  expect(await get(handler, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ready"}' });
  expect(await get(handler, '/api/github/webhooks')).toBeUndefined();
  await app.app.shutdown(0);
  expect(await get(handler, '/healthz')).toMatchObject({ status: 503, body: '{"status":"draining"}' });
});
