/**
 * pyward's own package.json: its version (SARIF, `--version`, JSON reports) and its repository (where rule
 * links point). Read at first use, from dist/'s parent in a build or an installed package. The Action's
 * bundle has no package.json beside it: scripts/action-bundle.mjs bundles this require() as a module of the
 * two fields read here.
 */
import { createRequire } from 'node:module';
import type { PackageRepository } from './report/rule-links.js';

// A module-level `require` with literal specifiers: the form the Action's bundle turns into bundled modules.
const require = createRequire(import.meta.url);

interface PackageJson {
  version: string;
  repository?: PackageRepository;
}

export function packageVersion(): string {
  return (require('../package.json') as PackageJson).version;
}

/** package.json's `repository`, where the default documentation links point. */
export function packageRepository(): PackageRepository {
  return (require('../package.json') as PackageJson).repository;
}
