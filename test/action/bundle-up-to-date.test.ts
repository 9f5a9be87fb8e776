/**
 * action-dist/ is committed (a `uses: <owner>/pyward@<ref>` step runs it with no `npm install`) and generated
 * from src/ and node_modules by scripts/action-bundle.mjs: this fails when someone changed either and forgot
 * to regenerate it. The bundle is rebuilt into a temporary directory and compared byte for byte.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const COMMITTED = join(ROOT, 'action-dist');
const REGENERATE = 'npm run action:bundle';

let fresh: string;
let built: { file: string; bytes: number }[];

beforeAll(async () => {
  fresh = mkdtempSync(join(tmpdir(), 'pyward-action-bundle-'));
  const { bundleAction } = await import(join(ROOT, 'scripts/action-bundle.mjs'));
  built = await bundleAction(join(fresh, 'action-dist'), ROOT);
}, 60_000);

afterAll(() => {
  if (fresh) rmSync(fresh, { recursive: true, force: true });
});

it('the committed action-dist/ is what `npm run action:bundle` builds from the sources', () => {
  const committed = existsSync(COMMITTED) ? readdirSync(COMMITTED).sort() : [];
  const names = [...new Set([...committed, ...built.map((b) => b.file)])].sort();
  const stale = names.filter((name) => {
    const a = join(COMMITTED, name);
    const b = join(fresh, 'action-dist', name);
    return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
  });
  if (stale.length) throw new Error(`action-dist/ is out of date with src/ or node_modules (${stale.join(', ')} differ): run \`${REGENERATE}\` and commit action-dist/.`);
});

it('is the bundle, its two WASM files and the license notice, with no path of the machine that built it', () => {
  expect(built.map((b) => b.file)).toEqual(['index.mjs', 'licenses.txt', 'tree-sitter-python.wasm', 'tree-sitter.wasm']);
  const code = readFileSync(join(fresh, 'action-dist/index.mjs'), 'utf8');
  for (const path of new Set([ROOT.replace(/\/$/, ''), realpathSync(join(ROOT, 'node_modules')), fresh])) expect(code).not.toContain(path);
  const licenses = readFileSync(join(fresh, 'action-dist/licenses.txt'), 'utf8');
  for (const pkg of ['recheck@', 'scslre@', 'web-tree-sitter@', 'tree-sitter-python@', 'yaml@', 'zod@', '@octokit/core@']) expect(licenses).toContain(`\n${pkg}`);
});
