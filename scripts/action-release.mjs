#!/usr/bin/env node
/**
 * Assembles the tree a GitHub Action ref must hold: `uses: <owner>/pyward@v1` runs action.yml's `main`
 * with the runner's Node and no `npm install`, so the ref carries the built code (dist/) and the production
 * dependencies (node_modules/, without dev ones: jest, typescript, nock...). No bundler: the packages are
 * copied as installed, the versions package-lock.json pins (the WASM grammar in tree-sitter-python included).
 *
 *   npm run build && node scripts/action-release.mjs OUT_DIR
 *
 * Then commit OUT_DIR's content to a release branch and tag it (`v1`): see README, "GitHub Action".
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Package directories (`node_modules/a`, `node_modules/a/node_modules/b`) that production code needs. */
export function productionPackages(lock) {
  return Object.entries(lock.packages ?? {})
    .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.link)
    .map(([path]) => path);
}

/** A package of TypeScript declarations only (`@octokit/openapi-types`...): nothing in it can be imported at run time. */
function typesOnly(dir) {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return !meta.exports && !meta.module && !meta.main && !meta.bin && !existsSync(join(dir, 'index.js')) && Boolean(meta.types ?? meta.typings);
}

/** Copies what the Action runs into `out` (emptied first); returns the package directories copied. */
export function assembleActionRelease(out, from = root) {
  if (!existsSync(join(from, 'dist/action/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const entry of ['action.yml', 'bin', 'dist', 'package.json', 'README.md', 'LICENSE']) {
    if (existsSync(join(from, entry))) cpSync(join(from, entry), join(out, entry), { recursive: true, dereference: true });
  }
  const lock = JSON.parse(readFileSync(join(from, 'package-lock.json'), 'utf8'));
  const copied = [];
  for (const pkg of productionPackages(lock)) {
    const source = join(from, pkg);
    // Optional platform packages (another OS's binary) are in the lock but not installed here.
    if (!existsSync(source)) {
      if (lock.packages[pkg].optional) continue;
      throw new Error(`${pkg} is in package-lock.json but not installed: run npm ci`);
    }
    if (typesOnly(source)) continue;
    cpSync(source, join(out, pkg), {
      recursive: true,
      dereference: true,
      // Nested node_modules are copied as their own entries (only the production ones).
      filter: (src) => src === source || !src.slice(source.length).includes('/node_modules'),
    });
    copied.push(pkg);
  }
  writeFileSync(join(out, '.gitignore'), '# a release tree: everything here is committed\n');
  return copied;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: node scripts/action-release.mjs OUT_DIR\n');
    process.exit(2);
  }
  const copied = assembleActionRelease(resolve(out));
  process.stdout.write(`wrote ${out}: action.yml, bin/, dist/ and ${copied.length} production packages\n`);
}
