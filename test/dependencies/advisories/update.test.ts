import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { useHermeticNock } from '../../helpers/hermetic-nock.js';
import { join } from 'node:path';
import nock from 'nock';
import { parseCommand } from '../../../src/cli/args.js';
import { defaultExportPath } from '../../../src/cli/advisories-command.js';
import { createLocalDbSource } from '../../../src/dependencies/advisories/local-db.js';
import { downloadPypiExport } from '../../../src/dependencies/advisories/update.js';
import { runCli, tempTree } from '../../helpers/cli.js';
import { makeZip } from '../../support/zip-writer.js';

const BUCKET = 'https://osv-vulnerabilities.storage.googleapis.com';
const EXPORT = makeZip([
  { name: 'PYSEC-2021-1.json', data: JSON.stringify({ id: 'PYSEC-2021-1', affected: [{ package: { name: 'Jinja2', ecosystem: 'PyPI' } }] }) },
  { name: 'GHSA-aaaa-bbbb-cccc.json', data: JSON.stringify({ id: 'GHSA-aaaa-bbbb-cccc', affected: [{ package: { name: 'PyYAML', ecosystem: 'PyPI' } }] }) },
]);

useHermeticNock();
const dirs: string[] = [];

afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dir(files: Record<string, string | Uint8Array> = {}): string {
  const root = tempTree(files);
  dirs.push(root);
  return root;
}

describe('downloadPypiExport', () => {
  it('downloads the export, checks it, and puts it in place (creating the directory)', async () => {
    nock(BUCKET).get('/PyPI/all.zip').reply(200, EXPORT, { 'content-type': 'application/zip' });
    const root = dir();
    const dest = join(root, 'cache/pyward/osv-pypi.zip');
    const result = await downloadPypiExport(dest);
    expect(result).toEqual({ path: dest, bytes: EXPORT.length, records: 2, skipped: 0 });
    expect(readFileSync(dest).equals(EXPORT)).toBe(true);
    expect(readdirSync(join(root, 'cache/pyward'))).toEqual(['osv-pypi.zip']);
    const db = createLocalDbSource(dest);
    const found = await db.advisoriesFor([{ name: 'jinja2', version: '2.10' }]);
    expect(found.get('jinja2@2.10')?.map((r) => r.id)).toEqual(['PYSEC-2021-1']);
  });

  it('replaces an older export', async () => {
    nock('http://mirror.local').get('/osv/PyPI/all.zip').reply(200, EXPORT);
    const root = dir({ 'osv.zip': 'old' });
    await downloadPypiExport(join(root, 'osv.zip'), { url: 'http://mirror.local/osv/PyPI/all.zip' });
    expect(readFileSync(join(root, 'osv.zip')).equals(EXPORT)).toBe(true);
  });

  it.each([
    ['a truncated zip', EXPORT.subarray(0, EXPORT.length - 40), /not a usable OSV export: not a readable zip file/],
    ['an HTML error page', Buffer.from('<html>Service Unavailable</html>'), /is not a zip file \(32 bytes\)/],
    ['a zip without records', makeZip([{ name: 'README', data: 'hi' }]), /holds no OSV record/],
    ['a zip of broken records', makeZip([{ name: 'A.json', data: '{"id":' }]), /holds no OSV record/],
  ])('%s is refused and leaves no file behind (the previous export stays)', async (_label, body, message) => {
    nock(BUCKET).get('/PyPI/all.zip').reply(200, body);
    const root = dir({ 'keep/osv.zip': EXPORT });
    await expect(downloadPypiExport(join(root, 'keep/osv.zip'))).rejects.toMatchObject({ kind: 'invalid-response', message: expect.stringMatching(message) });
    expect(readdirSync(join(root, 'keep'))).toEqual(['osv.zip']);
    expect(readFileSync(join(root, 'keep/osv.zip')).equals(EXPORT)).toBe(true);

    nock(BUCKET).get('/PyPI/all.zip').reply(200, body);
    const fresh = dir();
    await expect(downloadPypiExport(join(fresh, 'osv.zip'))).rejects.toMatchObject({ kind: 'invalid-response' });
    expect(readdirSync(fresh)).toEqual([]);
  });

  it.each([
    [503, 'unavailable'],
    [429, 'rate-limited'],
    [404, 'not-found'],
    [403, 'invalid-response'],
  ])('HTTP %i is an AdvisorySourceError(%s) and writes nothing', async (status, kind) => {
    nock(BUCKET).get('/PyPI/all.zip').reply(status, 'no');
    const root = dir();
    await expect(downloadPypiExport(join(root, 'osv.zip'))).rejects.toMatchObject({ kind, status, message: `download of ${BUCKET}/PyPI/all.zip failed: HTTP ${status}` });
    expect(readdirSync(root)).toEqual([]);
  });

  it('a connection error is unavailable', async () => {
    nock(BUCKET).get('/PyPI/all.zip').replyWithError({ code: 'ECONNREFUSED', message: 'refused' });
    const root = dir();
    await expect(downloadPypiExport(join(root, 'osv.zip'))).rejects.toMatchObject({ kind: 'unavailable' });
    expect(readdirSync(root)).toEqual([]);
  });

  it('uses the fetch it is given', async () => {
    const root = dir();
    const calls: string[] = [];
    const fake = (async (url: string | URL | Request) => {
      calls.push(String(url));
      return new Response(EXPORT);
    }) as typeof fetch;
    expect((await downloadPypiExport(join(root, 'x.zip'), { fetch: fake })).records).toBe(2);
    expect(calls).toEqual([`${BUCKET}/PyPI/all.zip`]);
  });
});

