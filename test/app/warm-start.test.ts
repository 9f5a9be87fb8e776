/** The advisory database is loaded when the app starts, not by the first review. */
import { testApp } from '../helpers/github.js';
import type { AdvisorySource } from '../../src/dependencies/advisories/source.js';

it('a local advisory database is loaded at start-up, before any webhook', async () => {
  let loads = 0;
  const advisories: AdvisorySource & { load(): Promise<void> } = {
    name: 'test database',
    load: async () => void loads++,
    advisoriesFor: async () => new Map(),
  };
  const app = await testApp({ advisories });
  await app.app.ready;
  expect(loads).toBe(1);
});

it('a database that fails to load is logged and the app still starts (reviews then say the check is unavailable)', async () => {
  const advisories: AdvisorySource & { load(): Promise<void> } = {
    name: 'broken database',
    load: async () => Promise.reject(new Error('no such directory')),
    advisoriesFor: async () => Promise.reject(new Error('no such directory')),
  };
  const app = await testApp({ advisories });
  await expect(app.app.ready).resolves.toBeUndefined();
});
