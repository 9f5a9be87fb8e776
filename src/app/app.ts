/** The pyward Probot application: wires the engine's ports (parser, clock, queue) into the handlers. */
import type { ApplicationFunction, Probot } from 'probot';
import { advisorySourceFromEnv } from '../dependencies/advisories/select-source.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { pythonParser } from '../python/parser.js';
import { RULES_DOC_URI } from '../report/sarif.js';
import { registerHandlers } from './handlers.js';
import type { AppIdentity } from './publisher.js';
import { createQueue, type Queue } from './queue.js';

export interface AppOptions {
  /** Reviews run at once; the rest wait in the queue. */
  concurrency?: number;
  timeoutMs?: number;
  /** Exposed so tests and shutdown can wait for queued reviews. */
  queue?: Queue;
  /** Clock for scan durations (tests pin it). */
  now?: () => number;
  /** Advisory source; default: PYWARD_ADVISORY_DB's local database, else the OSV API. */
  advisories?: AdvisorySource;
}

/** The app's id and slug (`GET /app`, as the app): asked once per process, again after a failure. */
function appIdentity(app: Probot): () => Promise<AppIdentity> {
  let known: Promise<AppIdentity> | undefined;
  return () =>
    (known ??= (async () => {
      const octokit = await app.auth();
      const { data } = await octokit.rest.apps.getAuthenticated();
      if (!data || typeof data.id !== 'number' || typeof data.slug !== 'string') throw new Error('GitHub did not say which app pyward is (GET /app)');
      return { id: data.id, slug: data.slug };
    })().catch((err: unknown) => {
      known = undefined;
      throw err;
    }));
}

export function createApp(options: AppOptions = {}): ApplicationFunction & { queue: Queue } {
  let queue = options.queue;
  const fn = ((app: Probot) => {
    queue ??= createQueue(options.concurrency ?? Number(process.env.PYWARD_CONCURRENCY ?? 4), (name, err) => app.log.error({ err, job: name }, 'review job failed'));
    fn.queue = queue;
    let advisories = options.advisories;
    registerHandlers(app, {
      advisories: () => (advisories ??= advisorySourceFromEnv(process.env)),
      queue,
      parser: pythonParser,
      now: options.now ?? (() => performance.now()),
      docsUrl: (id) => `${process.env.PYWARD_DOCS_URL ?? RULES_DOC_URI}#${id.toLowerCase()}`,
      timeoutMs: options.timeoutMs ?? Number(process.env.PYWARD_SCAN_TIMEOUT_MS ?? 300_000),
      identity: appIdentity(app),
    });
  }) as unknown as ApplicationFunction & { queue: Queue };
  if (queue) fn.queue = queue;
  return fn;
}