describe('pyward advisories update', () => {
  it.each([
    [['advisories', 'update'], { command: 'advisories-update' }],
    [['advisories', 'update', '--output', 'db.zip'], { command: 'advisories-update', output: 'db.zip' }],
    [['advisories', 'update', '-o', 'db.zip'], { command: 'advisories-update', output: 'db.zip' }],
  ])('%j parses', (argv, command) => {
    expect(parseCommand(argv)).toEqual(command);
  });

  it.each([[['advisories']], [['advisories', 'fetch']], [['advisories', 'update', '--bogus']], [['advisories', 'update', 'extra']]])('%j is a usage error', (argv) => {
    expect(() => parseCommand(argv)).toThrow();
  });

  it.each([
    [{ XDG_CACHE_HOME: '/xdg' }, '/xdg/pyward/osv-pypi.zip'],
    [{ HOME: '/home/ann' }, '/home/ann/.cache/pyward/osv-pypi.zip'],
  ])('the default path for %j is %s', (env, path) => {
    expect(defaultExportPath(env)).toBe(path);
  });

  it('downloads to the default cache path and says how to use it', async () => {
    nock(BUCKET).get('/PyPI/all.zip').reply(200, EXPORT);
    const home = dir();
    const run = await runCli(['advisories', 'update'], home, { HOME: home });
    const path = join(home, '.cache/pyward/osv-pypi.zip');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Saved 2 OSV records (0.0 MB) to ${path}.\nScan offline with it:\n  PYWARD_ADVISORY_DB=${path} pyward scan ...\n`);
    expect(existsSync(path)).toBe(true);
  });

  it('writes to --output, relative to the working directory, from PYWARD_OSV_EXPORT_URL', async () => {
    nock('http://mirror.local').get('/all.zip').reply(200, EXPORT);
    const cwd = dir();
    const run = await runCli(['advisories', 'update', '--output', 'data/osv.zip'], cwd, { PYWARD_OSV_EXPORT_URL: 'http://mirror.local/all.zip' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`to ${join(cwd, 'data/osv.zip')}.`);
  });

  it('a failed download exits 2 with the reason and changes nothing', async () => {
    nock(BUCKET).get('/PyPI/all.zip').reply(200, 'garbage');
    const cwd = dir();
    writeFileSync(join(cwd, 'osv.zip'), EXPORT);
    const run = await runCli(['advisories', 'update', '-o', 'osv.zip'], cwd, {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a zip file (7 bytes)');
    expect(run.stderr).toContain(`Nothing was changed at ${join(cwd, 'osv.zip')}.`);
    expect(readFileSync(join(cwd, 'osv.zip')).equals(EXPORT)).toBe(true);
  });
});
