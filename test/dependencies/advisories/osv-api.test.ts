import nock from 'nock';
import { useHermeticNock } from '../../helpers/hermetic-nock.js';
import { createOsvApiSource, type OsvApiOptions } from '../../../src/dependencies/advisories/osv-api.js';
import { AdvisorySourceError } from '../../../src/dependencies/advisories/source.js';
import { makeZip } from '../../support/zip-writer.js';

const OSV = 'https://api.osv.dev';

interface Query {
  package: { name: string; ecosystem: string };
  version: string;
  page_token?: string;
}

const record = (id: string, name: string, modified = '2024-01-01T00:00:00Z') => ({
  id,
  modified,
  aliases: [`CVE-${id}`],
  affected: [{ package: { name, ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9' }] }] }],
});

useHermeticNock();


/** A source whose clock and sleeps the test controls. */
function source(options: OsvApiOptions = {}) {
  const clock = { now: 1_000_000 };
  const sleeps: number[] = [];
  const src = createOsvApiSource({
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...options,
  });
  return { src, clock, sleeps };
}

describe('querybatch', () => {
  it('splits 2,500 packages into three requests of at most 1,000 queries and maps the answers back', async () => {
    const sizes: number[] = [];
    nock(OSV)
      .post('/v1/querybatch')
      .times(3)
      .reply(200, (_uri, body) => {
        const queries = (body as { queries: Query[] }).queries;
        sizes.push(queries.length);
        return { results: queries.map((q) => (q.package.name === 'pkg-1234' ? { vulns: [{ id: 'PYSEC-1', modified: '2024-01-01T00:00:00Z' }] } : {})) };
      });
    nock(OSV).get('/v1/vulns/PYSEC-1').reply(200, record('PYSEC-1', 'pkg-1234'));

    const packages = Array.from({ length: 2500 }, (_, i) => ({ name: `pkg_${i}`, version: '1.0' }));
    const { src } = source();
    const result = await src.advisoriesFor(packages);

    expect(sizes).toEqual([1000, 1000, 500]);
    expect(result.size).toBe(2500);
    expect(result.get('pkg-1234@1.0')?.map((r) => r.id)).toEqual(['PYSEC-1']);
    expect(result.get('pkg-0@1.0')).toEqual([]);
  });

  it('sends PEP 503 names with the PyPI ecosystem, and asks once for duplicates', async () => {
    let sent: Query[] = [];
    nock(OSV)
      .post('/v1/querybatch', (body: { queries: Query[] }) => ((sent = body.queries), true))
      .reply(200, { results: [{}, {}] });
    const { src } = source();
    const result = await src.advisoriesFor([
      { name: 'Flask_SQLAlchemy', version: '2.0' },
      { name: 'flask-sqlalchemy', version: '2.0' },
      { name: 'ruamel.yaml', version: '0.17.21' },
    ]);
    expect(sent).toEqual([
      { package: { name: 'flask-sqlalchemy', ecosystem: 'PyPI' }, version: '2.0' },
      { package: { name: 'ruamel-yaml', ecosystem: 'PyPI' }, version: '0.17.21' },
    ]);
    expect([...result.keys()]).toEqual(['flask-sqlalchemy@2.0', 'ruamel-yaml@0.17.21']);
  });

  it('follows next_page_token for the queries that have one, and only those', async () => {
    const pages: Query[][] = [];
    nock(OSV)
      .post('/v1/querybatch')
      .reply(200, (_uri, body) => {
        pages.push((body as { queries: Query[] }).queries);
        return { results: [{ vulns: [{ id: 'PYSEC-1' }], next_page_token: 'tok-a' }, { vulns: [{ id: 'PYSEC-2' }] }] };
      })
      .post('/v1/querybatch')
      .reply(200, (_uri, body) => {
        pages.push((body as { queries: Query[] }).queries);
        return { results: [{ vulns: [{ id: 'PYSEC-3' }] }] };
      });
    nock(OSV)
      .get('/v1/vulns/PYSEC-1')
      .reply(200, record('PYSEC-1', 'django'))
      .get('/v1/vulns/PYSEC-2')
      .reply(200, record('PYSEC-2', 'flask'))
      .get('/v1/vulns/PYSEC-3')
      .reply(200, record('PYSEC-3', 'django'));

    const { src } = source();
    const result = await src.advisoriesFor([
      { name: 'Django', version: '3.2' },
      { name: 'flask', version: '1.0' },
    ]);
    expect(pages[1]).toEqual([{ package: { name: 'django', ecosystem: 'PyPI' }, version: '3.2', page_token: 'tok-a' }]);
    expect(result.get('django@3.2')?.map((r) => r.id)).toEqual(['PYSEC-1', 'PYSEC-3']);
    expect(result.get('flask@1.0')?.map((r) => r.id)).toEqual(['PYSEC-2']);
  });

  it('answers an empty list without a request', async () => {
    const { src } = source();
    expect(await src.advisoriesFor([])).toEqual(new Map());
  });
});

describe('records', () => {
  it('fetches a vulnerability listed for several packages once, and returns the raw record', async () => {
    nock(OSV)
      .post('/v1/querybatch')
      .reply(200, { results: [{ vulns: [{ id: 'PYSEC-9' }] }, { vulns: [{ id: 'PYSEC-9' }] }, { vulns: [{ id: 'PYSEC-9' }] }] });
    const raw = { ...record('PYSEC-9', 'tensorflow'), database_specific: { anything: [1, 2] } };
    nock(OSV).get('/v1/vulns/PYSEC-9').once().reply(200, raw);
    const { src } = source();
    const result = await src.advisoriesFor([
      { name: 'tensorflow', version: '2.0' },
      { name: 'tensorflow-gpu', version: '2.0' },
      { name: 'tensorflow-cpu', version: '2.0' },
    ]);
    expect([...result.values()].map((rs) => rs.map((r) => r.id))).toEqual([['PYSEC-9'], ['PYSEC-9'], ['PYSEC-9']]);
    expect(result.get('tensorflow@2.0')?.[0]).toEqual(raw);
  });

  it('escapes the id in the record URL', async () => {
    nock(OSV).post('/v1/querybatch').reply(200, { results: [{ vulns: [{ id: 'ODD/ID 1' }] }] });
    nock(OSV).get('/v1/vulns/ODD%2FID%201').reply(200, record('ODD/ID 1', 'x'));
    const { src } = source();
    expect((await src.advisoriesFor([{ name: 'x', version: '1' }])).get('x@1')?.[0].id).toBe('ODD/ID 1');
  });
});

describe('cache', () => {
  const once = () => {
    nock(OSV).post('/v1/querybatch').reply(200, { results: [{ vulns: [{ id: 'PYSEC-1', modified: '2024-01-01T00:00:00Z' }] }] });
    nock(OSV).get('/v1/vulns/PYSEC-1').reply(200, record('PYSEC-1', 'pyyaml'));
  };

  it('answers a repeated lookup from memory', async () => {
    once();
    const { src } = source();
    const first = await src.advisoriesFor([{ name: 'PyYAML', version: '5.3' }]);
    const again = await src.advisoriesFor([{ name: 'pyyaml', version: '5.3' }]);
    expect(again).toEqual(first);
  });

  it('asks again once the TTL has passed', async () => {
    once();
    const { src, clock } = source({ cacheTtlMs: 60_000 });
    await src.advisoriesFor([{ name: 'PyYAML', version: '5.3' }]);
    clock.now += 59_999;
    await src.advisoriesFor([{ name: 'PyYAML', version: '5.3' }]);
    clock.now += 1;
    once();
    expect((await src.advisoriesFor([{ name: 'PyYAML', version: '5.3' }])).get('pyyaml@5.3')?.[0].id).toBe('PYSEC-1');
  });

  it('refetches a cached record when a query says it has been modified since', async () => {
    once();
    const { src } = source();
    await src.advisoriesFor([{ name: 'PyYAML', version: '5.3' }]);
    nock(OSV).post('/v1/querybatch').reply(200, { results: [{ vulns: [{ id: 'PYSEC-1', modified: '2024-06-01T00:00:00Z' }] }] });
    nock(OSV).get('/v1/vulns/PYSEC-1').reply(200, record('PYSEC-1', 'pyyaml', '2024-06-01T00:00:00Z'));
    const result = await src.advisoriesFor([{ name: 'PyYAML', version: '6.0' }]);
    expect(result.get('pyyaml@6.0')?.[0].modified).toBe('2024-06-01T00:00:00Z');
  });
});

describe('retries and failures', () => {
  const one = [{ name: 'requests', version: '2.0' }];

  it('retries a 503 and succeeds, after the first back-off delay', async () => {
    nock(OSV).post('/v1/querybatch').reply(503, 'busy').post('/v1/querybatch').reply(200, { results: [{}] });
    const { src, sleeps } = source();
    expect((await src.advisoriesFor(one)).get('requests@2.0')).toEqual([]);
    expect(sleeps).toEqual([500]);
  });

  it('waits as long as Retry-After asks after a 429', async () => {
    nock(OSV)
      .post('/v1/querybatch')
      .reply(200, { results: [{ vulns: [{ id: 'PYSEC-5' }] }] })
      .get('/v1/vulns/PYSEC-5')
      .reply(429, '', { 'Retry-After': '7' })
      .get('/v1/vulns/PYSEC-5')
      .reply(200, record('PYSEC-5', 'requests'));
    const { src, sleeps } = source();
    expect((await src.advisoriesFor(one)).get('requests@2.0')?.map((r) => r.id)).toEqual(['PYSEC-5']);
    expect(sleeps).toEqual([7000]);
  });

  it('reads Retry-After as an HTTP date too', async () => {
    nock(OSV)
      .post('/v1/querybatch')
      .reply(429, '', { 'Retry-After': new Date(1_000_000 + 3000).toUTCString() })
      .post('/v1/querybatch')
      .reply(200, { results: [{}] });
    const { src, sleeps } = source();
    await src.advisoriesFor(one);
    expect(sleeps).toEqual([3000]);
  });

  it('gives up at once when Retry-After is longer than it will wait', async () => {
    nock(OSV).post('/v1/querybatch').reply(429, '', { 'Retry-After': '3600' });
    const { src, sleeps } = source();
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['a persistent 500', 'unavailable', 500],
    ['a persistent 429', 'rate-limited', 429],
  ] as const)('%s becomes AdvisorySourceError(%s) after 3 retries with exponential back-off', async (_label, kind, status) => {
    nock(OSV).post('/v1/querybatch').times(4).reply(status, 'nope');
    const { src, sleeps } = source();
    const err = await src.advisoriesFor(one).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisorySourceError);
    expect(err).toMatchObject({ kind, status, message: `OSV querybatch (1 query): HTTP ${status} (4 attempts)` });
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it('a record lookup failing after the retries fails the whole answer (no partial "none")', async () => {
    nock(OSV).post('/v1/querybatch').reply(200, { results: [{ vulns: [{ id: 'PYSEC-1' }] }] });
    nock(OSV).get('/v1/vulns/PYSEC-1').times(2).reply(502);
    const { src } = source({ retries: 1 });
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind: 'unavailable', status: 502 });
  });

  it('a request that takes longer than the timeout is retried, then unavailable', async () => {
    nock(OSV).post('/v1/querybatch').times(2).delay(1000).reply(200, { results: [{}] });
    const { src, sleeps } = source({ timeoutMs: 50, retries: 1 });
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind: 'unavailable', message: 'OSV querybatch (1 query): no answer within 50 ms (2 attempts)' });
    expect(sleeps).toEqual([500]);
  });

  /** A fetch that fails as undici reports a network error (nock's replyWithError does not reach fetch's `cause`). */
  function failingFetch(code: string, message: string) {
    const counter = { calls: 0 };
    const fetch = (async () => {
      counter.calls++;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
    }) as typeof globalThis.fetch;
    return { fetch, counter };
  }

  it('a network error is retried, then unavailable', async () => {
    const { fetch, counter } = failingFetch('ECONNRESET', 'socket hang up');
    const { src, sleeps } = source({ retries: 1, fetch });
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind: 'unavailable', message: 'OSV querybatch (1 query): fetch failed (ECONNRESET) (2 attempts)' });
    expect(counter.calls).toBe(2);
    expect(sleeps).toEqual([500]);
  });

  it('a host name that does not resolve is unavailable at once, without back-off', async () => {
    const { fetch, counter } = failingFetch('ENOTFOUND', 'getaddrinfo ENOTFOUND api.osv.dev');
    const { src, sleeps } = source({ retries: 3, fetch });
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind: 'unavailable', message: 'OSV querybatch (1 query): fetch failed (ENOTFOUND)' });
    expect(counter.calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['malformed JSON', 200, '{"results": [', 'invalid-response'],
    ['no results list', 200, { vulns: [] }, 'invalid-response'],
    ['fewer results than queries', 200, { results: [] }, 'invalid-response'],
    ['a vulnerability without an id', 200, { results: [{ vulns: [{ modified: 'x' }] }] }, 'invalid-response'],
    ['a 400', 400, { code: 3, message: 'Invalid query' }, 'invalid-response'],
  ] as const)('%s is invalid-response, not retried', async (_label, status, body, kind) => {
    nock(OSV)
      .post('/v1/querybatch')
      .reply(status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' });
    const { src, sleeps } = source();
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind });
    expect(sleeps).toEqual([]);
  });

  it.each([
    ['malformed JSON', 'invalid-response', 200, 'not json'],
    ['a body that is not a record', 'invalid-response', 200, '[]'],
    ['a listed id the API does not know', 'not-found', 404, '{"code":5,"message":"Bug not found."}'],
  ] as const)('a record answer with %s is %s', async (_label, kind, status, body) => {
    nock(OSV).post('/v1/querybatch').reply(200, { results: [{ vulns: [{ id: 'PYSEC-1' }] }] });
    nock(OSV).get('/v1/vulns/PYSEC-1').reply(status, body);
    const { src } = source();
    await expect(src.advisoriesFor(one)).rejects.toMatchObject({ kind, name: 'AdvisorySourceError' });
  });

  it('uses another base URL when given one', async () => {
    nock('http://osv.internal:8080').post('/mirror/v1/querybatch').reply(200, { results: [{}] });
    const { src } = source({ baseUrl: 'http://osv.internal:8080/mirror/' });
    expect(src.name).toBe('OSV API (http://osv.internal:8080/mirror)');
    await src.advisoriesFor(one);
  });
});

