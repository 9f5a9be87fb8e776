import type { ExtractResult } from '../types.js';

/** What an extractor folder's `index.ts` declares: metadata only, no parsing. */
export interface ExtractorMeta {
  /** Folder name and registry key (`requirements`, `poetry`, ...). */
  format: string;
  /** File names (or paths) this extractor reads, matched against a `/`-separated path. */
  filePatterns: RegExp[];
  description: string;
}

export type ExtractFn = (text: string, path: string) => ExtractResult;

export interface Extractor extends ExtractorMeta {
  extract: ExtractFn;
}
