#!/usr/bin/env node
/**
 * Writes docs/rules.md from the compiled rule registry: `npm run build && npm run docs`.
 * `--check` only compares, exiting 1 when the file is stale (for CI). The rendering lives in
 * src/report/rules-doc.ts, so test/report/rules-doc.test.ts checks the same thing without a build.
 */
import { existsSync, readFileSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const registryJs = join(root, 'dist/rules/registry.js');
const rulesDocJs = join(root, 'dist/report/rules-doc.js');

if (!existsSync(registryJs) || !existsSync(rulesDocJs)) {
  console.error('dist/ is missing: run `npm run build && npm run docs`.');
  process.exit(2);
}

/** Newest modification time under a folder, for a cheap "is dist older than src?" warning. */
function newest(dir, ext) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}
if (newest(join(root, 'src'), '.ts') > newest(join(root, 'dist'), '.js')) {
  console.warn('warning: src/ is newer than dist/; run `npm run build` first or the docs may miss recent rules.');
}

const { ALL_RULES } = await import(registryJs);
const { renderRulesDoc, RULES_DOC_PATH } = await import(rulesDocJs);
const target = join(root, RULES_DOC_PATH);
const text = renderRulesDoc(ALL_RULES);
const current = existsSync(target) ? readFileSync(target, 'utf8') : undefined;

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${RULES_DOC_PATH} is out of date: run \`npm run build && npm run docs\`.`);
    process.exit(1);
  }
  console.log(`${RULES_DOC_PATH} is up to date (${ALL_RULES.length} rules).`);
} else if (current === text) {
  console.log(`${relative(root, target)} unchanged (${ALL_RULES.length} rules).`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${relative(root, target)} (${ALL_RULES.length} rules).`);
}
