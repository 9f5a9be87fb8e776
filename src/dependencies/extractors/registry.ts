/** The extractors, one folder each: an explicit map (no discovery at run time) and lookup by file name. */
import type { Extractor, ExtractFn } from './extractor.js';
import { extractorMetas, extractorNameFor } from './metas.js';
import { extract as pdmExtract } from './pdm/extract.js';
import { extract as pipenvExtract } from './pipenv/extract.js';
import { extract as poetryExtract } from './poetry/extract.js';
import { extract as pyprojectExtract } from './pyproject/extract.js';
import { extract as requirementsExtract } from './requirements/extract.js';
import { extract as setupCfgExtract } from './setup-cfg/extract.js';
import { extract as uvExtract } from './uv/extract.js';

export type { Extractor, ExtractorMeta, ExtractFn } from './extractor.js';

const EXTRACT: Record<string, ExtractFn> = {
  poetry: poetryExtract,
  pipenv: pipenvExtract,
  uv: uvExtract,
  pdm: pdmExtract,
  pyproject: pyprojectExtract,
  'setup-cfg': setupCfgExtract,
  requirements: requirementsExtract,
};

/** Keyed by folder name, in lookup order (metas.ts). */
export const extractors: Readonly<Record<string, Extractor>> = Object.fromEntries(
  Object.entries(extractorMetas).map(([name, meta]) => [name, { ...meta, extract: EXTRACT[name] }]),
);

/** The extractor for a repository path (`/`-separated), by file name; undefined when none applies. */
export function extractorFor(path: string): Extractor | undefined {
  const name = extractorNameFor(path);
  return name === undefined ? undefined : extractors[name];
}
