/** The extractors, one folder each: an explicit map (no discovery at run time) and lookup by file name. */
import type { Extractor } from './extractor.js';
import { meta as pdmMeta } from './pdm/index.js';
import { extract as pdmExtract } from './pdm/extract.js';
import { meta as pipenvMeta } from './pipenv/index.js';
import { extract as pipenvExtract } from './pipenv/extract.js';
import { meta as poetryMeta } from './poetry/index.js';
import { extract as poetryExtract } from './poetry/extract.js';
import { meta as pyprojectMeta } from './pyproject/index.js';
import { extract as pyprojectExtract } from './pyproject/extract.js';
import { meta as requirementsMeta } from './requirements/index.js';
import { extract as requirementsExtract } from './requirements/extract.js';
import { meta as setupCfgMeta } from './setup-cfg/index.js';
import { extract as setupCfgExtract } from './setup-cfg/extract.js';
import { meta as uvMeta } from './uv/index.js';
import { extract as uvExtract } from './uv/extract.js';

export type { Extractor, ExtractorMeta, ExtractFn } from './extractor.js';

/** Keyed by folder name. Order matters for lookup: exact lockfile/manifest names before requirements globs. */
export const extractors: Readonly<Record<string, Extractor>> = {
  poetry: { ...poetryMeta, extract: poetryExtract },
  pipenv: { ...pipenvMeta, extract: pipenvExtract },
  uv: { ...uvMeta, extract: uvExtract },
  pdm: { ...pdmMeta, extract: pdmExtract },
  pyproject: { ...pyprojectMeta, extract: pyprojectExtract },
  'setup-cfg': { ...setupCfgMeta, extract: setupCfgExtract },
  requirements: { ...requirementsMeta, extract: requirementsExtract },
};

/** The extractor for a repository path (`/`-separated), by file name; undefined when none applies. */
export function extractorFor(path: string): Extractor | undefined {
  const normalized = path.replace(/\\/g, '/');
  return Object.values(extractors).find((e) => e.filePatterns.some((p) => p.test(normalized)));
}
