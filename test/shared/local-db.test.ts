/**
 * The PyPA advisory snapshot in ../shared/advisory-db, read both ways a local database can be given:
 * the repository's YAML tree and the same records as one JSON array. See its README for the counts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalDbSource } from '../../src/dependencies/advisories/local-db.js';
import type { RawOsvRecord } from '../../src/dependencies/advisories/source.js';

const DB = join(process.cwd(), '../shared/advisory-db');
const VULNS = join(DB, 'vulns');
const JSON_FILE = join(DB, 'pypa-osv.json');
const present = existsSync(VULNS) && existsSync(JSON_FILE);
if (!present) console.warn(`skipping the shared advisory-db tests: ${VULNS} or ${JSON_FILE} is missing`);
const suite = present ? describe : describe.skip;

suite('the PyPA advisory snapshot as a local database', () => {
  const tree = createLocalDbSource(VULNS);
  const array = createLocalDbSource(JSON_FILE);

  it('the YAML tree: 2661 records (10 withdrawn) under 664 names, nothing skipped', async () => {
    const stats = await tree.load();
    console.log(`loaded ${stats.records} records from ${stats.files} YAML files in ${stats.loadMs.toFixed(0)} ms`);
    expect(stats).toMatchObject({ records: 2661, withdrawn: 10, names: 664, files: 2661, skipped: 0, problems: [] });
    // How long it took is logged, not asserted (timings belong to bench/, not to tests): about 1.3 s on an
    // idle 2-CPU machine, nearly all of it YAML parsing; the App now loads it at start-up, not on a review.
  }, 30_000);

  it('the JSON array: the same', async () => {
    const stats = await array.load();
    console.log(`loaded ${stats.records} records from one JSON file in ${stats.loadMs.toFixed(0)} ms`);
    expect(stats).toMatchObject({ records: 2661, withdrawn: 10, names: 664, files: 1, skipped: 0 });
  });

  it('both give every package the same records, field for field', async () => {
    // Every name the data holds, as written (`jw.util` is the one not normalised), read without the loader.
    const raw = JSON.parse(readFileSync(JSON_FILE, 'utf8')) as { affected: { package: { name: string } }[] }[];
    const packages = [...new Set(raw.flatMap((r) => r.affected.map((a) => a.package.name)))].map((name) => ({ name, version: '1.0' }));
    packages.push({ name: 'no-such-package', version: '1.0' });
    const fromTree = await tree.advisoriesFor(packages);
    const fromArray = await array.advisoriesFor(packages);
    const byId = (m: Map<string, RawOsvRecord[]>) => new Map([...m].map(([k, rs]) => [k, [...rs].sort((a, b) => a.id.localeCompare(b.id))]));
    expect(byId(fromTree)).toEqual(byId(fromArray));
    expect(new Set([...fromTree.values()].flat().map((r) => r.id)).size).toBe(2661);

    expect(fromTree.get('jw-util@1.0')?.map((r) => r.id)).toEqual(['PYSEC-2020-341']);
    expect(fromTree.get('redis@1.0')?.some((r) => r.id === 'PYSEC-2023-73' && typeof r.withdrawn === 'string')).toBe(true);
    expect(fromTree.get('no-such-package@1.0')).toEqual([]);
    // Requirement-file spellings find the records.
    const spelled = await tree.advisoriesFor([{ name: 'Flask_AppBuilder', version: '2.0' }, { name: 'JW_Util', version: '2.0' }]);
    expect(spelled.get('flask-appbuilder@2.0')?.length).toBeGreaterThan(0);
    expect(spelled.get('flask-appbuilder@2.0')).toEqual(fromTree.get('flask-appbuilder@1.0'));
    expect(spelled.get('jw-util@2.0')?.map((r) => r.id)).toEqual(['PYSEC-2020-341']);
  });
});
