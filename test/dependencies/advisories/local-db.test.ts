import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createLocalDbSource } from '../../../src/dependencies/advisories/local-db.js';
import { advisorySourceFromEnv } from '../../../src/dependencies/advisories/select-source.js';
import { AdvisorySourceError, type RawOsvRecord } from '../../../src/dependencies/advisories/source.js';
import { readZip } from '../../../src/dependencies/advisories/zip-reader.js';
import { tempTree } from '../../helpers/cli.js';
import { makeZip } from '../../support/zip-writer.js';

const rec = (id: string, names: string[], extra: Record<string, unknown> = {}): RawOsvRecord => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  affected: names.map((name) => ({ package: { name, ecosystem: 'PyPI' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] })),
  ...extra,
});

const SQLA = rec('PYSEC-2020-1', ['Flask-SQLAlchemy']);
const JW = rec('PYSEC-2020-341', ['jw.util']);
const TF = {
  ...rec('GHSA-tf', ['tensorflow', 'tensorflow-gpu']),
  affected: [...(rec('GHSA-tf', ['tensorflow', 'tensorflow-gpu']).affected ?? []), { package: { name: 'tensorflow', ecosystem: 'npm' } }],
};
const NPM_ONLY = { id: 'GHSA-npm', affected: [{ package: { name: 'left-pad', ecosystem: 'npm' } }] };
const WITHDRAWN = rec('PYSEC-2023-73', ['redis'], { withdrawn: '2023-05-01T00:00:00Z' });
const GOOD = [SQLA, JW, TF, NPM_ONLY, WITHDRAWN];

const ids = (records: RawOsvRecord[] | undefined) => (records ?? []).map((r) => r.id).sort();

