/** Contents cached by sha across reviews: bounded by bytes, least recently used out, one request per sha. */
import { BlobCache } from '../../src/app/blob-cache.js';
import { newFilePatch, payload, testApp } from '../helpers/github.js';
import { useHermeticNock } from '../helpers/hermetic-nock.js';
import { mockScenario } from './scenario.js';

useHermeticNock();

const bytes = (n: number) => new Uint8Array(n);

describe('BlobCache', () => {
  it('evicts the least recently used entries when over its byte bound, counting keys too', () => {
    const cache = new BlobCache(100);
    cache.set('a', bytes(40)); // 41
    cache.set('b', bytes(40)); // 82
    expect(cache.get('a')).toHaveLength(40); // a is now the most recent
    cache.set('c', bytes(40)); // 123 > 100: b goes
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
    expect(cache.bytes).toBe(82);
  });

  it('keeps "absent" answers, and never an entry larger than the whole cache', () => {
    const cache = new BlobCache(10);
    cache.set('gone', null);
    expect(cache.get('gone')).toBeNull();
    cache.set('huge', bytes(11));
    expect(cache.has('huge')).toBe(false);
    expect(cache.get('never')).toBeUndefined();
  });

  it('replacing an entry does not count it twice', () => {
    const cache = new BlobCache(100);
    cache.set('k', bytes(50));
    cache.set('k', bytes(10));
    expect(cache.bytes).toBe(11);
  });

  it('concurrent loads of one key make one request; a failed load is not cached', async () => {
    const cache = new BlobCache(1000);
    let loads = 0;
    const load = async () => (loads++, bytes(3));
    await Promise.all([cache.through('k', load), cache.through('k', load), cache.through('k', load)]);
    expect(loads).toBe(1);
    await expect(cache.through('bad', async () => Promise.reject(new Error('502')))).rejects.toThrow('502');
    expect(cache.has('bad')).toBe(false);
  });
});

it('a second review of the same files fetches no blob and no base file twice', async () => {
  const app = await testApp();
  const code = 'def run(cmd):\n    exec(cmd)\n';
  const reqs = 'flask==2.0.0\nrequests==2.31.0\n';
  const files = [
    { filename: 'app/run.py', patch: newFilePatch(code), content: code },
    { filename: 'requirements.txt', status: 'modified' as const, patch: '@@ -1 +1,2 @@\n flask==2.0.0\n+requests==2.31.0', content: reqs, base: 'flask==2.0.0\n' },
  ];
  mockScenario({ files, expectReview: true });
  await app.deliver('pull_request', payload('pull_request', 'opened'));
  // the same head again (a re-run): the scenario mocks no blob and no base file this time, so any such
  // request would fail the test as unmatched (hermetic nock)
  const rec = mockScenario({ files, existingRunId: 555, warm: true, expectReview: true });
  await app.deliver('pull_request', payload('pull_request', 'synchronize'));
  expect(rec.updates.filter((u) => u.status === 'completed')).toHaveLength(1);
});
