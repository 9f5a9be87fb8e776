import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'requirements',
  // Renovate-like names, plus any .txt/.in inside a `requirements/` folder (osparc, edx layouts).
  // `.in` files elsewhere are not taken: MANIFEST.in and Makefile.in are not requirement lists.
  filePatterns: [
    /(^|\/)[\w.-]*requirements[\w.-]*\.(txt|in|pip)$/i,
    /(^|\/)[\w.-]*constraints[\w.-]*\.(txt|in)$/i,
    /(^|\/)requirements\/(.+\/)?[^/]+\.(txt|in)$/i,
  ],
  description: "pip requirements and constraints files: pins, hashes, markers, -r/-c includes, index options, VCS and URL requirements",
};
