/**
 * HTTP tests are hermetic: network off, and a test fails when a mock was not used or a request matched no
 * mock (code under test often turns a failed request into a graceful message, so it could pass by accident).
 */
import nock from 'nock';

export function useHermeticNock(): void {
  let unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; options?: { method?: string; path?: string } }) =>
    unmatched.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
  beforeEach(() => {
    nock.disableNetConnect();
    unmatched = [];
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(unmatched).toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}