describe('bulk mode: many records needed at once', () => {
  const EXPORT = 'https://osv-vulnerabilities.storage.googleapis.com';
  const packages = Array.from({ length: 30 }, (_, i) => ({ name: `pkg${i}`, version: '1.0' }));
  const answerEachWithItsOwnAdvisory = () =>
    nock(OSV)
      .post('/v1/querybatch')
      .reply(200, (_uri, body) => ({ results: (body as { queries: Query[] }).queries.map((q) => ({ vulns: [{ id: `PYSEC-${q.package.name}`, modified: '2024-01-01T00:00:00Z' }] })) }));

  it('downloads the PyPI export once instead of 30 record fetches: two requests in all', async () => {
    answerEachWithItsOwnAdvisory();
    const zip = makeZip(packages.map((p) => ({ name: `PYSEC-${p.name}.json`, data: JSON.stringify(record(`PYSEC-${p.name}`, p.name)) })));
    nock(EXPORT).get('/PyPI/all.zip').reply(200, zip);
    const { src } = source();
    const found = await src.advisoriesFor(packages);
    expect(found.get('pkg7@1.0')!.map((r) => r.id)).toEqual(['PYSEC-pkg7']);
  });

  it('falls back to fetching each record when the export cannot be downloaded', async () => {
    answerEachWithItsOwnAdvisory();
    nock(EXPORT).get('/PyPI/all.zip').reply(503);
    for (const p of packages) nock(OSV).get(`/v1/vulns/PYSEC-${p.name}`).reply(200, record(`PYSEC-${p.name}`, p.name));
    const { src } = source();
    const found = await src.advisoriesFor(packages);
    expect(found.size).toBe(30);
  });

  it('a bulk threshold of 0 turns it off', async () => {
    answerEachWithItsOwnAdvisory();
    for (const p of packages) nock(OSV).get(`/v1/vulns/PYSEC-${p.name}`).reply(200, record(`PYSEC-${p.name}`, p.name));
    const { src } = source({ bulkThreshold: 0 });
    expect((await src.advisoriesFor(packages)).size).toBe(30);
  });
});
