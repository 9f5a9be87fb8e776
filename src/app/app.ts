/** The pyward Probot application: wires the engine's ports (parser, clock, queue) into the handlers. */
import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from 'probot';
import { advisorySourceFromEnv } from '../dependencies/advisories/select-source.js';
import type { AdvisorySource } from '../dependencies/advisories/source.js';
import { pythonParser } from '../python/parser.js';
import { linkBaseFromEnv, ruleUrl, type LinkBase } from '../report/rule-links.js';
import { ALL_RULES } from '../rules/registry.js';
import { registerHandlers } from './handlers.js';
import { createQueue, type Queue } from './queue.js';
import { packageRepository, rulePagesHandler } from './rule-pages.js';

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
  /** Where findings link (default: PYWARD_PUBLIC_URL's rule pages, else PYWARD_DOCS_URL / package.json's repository). */
  links?: LinkBase;
}

export function createApp(options: AppOptions = {}): ApplicationFunction & { queue: Queue } {
  let queue = options.queue;
  const fn = ((app: Probot, server?: ApplicationFunctionOptions) => {
    queue ??= createQueue(options.concurrency ?? Number(process.env.PYWARD_CONCURRENCY ?? 4), (name, err) => app.log.error({ err, job: name }, 'review job failed'));
    fn.queue = queue;
    let advisories = options.advisories;
    const links = options.links ?? linkBaseFromEnv(process.env, packageRepository());
    const ruleIds = new Set(ALL_RULES.map((r) => r.meta.id));
    registerHandlers(app, {
      advisories: () => (advisories ??= advisorySourceFromEnv(process.env)),
      queue,
      parser: pythonParser,
      now: options.now ?? (() => performance.now()),
      docsUrl: (id) => ruleUrl(id, links, (x) => ruleIds.has(x)),
      timeoutMs: options.timeoutMs ?? Number(process.env.PYWARD_SCAN_TIMEOUT_MS ?? 300_000),
    });
    // Probot without its HTTP server (tests, serverless) has no routes; the pages are then simply not served.
    if (server?.addHandler) {
      try {
        server.addHandler(rulePagesHandler(ALL_RULES));
      } catch (err) {
        app.log.debug({ err }, 'no HTTP server: rule pages are not served');
      }
    }
  }) as unknown as ApplicationFunction & { queue: Queue };
  if (queue) fn.queue = queue;
  return fn;
}
