/**
 * The rule pages in a real headless browser (Debian's chromium driven by playwright-core), served by the
 * app on Probot's own server: the index renders, its search finds rules by id and by name (with and
 * without JavaScript), links land on the pages, every link resolves, the Content-Security-Policy blocks
 * nothing the pages need, and axe finds no accessibility violation.
 */
import { existsSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import app from '../../src/index.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { startProbotServer, type RunningServer } from '../helpers/probot-server.js';

const CHROMIUM = process.env.PYWARD_CHROMIUM ?? '/usr/bin/chromium';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
/** Console errors of every page (a CSP violation is one), checked after each test. */
let consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run installs it), or set PYWARD_CHROMIUM to a Chromium binary.`);
  }
  server = await startProbotServer(app);
  browser = await chromium.launch({ executablePath: CHROMIUM });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

beforeEach(async () => {
  consoleErrors = [];
  context = await browser.newContext();
});

afterEach(async () => {
  await context?.close();
  expect(consoleErrors).toEqual([]);
});

/** Chromium logs a 404 document as a failed load: expected for the unknown-id page, an error anywhere else. */
function watch(page: Page): void {
  page.on('console', (m) => {
    if (m.type() === 'error' && !(page.url().includes('NO-SUCH') && /status of 404/.test(m.text()))) consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
}

async function open(path: string, ctx: BrowserContext = context): Promise<Page> {
  const page = await ctx.newPage();
  watch(page);
  const res = await page.goto(`${server.origin}${path}`);
  expect(res?.status()).toBe(path.includes('NO-SUCH') ? 404 : 200);
  return page;
}

const visibleIds = (page: Page) => page.locator('#rules tbody tr:visible td:first-child').allTextContents();

it('renders the index: every rule, a search box and the count', async () => {
  const page = await open('/pyward/rules');
  expect(await page.title()).toBe('pyward rules');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('pyward rules');
  expect(await visibleIds(page)).toEqual(ALL_RULES.map((r) => r.meta.id));
  expect(await page.locator('#count').textContent()).toBe(`${ALL_RULES.length} rules`);
  await expect(page.getByRole('searchbox', { name: 'Search by id or name' }).isVisible()).resolves.toBe(true);
}, 60_000);

it.each([
  ['B602', ['B602']],
  ['b602', ['B602']],
  ['yaml_load', ['B506']],
  ['hardcoded_password', ['B105', 'B106', 'B107']],
])('the search finds %s as the user types', async (query, ids) => {
  const page = await open('/pyward/rules');
  await page.getByRole('searchbox').fill(query);
  expect(await visibleIds(page)).toEqual(ids);
  expect(await page.locator('#count').textContent()).toBe(`${ids.length} of ${ALL_RULES.length} rules match`);
  await page.getByRole('searchbox').fill('');
  expect(await visibleIds(page)).toHaveLength(ALL_RULES.length);
}, 60_000);

it('the search works without JavaScript: the form asks the server', async () => {
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await open('/pyward/rules', noJs);
    await page.getByRole('searchbox').fill('subprocess_popen_with_shell');
    await Promise.all([page.waitForURL(/\?q=subprocess_popen_with_shell$/), page.getByRole('button', { name: 'Search' }).click()]);
    expect(await visibleIds(page)).toEqual(['B602']);
    expect(await page.getByRole('searchbox').inputValue()).toBe('subprocess_popen_with_shell');
  } finally {
    await noJs.close();
  }
}, 60_000);

it('following a link lands on the rule page, and its header leads back', async () => {
  const page = await open('/pyward/rules');
  await page.getByRole('searchbox').fill('yaml_load');
  await Promise.all([page.waitForURL(`${server.origin}/pyward/rules/B506`), page.getByRole('link', { name: 'B506' }).click()]);
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('B506 yaml_load');
  expect(await page.title()).toBe('B506 yaml_load · pyward rules');
  expect(await page.getByRole('heading', { name: 'How to fix' }).isVisible()).toBe(true);
  await Promise.all([page.waitForURL(`${server.origin}/pyward/rules`), page.getByRole('link', { name: 'pyward rules' }).click()]);
  expect(await visibleIds(page)).toHaveLength(ALL_RULES.length);
}, 60_000);

it('every link on every page resolves: pages of this site answer 200, the others are http(s) addresses', async () => {
  const paths = ['/pyward/rules', ...ALL_RULES.map((r) => `/pyward/rules/${r.meta.id}`), '/pyward/rules/PYSEC-2021-142', '/pyward/rules/GHSA-8q59-q68h-6hv4', '/pyward/rules/NO-SUCH-RULE'];
  const checked = new Map<string, number>();
  const page = await context.newPage();
  watch(page);
  let external = 0;
  for (const path of paths) {
    await page.goto(`${server.origin}${path}`, { waitUntil: 'domcontentloaded' });
    // `href` is the address the browser would follow, resolved against the page
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as unknown as { href: string }).href));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.origin === server.origin) {
        const target = `${url.pathname}${url.search}`;
        if (!checked.has(target)) checked.set(target, (await page.request.get(href, { maxRedirects: 0 })).status());
        expect([path, target, checked.get(target)]).toEqual([path, target, 200]);
      } else {
        external++;
        expect([path, url.protocol]).toEqual([path, 'https:']);
        expect(url.hostname).toMatch(/\.[a-z]{2,}$/);
      }
    }
  }
  expect(external).toBeGreaterThan(ALL_RULES.length);
  expect(checked.size).toBeGreaterThan(ALL_RULES.length);
}, 180_000);

// One page of each kind: the index (table, form, script), a rule with an options table, a data-flow rule (the
// longest page), an advisory, the 404. Each axe run costs seconds of CPU shared with the rest of the suite.
it.each(['/pyward/rules?q=yaml', '/pyward/rules/B108', '/pyward/rules/PW102', '/pyward/rules/PYSEC-2021-142', '/pyward/rules/NO-SUCH-RULE'])(
  '%s passes the axe accessibility check',
  async (path) => {
    const page = await open(path);
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  },
  60_000,
);