async function lookup(path: string, names: string[]) {
  const source = createLocalDbSource(path);
  const result = await source.advisoriesFor(names.map((name) => ({ name, version: '1.0' })));
  return { source, result, of: (key: string) => ids(result.get(key)) };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tree = (files: Record<string, string | Uint8Array>) => {
  const root = tempTree(files);
  dirs.push(root);
  return root;
};

describe('a directory of records', () => {
  const layout = () =>
    tree({
      // An unquoted timestamp, as pypa/advisory-database writes some: it must stay a string.
      'vulns/flask-sqlalchemy/PYSEC-2020-1.yaml': stringify(SQLA),
      'vulns/jw-util/PYSEC-2020-341.yml': stringify(JW),
      'vulns/tensorflow/GHSA-tf.json': JSON.stringify(TF),
      'vulns/left-pad/GHSA-npm.json': JSON.stringify(NPM_ONLY),
      'vulns/redis/PYSEC-2023-73.yaml': stringify(WITHDRAWN),
      'vulns/broken/bad.yaml': 'id: [unclosed\n  - : :',
      'vulns/broken/bad.json': '{"id": "X",',
      'vulns/broken/no-id.json': '{"summary": "no id"}',
      'vulns/.id-allocator': 'state',
      'vulns/README.md': '# not a record',
    });

  it('indexes every record by PEP 503 name, and finds it under any spelling', async () => {
    const root = layout();
    const { result, of, source } = await lookup(join(root, 'vulns'), ['Flask_SQLAlchemy', 'JW.Util', 'TensorFlow-GPU', 'tensorflow', 'redis', 'left-pad', 'django']);
    expect(of('flask-sqlalchemy@1.0')).toEqual(['PYSEC-2020-1']);
    expect(of('jw-util@1.0')).toEqual(['PYSEC-2020-341']);
    expect(of('tensorflow-gpu@1.0')).toEqual(['GHSA-tf']);
    expect(of('tensorflow@1.0')).toEqual(['GHSA-tf']);
    // Withdrawn records are returned: dropping them is the matcher's job.
    expect(of('redis@1.0')).toEqual(['PYSEC-2023-73']);
    // npm records are not PyPI advisories.
    expect(of('left-pad@1.0')).toEqual([]);
    expect(result.get('django@1.0')).toEqual([]);
    expect(source.stats()).toMatchObject({ records: 5, withdrawn: 1, names: 5, files: 8, skipped: 3 });
    expect(source.stats().problems.map((p) => p.file).sort()).toEqual(['broken/bad.json', 'broken/bad.yaml', 'broken/no-id.json']);
  });

  it('keeps YAML timestamps as the strings they are', async () => {
    const root = layout();
    expect(readFileSync(join(root, 'vulns/flask-sqlalchemy/PYSEC-2020-1.yaml'), 'utf8')).toContain('modified: 2024-01-01T00:00:00Z\n');
    const { result } = await lookup(join(root, 'vulns'), ['flask-sqlalchemy']);
    expect(result.get('flask-sqlalchemy@1.0')?.[0].modified).toBe('2024-01-01T00:00:00Z');
  });

  it('keeps the newest copy of a record present twice', async () => {
    const root = tree({
      'a/PYSEC-1.yaml': stringify(rec('PYSEC-1', ['pyyaml'], { modified: '2024-03-01T00:00:00Z', summary: 'new' })),
      'b/PYSEC-1.json': JSON.stringify(rec('PYSEC-1', ['pyyaml'], { modified: '2023-01-01T00:00:00Z', summary: 'old' })),
    });
    const { result, source } = await lookup(root, ['PyYAML']);
    expect(result.get('pyyaml@1.0')?.map((r) => r.summary)).toEqual(['new']);
    expect(source.stats().records).toBe(1);
  });

  it('reads lazily, once', async () => {
    const root = layout();
    const source = createLocalDbSource(join(root, 'vulns'));
    expect(source.stats().records).toBe(0);
    await source.advisoriesFor([{ name: 'redis', version: '1' }]);
    rmSync(join(root, 'vulns/redis'), { recursive: true });
    expect(ids((await source.advisoriesFor([{ name: 'redis', version: '1' }])).get('redis@1'))).toEqual(['PYSEC-2023-73']);
  });
});

describe('a JSON array file', () => {
  it('reads every record and skips the items that are not records', async () => {
    const root = tree({ 'pypa-osv.json': JSON.stringify([...GOOD, 42, { summary: 'no id' }]) });
    const { of, source } = await lookup(join(root, 'pypa-osv.json'), ['flask-sqlalchemy', 'jw_util']);
    expect(of('flask-sqlalchemy@1.0')).toEqual(['PYSEC-2020-1']);
    expect(of('jw-util@1.0')).toEqual(['PYSEC-2020-341']);
    expect(source.stats()).toMatchObject({ records: 5, files: 1, skipped: 2 });
  });

  it('a file that is not JSON at all leaves an empty database with the problem counted', async () => {
    const root = tree({ 'db.json': '<html>' });
    const { of, source } = await lookup(join(root, 'db.json'), ['flask']);
    expect(of('flask@1.0')).toEqual([]);
    expect(source.stats()).toMatchObject({ records: 0, files: 1, skipped: 1 });
  });
});

describe("OSV's all.zip export", () => {
  const zip = () =>
    makeZip([
      { name: 'PYSEC-2020-1.json', data: JSON.stringify(SQLA) },
      { name: 'PYSEC-2020-341.json', data: JSON.stringify(JW), method: 'store' },
      { name: 'GHSA-tf.json', data: JSON.stringify(TF) },
      { name: 'broken.json', data: '{"id":' },
      { name: 'LICENSE', data: 'not a record, not counted' },
    ]);

  it('reads the JSON entries, stored or deflated, and counts the broken one', async () => {
    const root = tree({ 'osv-pypi.zip': zip() });
    const { of, source } = await lookup(join(root, 'osv-pypi.zip'), ['Flask-SQLAlchemy', 'jw.util', 'tensorflow_gpu']);
    expect([of('flask-sqlalchemy@1.0'), of('jw-util@1.0'), of('tensorflow-gpu@1.0')]).toEqual([['PYSEC-2020-1'], ['PYSEC-2020-341'], ['GHSA-tf']]);
    expect(source.stats()).toMatchObject({ records: 3, files: 4, skipped: 1, problems: [{ file: 'broken.json' }] });
  });

  it('recognises a zip by its content, whatever its name', async () => {
    const root = tree({ 'download.bin': zip() });
    expect((await lookup(join(root, 'download.bin'), ['jw.util'])).of('jw-util@1.0')).toEqual(['PYSEC-2020-341']);
  });

  it('an entry whose bytes are damaged is skipped with the reason', async () => {
    const bytes = makeZip([
      { name: 'A.json', data: JSON.stringify(rec('A', ['a'])), method: 'store' },
      { name: 'B.json', data: JSON.stringify(rec('B', ['b'])), method: 'store' },
    ]);
    // Flip a byte inside A's stored data: its CRC no longer matches.
    const at = bytes.indexOf('"A"');
    bytes[at + 1] = 'Z'.charCodeAt(0);
    const root = tree({ 'db.zip': bytes });
    const { of, source } = await lookup(join(root, 'db.zip'), ['a', 'b']);
    expect([of('a@1.0'), of('b@1.0')]).toEqual([[], ['B']]);
    expect(source.stats().problems).toEqual([{ file: 'A.json', reason: 'A.json: CRC mismatch' }]);
  });

  it('a truncated zip is invalid as a whole', async () => {
    const bytes = zip();
    const root = tree({ 'db.zip': bytes.subarray(0, bytes.length - 30) });
    await expect(createLocalDbSource(join(root, 'db.zip')).load()).rejects.toMatchObject({ kind: 'invalid-response' });
  });

  it('the test writer produces what the reader reads back', () => {
    expect(readZip(zip()).map((e) => [e.name, e.read().length])).toEqual([
      ['PYSEC-2020-1.json', JSON.stringify(SQLA).length],
      ['PYSEC-2020-341.json', JSON.stringify(JW).length],
      ['GHSA-tf.json', JSON.stringify(TF).length],
      ['broken.json', 6],
      ['LICENSE', 25],
    ]);
  });
});

describe('a missing path', () => {
  it('rejects with not-found, and tries again on the next lookup', async () => {
    const root = tree({});
    const path = join(root, 'later');
    const source = createLocalDbSource(path);
    const err = await source.advisoriesFor([{ name: 'x', version: '1' }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdvisorySourceError);
    expect(err).toMatchObject({ kind: 'not-found', message: `no advisory database at ${path}` });
    mkdirSync(path);
    writeFileSync(join(path, 'X.json'), JSON.stringify(rec('X-1', ['x'])));
    expect(ids((await source.advisoriesFor([{ name: 'x', version: '1' }])).get('x@1'))).toEqual(['X-1']);
  });
});

describe('advisorySourceFromEnv', () => {
  it.each([
    [{ PYWARD_ADVISORY_DB: 'db/osv.zip' }, 'local OSV database (/work/repo/db/osv.zip)'],
    [{ PYWARD_ADVISORY_DB: '/abs/vulns', PYWARD_OSV_URL: 'http://x' }, 'local OSV database (/abs/vulns)'],
    [{ PYWARD_OSV_URL: 'http://osv.internal/' }, 'OSV API (http://osv.internal)'],
    [{ PYWARD_ADVISORY_DB: '  ' }, 'OSV API (https://api.osv.dev)'],
    [{}, 'OSV API (https://api.osv.dev)'],
  ])('%j -> %s', (env, name) => {
    expect(advisorySourceFromEnv(env, { cwd: '/work/repo' }).name).toBe(name);
  });
});

describe('raw records and the matcher', () => {
  it('a raw record goes through the schema before the matcher (a type error otherwise)', async () => {
    const { parseOsvRecord } = await import('../../../src/dependencies/osv/schema.js');
    const { matchAdvisories } = await import('../../../src/dependencies/osv/match.js');
    const root = tree({ 'db.json': JSON.stringify([rec('PYSEC-1', ['Flask-SQLAlchemy'])]) });
    const raw = (await createLocalDbSource(join(root, 'db.json')).advisoriesFor([{ name: 'flask_sqlalchemy', version: '1.5' }])).get('flask-sqlalchemy@1.5')!;
    // @ts-expect-error: unvalidated records are not the matcher's OsvRecord
    matchAdvisories({ name: 'x', version: '1' }, [] as typeof raw);
    const parsed = raw.map(parseOsvRecord).flatMap((r) => (r.ok ? [r.record] : []));
    expect(matchAdvisories({ name: 'flask_sqlalchemy', version: '1.5' }, parsed).map((m) => m.id)).toEqual(['PYSEC-1']);
  });
});
