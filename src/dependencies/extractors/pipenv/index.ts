import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'pipenv',
  filePatterns: [/(^|\/)Pipfile\.lock$/],
  description: 'Pipenv lockfiles (Pipfile.lock JSON): default and develop packages with versions, hashes and markers',
};
