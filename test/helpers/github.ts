/** Probot + nock test kit: real webhook payloads (octokit's examples) shaped for a repo, and a hermetic app. */
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { join } from 'node:path';
import { createApp, type AppOptions, type PywardApp } from '../../src/app/app.js';
import { createLocalDbSource } from '../../src/dependencies/advisories/local-db.js';
import type { AdvisorySource } from '../../src/dependencies/advisories/source.js';
import type { ReviewQueue } from '../../src/app/queue.js';

export const API = 'https://api.github.com';
export const OWNER = 'acme';
export const REPO = 'shop';
export const INSTALLATION = 4242;
export const BASE_SHA = 'b'.repeat(40);
export const HEAD_SHA = 'a1'.repeat(20);

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Record<string, unknown>[] }[];

/** A real example payload of `name` with `action`, moved onto acme/shop and the given PR. */
export function payload(name: string, action: string, pr: { number?: number; headSha?: string; baseSha?: string; draft?: boolean; state?: string } = {}): Record<string, any> {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  const p = structuredClone(found) as Record<string, any>;
  p.installation = { id: INSTALLATION, node_id: 'x' };
  p.repository = { ...p.repository, name: REPO, full_name: `${OWNER}/${REPO}`, owner: { ...p.repository.owner, login: OWNER }, default_branch: 'main', html_url: `https://github.com/${OWNER}/${REPO}` };
  const number = pr.number ?? 7;
  const headSha = pr.headSha ?? HEAD_SHA;
  const baseSha = pr.baseSha ?? BASE_SHA;
  if (p.pull_request) {
    p.pull_request = { ...p.pull_request, number, state: pr.state ?? 'open', draft: pr.draft ?? false, head: { ...p.pull_request.head, sha: headSha }, base: { ...p.pull_request.base, sha: baseSha } };
    p.number = number;
  }
  if (p.check_suite) p.check_suite = { ...p.check_suite, head_sha: headSha };
  if (p.check_run) p.check_run = { ...p.check_run, name: 'pyward', head_sha: headSha };
  return p;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } });
export const PRIVATE_KEY = privateKey;

export interface TestApp {
  probot: Probot;
  queue: ReviewQueue;
  app: PywardApp;
  /** Deliver a webhook and wait until the review it queued has finished. */
  deliver(name: string, body: Record<string, any>, id?: string): Promise<void>;
}

/** Retries wait for nothing: `slept` records the waits asked for, and `clock` advances by them. */
export const instantFaults = () => {
  const state = { slept: [] as number[], clock: Date.UTC(2030, 0, 1) };
  return { state, faults: { sleep: async (ms: number) => void (state.slept.push(ms), (state.clock += ms)), now: () => state.clock } };
};

export async function testApp(options: AppOptions & { advisories?: AdvisorySource } = {}): Promise<TestApp> {
  const probot = new Probot({
    appId: 1,
    privateKey: PRIVATE_KEY,
    logLevel: (process.env.PYWARD_TEST_LOG as 'fatal' | undefined) ?? 'fatal',
    // A function, so it applies after Probot's own defaults (which would turn throttling back on: 1 s per write).
    Octokit: ProbotOctokit.defaults((options: any) => ({ ...options, retry: { enabled: false }, throttle: { ...options.throttle, enabled: false } })),
  });
  const app = createApp({ concurrency: 2, now: () => 0, faults: instantFaults().faults, advisories: options.advisories ?? createLocalDbSource(join(process.cwd(), 'examples/advisories')), env: {}, ...options });
  await probot.load(app);
  const queue = app.queue;
  let n = 0;
  return {
    probot,
    queue,
    app,
    async deliver(name, body, id) {
      await probot.receive({ id: id ?? `delivery-${++n}`, name, payload: body } as never);
      await queue.idle();
    },
  };
}

/** The installation token Probot asks for before any API call. */
export function mockToken(): nock.Scope {
  return nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).optionally().reply(201, { token: 'test-token', permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' } });
}

export const repoPath = (rest: string) => `/repos/${OWNER}/${REPO}${rest}`;

export function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** A patch adding every line of a new file. */
export function newFilePatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}
