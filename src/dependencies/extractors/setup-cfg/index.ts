import type { ExtractorMeta } from '../extractor.js';

export const meta: ExtractorMeta = {
  format: 'setup-cfg',
  filePatterns: [/(^|\/)setup\.cfg$/],
  description: 'setup.cfg: [options] install_requires and [options.extras_require] (setuptools declarative config)',
};
