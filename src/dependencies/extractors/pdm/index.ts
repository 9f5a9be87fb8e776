import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'pdm',
  filePatterns: [/(^|\/)pdm\.lock$/],
  description: 'PDM lockfiles (pdm.lock TOML): locked packages, one entry per name/version/extras combination',
};
