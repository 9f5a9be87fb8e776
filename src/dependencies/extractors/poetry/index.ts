import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'poetry',
  // pyproject.toml goes to the pyproject extractor, which reads the Poetry tables through this folder.
  filePatterns: [/(^|\/)poetry\.lock$/],
  description: 'Poetry lockfiles (lock-version 1.x and 2.x) and the [tool.poetry] dependency tables of pyproject.toml',
};
