import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'uv',
  filePatterns: [/(^|\/)uv\.lock$/],
  description: 'uv lockfiles (uv.lock TOML): locked packages with sources and hashes; the local project itself is skipped',
};
