/**
 * Restarts lose nothing: shutdown (what SIGTERM/SIGINT run) finishes in-flight reviews and completes queued
 * ones with a Re-run button; the journal brings interrupted reviews back at the next start, except one pyward
 * died in every time it ran it, which is given up with its check completed; the button works.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { JOURNAL_FILE, openFileJournal, readJournalText } from '../../src/app/journal.js';
import { MAX_CRASHED_RUNS } from '../../src/app/queue.js';
import { API, mockToken, newFilePatch, payload, repoPath, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

useHermeticNock();

const CODE = 'def run(cmd):\n    exec(cmd)\n';
const FILES = [{ filename: 'app/run.py', patch: newFilePatch(CODE), content: CODE }];
const QUEUED_SHA = 'c5'.repeat(20);

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pyward-state-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const waitFor = async (what: () => boolean) => {
  for (let i = 0; i < 400 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!what()) throw new Error('waited in vain');
};

it('shutdown finishes the review in flight, completes the queued one with a Re-run button, and refuses new webhooks', async () => {
  const app = await testApp({ concurrency: 1, stateDir: dir });
  const rec = mockScenario({ files: FILES, expectReview: true, filesDelayMs: 200 });
  const queuedUpdates: any[] = [];
  nock(API)
    .get(repoPath(`/commits/${QUEUED_SHA}/check-runs`))
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(repoPath('/check-runs'), (body) => body.head_sha === QUEUED_SHA)
    .reply(201, { id: 777 })
    .patch(repoPath('/check-runs/777'))
    .reply(200, (_uri, body) => (queuedUpdates.push(body), { id: 777 }));
  await app.probot.receive({ id: 'd1', name: 'pull_request', payload: payload('pull_request', 'opened') } as never);
  await app.probot.receive({ id: 'd2', name: 'pull_request', payload: payload('pull_request', 'opened', { number: 9, headSha: QUEUED_SHA }) } as never);
  expect(app.queue.size).toBe(2);

  await app.app.shutdown(30_000);

  // in flight: finished normally, its review posted
  const done = rec.updates.filter((u) => u.status === 'completed');
  expect(done).toHaveLength(1);
  expect(done[0].conclusion).toBe('success');
  expect(done[0].output.title).not.toMatch(/restart/);
  expect(rec.reviews).toHaveLength(1);
  // queued: never reviewed, completed with the button
  expect(queuedUpdates).toEqual([
    expect.objectContaining({
      status: 'completed',
      conclusion: 'action_required',
      actions: [{ label: 'Re-run', identifier: 'pyward-rerun', description: 'Review this commit again' }],
    }),
  ]);
  expect(queuedUpdates[0].output.title).toBe('Interrupted by a pyward restart');
  // the journal keeps the interrupted review (not the finished one) for the next start
  const open = readJournalText(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).open;
  expect(open.map((d) => [d.pr.number, d.pr.headSha])).toEqual([[9, QUEUED_SHA]]);
  // no new webhook is taken while draining: the delivery fails (GitHub shows it, it can be redelivered)
  await expect(app.probot.receive({ id: 'd3', name: 'pull_request', payload: payload('pull_request', 'opened', { number: 11, headSha: 'e6'.repeat(20) }) } as never)).rejects.toThrow(
    /shutting down/,
  );
});

it('a review still running when the grace period ends is completed with a Re-run button and posts nothing', async () => {
  const app = await testApp({ concurrency: 1, stateDir: dir });
  const rec = mockScenario({ files: FILES, filesDelayMs: 1_000 });
  await app.probot.receive({ id: 'd1', name: 'pull_request', payload: payload('pull_request', 'opened') } as never);
  await waitFor(() => rec.created.length === 1);
  await app.app.shutdown(50);
  expect(rec.updates.filter((u) => u.status === 'completed')).toEqual([expect.objectContaining({ conclusion: 'action_required' })]);
  expect(rec.reviews).toEqual([]);
  // the scenario's later mocks (blobs, completion of a full review) are not all used: clear them
  nock.cleanAll();
});

it('a restart without Redis resumes the reviews the journal holds, on the same check run', async () => {
  const journal = openFileJournal(dir);
  journal.accepted({
    installationId: 4242,
    repo: { owner: 'acme', repo: 'shop', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/shop' },
    pr: { number: 7, headSha: 'a1'.repeat(20), baseSha: 'b'.repeat(40), draft: false, state: 'open' },
    checkRunId: 555,
  });
  // a torn last line (the process died mid-write) is skipped
  const { appendFileSync } = await import('node:fs');
  appendFileSync(journal.path, '{"op":"accep');
  // the run is found on the commit again, set in progress, and completed with the review's result
  const rec = mockScenario({ files: FILES, existingRunId: 555, expectReview: true });
  const app = await testApp({ stateDir: dir });
  await app.queue.idle();
  expect(rec.updates[0]).toMatchObject({ status: 'in_progress' });
  expect(rec.updates.filter((u) => u.status === 'completed')).toEqual([expect.objectContaining({ conclusion: 'success' })]);
  expect(rec.reviews).toHaveLength(1);
  expect(readJournalText(readFileSync(journal.path, 'utf8')).open).toEqual([]);
});

it('the Re-run button (check_run.requested_action) reviews the commit again on the same run', async () => {
  const app = await testApp();
  mockToken();
  nock(API)
    .get(repoPath('/pulls/7'))
    .reply(200, { number: 7, state: 'open', draft: false, head: { sha: 'a1'.repeat(20) }, base: { sha: 'b'.repeat(40) } });
  const rec = mockScenario({ files: FILES, existingRunId: 555, expectReview: true });
  const body = payload('check_run', 'requested_action');
  body.requested_action = { identifier: 'pyward-rerun' };
  body.check_run.pull_requests = [{ number: 7 }];
  await app.deliver('check_run', body);
  expect(rec.created).toEqual([]);
  expect(rec.updates.filter((u) => u.status === 'completed')).toHaveLength(1);

  // another app's button is not pyward's
  const other = payload('check_run', 'requested_action');
  other.requested_action = { identifier: 'lgtm' };
  await app.deliver('check_run', other);
});

describe('a review pyward dies in every time it runs it', () => {
  const DATA = {
    installationId: 4242,
    repo: { owner: 'acme', repo: 'shop', defaultBranch: 'main', htmlUrl: 'https://github.com/acme/shop' },
    pr: { number: 7, headSha: 'a1'.repeat(20), baseSha: 'b'.repeat(40), draft: false, state: 'open' as const },
    checkRunId: 555,
  };
  const ID = 'acme/shop#7@' + 'a1'.repeat(20);

  it('the journal counts the runs that started and never ended, across compactions', () => {
    const text = [
      { op: 'accepted', data: DATA },
      { op: 'started', id: ID },
      { op: 'interrupted', id: ID }, // a shutdown: a clean end
      { op: 'started', id: ID },
      { op: 'started', id: ID },
      { op: 'accepted', data: DATA }, // resumed at a start-up
      { op: 'started', id: ID },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    expect(readJournalText(text).crashes).toEqual({ [ID]: 3 });
    expect(readJournalText(`${text}\n${JSON.stringify({ op: 'done', id: ID })}`)).toEqual({ open: [], crashes: {}, skipped: 0 });
    // opening the journal compacts it: the count survives
    writeFileSync(join(dir, JOURNAL_FILE), text);
    const journal = openFileJournal(dir);
    expect(journal.recovered.crashes).toEqual({ [ID]: 3 });
    expect(readJournalText(readFileSync(journal.path, 'utf8')).crashes).toEqual({ [ID]: 3 });
    journal.started(ID);
    journal.interrupted(ID);
    expect(readJournalText(readFileSync(journal.path, 'utf8')).crashes).toEqual({});
  });

  it(`is given up at the next start after ${MAX_CRASHED_RUNS + 1} runs it died in: its check completes as incomplete, with a Re-run button`, async () => {
    const journal = openFileJournal(dir);
    journal.accepted(DATA);
    for (let i = 0; i <= MAX_CRASHED_RUNS; i++) journal.started(ID);
    mockToken();
    // the run is found on the commit again; the config in force decides the conclusion (none: the default)
    const updates: any[] = [];
    nock(API)
      .get(repoPath(`/commits/${'a1'.repeat(20)}/check-runs`))
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 555, name: 'pyward', status: 'in_progress' }] })
      .patch(repoPath('/check-runs/555'))
      .times(2)
      .reply(200, (_uri, body) => (updates.push(body), { id: 555 }))
      .get(/^\/repos\/acme\/shop\/contents\/\.github(%2F|\/)pyward\.yml/)
      .query({ ref: 'main' })
      .reply(404, { message: 'Not Found' })
      .get(/^\/repos\/acme\/\.github\/contents\/\.github(%2F|\/)pyward\.yml/)
      .reply(404, { message: 'Not Found' });
    await testApp({ stateDir: dir });
    await waitFor(() => updates.some((u) => u.status === 'completed'));
    expect(updates.filter((u) => u.status === 'completed')).toEqual([
      expect.objectContaining({ conclusion: 'failure', actions: [{ label: 'Re-run', identifier: 'pyward-rerun', description: 'Review this commit again' }] }),
    ]);
    const done = updates.find((u) => u.status === 'completed');
    expect(done.output.title).toBe('pyward could not finish this review');
    expect(done.output.summary).toContain(`pyward could not finish this review: pyward stopped ${MAX_CRASHED_RUNS + 1} times while running it (a crash or an out-of-memory kill). Press **Re-run** to try again.`);
    // and it leaves the journal
    await waitFor(() => readJournalText(readFileSync(journal.path, 'utf8')).open.length === 0);
  });

  it(`is resumed as usual after ${MAX_CRASHED_RUNS} runs it died in`, async () => {
    const journal = openFileJournal(dir);
    journal.accepted(DATA);
    for (let i = 0; i < MAX_CRASHED_RUNS; i++) journal.started(ID);
    const rec = mockScenario({ files: FILES, existingRunId: 555, expectReview: true });
    const app = await testApp({ stateDir: dir });
    await app.queue.idle();
    expect(rec.updates.filter((u) => u.status === 'completed')).toEqual([expect.objectContaining({ conclusion: 'success' })]);
    expect(readJournalText(readFileSync(journal.path, 'utf8'))).toEqual({ open: [], crashes: {}, skipped: 0 });
  });
});
