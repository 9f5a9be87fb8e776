/**
 * The extractors' names, file patterns and descriptions without their parsers: enough to tell whether a path
 * is a dependency file, and cheap to load (the CLI asks before it has any dependency file to read).
 * Order matters for lookup: exact lockfile/manifest names before requirements globs.
 */
import type { ExtractorMeta } from './extractor.js';
import { meta as pdm } from './pdm/index.js';
import { meta as pipenv } from './pipenv/index.js';
import { meta as poetry } from './poetry/index.js';
import { meta as pyproject } from './pyproject/index.js';
import { meta as requirements } from './requirements/index.js';
import { meta as setupCfg } from './setup-cfg/index.js';
import { meta as uv } from './uv/index.js';

/** Keyed by folder name. */
export const extractorMetas: Readonly<Record<string, ExtractorMeta>> = { poetry, pipenv, uv, pdm, pyproject, 'setup-cfg': setupCfg, requirements };

/** The name of the extractor for a repository path (`/`-separated), by file name; undefined when none applies. */
export function extractorNameFor(path: string): string | undefined {
  const normalized = path.replace(/\\/g, '/');
  return Object.keys(extractorMetas).find((name) => extractorMetas[name].filePatterns.some((p) => p.test(normalized)));
}
