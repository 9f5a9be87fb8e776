import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'pyproject',
  filePatterns: [/(^|\/)pyproject\.toml$/],
  description: 'pyproject.toml: PEP 621 dependencies and optional-dependencies, PEP 735 dependency groups, Poetry tables',
};
