/**
 * The rule pages over real HTTP: the app `npm start` runs (src/index.ts) on Probot's own server, asked as a
 * browser or a link in a review comment would.
 */
import app from '../../src/index.js';
import { RULE_PAGE_CSP } from '../../src/report/rule-page-layout.js';
import { ruleUrl } from '../../src/report/rule-links.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { rawHttp, startProbotServer, type RunningServer } from '../helpers/probot-server.js';

let server: RunningServer;
const get = (path: string, method = 'GET') => rawHttp(server.origin, method, path);

beforeAll(async () => {
  server = await startProbotServer(app);
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

it('serves the index with a strict Content-Security-Policy', async () => {
  const res = await get('/pyward/rules');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['content-security-policy']).toBe(RULE_PAGE_CSP);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  for (const { meta } of ALL_RULES) expect(res.text).toContain(`href="rules/${meta.id}"`);
});

it('filters the index with ?q=', async () => {
  const res = await get('/pyward/rules?q=B602');
  expect(res.status).toBe(200);
  expect(res.text).toMatch(/<tr data-search="b602 [^"]*"><td>/);
  expect(res.text).toMatch(/<tr data-search="b101 [^"]*" hidden>/);
});

it('answers every link a finding can carry in App mode with a page', async () => {
  const base = { kind: 'pages' as const, publicUrl: server.origin };
  const isRule = (id: string) => ALL_RULES.some((r) => r.meta.id === id);
  const ids = [...ALL_RULES.map((r) => r.meta.id), 'PYSEC-2021-142', 'GHSA-8q59-q68h-6hv4'];
  for (const id of ids) {
    const url = new URL(ruleUrl(id, base, isRule)!);
    expect(url.origin).toBe(server.origin);
    const res = await get(url.pathname);
    expect([id, res.status]).toEqual([id, 200]);
    expect(res.text).toContain(`<h1><code>${id}</code>`);
  }
}, 60_000);

it.each([
  ['/pyward/rules/B999', 404],
  ['/pyward/rules/%3Cscript%3E', 404],
  ['/pyward/rules/a/b', 404],
])('%s is a %s page', async (path, status) => {
  const res = await get(path);
  expect(res.status).toBe(status);
  expect(res.headers['content-security-policy']).toBe(RULE_PAGE_CSP);
  expect(res.text).toContain('<h1>No such rule</h1>');
  expect(res.text).not.toContain('<script>');
});

it.each([
  ['/pyward/rules/b602', 'B602'],
  ['/pyward/rules/subprocess_popen_with_shell_equals_true', 'B602'],
  ['/pyward/rules/', '../rules'],
  ['/pyward/rules/?q=yaml', '../rules?q=yaml'],
  ['/pyward/rules/B602/', '../B602'],
])('%s redirects to %s', async (path, location) => {
  const res = await get(path);
  expect(res.status).toBe(301);
  expect(res.headers.location).toBe(location);
  // where the browser lands: a page that exists
  const target = new URL(location, `${server.origin}${path}`);
  expect((await get(`${target.pathname}${target.search}`)).status).toBe(200);
});

it('answers HEAD without a body and refuses other methods', async () => {
  const head = await get('/pyward/rules/B602', 'HEAD');
  expect(head.status).toBe(200);
  expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
  expect(head.text).toBe('');
  const post = await get('/pyward/rules/B602', 'POST');
  expect(post.status).toBe(405);
  expect(post.headers.allow).toBe('GET, HEAD');
});

it("leaves Probot's own routes alone", async () => {
  expect((await get('/ping')).text).toContain('PONG');
  expect((await get('/pyward/rulesx')).status).toBe(404);
  expect((await get('/pyward/rulesx')).text).not.toContain('<html');
});
