/** Poetry: poetry.lock, or only the Poetry tables of a pyproject.toml (the pyproject extractor reads all of it). */
import type { ExtractResult } from '../../types.js';
import { baseName } from '../text-lines.js';
import { parseTomlText } from '../toml-document.js';
import { locateToml } from '../toml-locations.js';
import { extractPoetryLock } from './lock.js';
import { poetryTableDependencies } from './manifest.js';

export function extract(text: string, path: string): ExtractResult {
  if (baseName(path) !== 'pyproject.toml') return extractPoetryLock(text);
  const parsed = parseTomlText(text);
  if (!parsed.ok) return { format: 'pyproject.toml', dependencies: [], skipped: [], error: parsed.error };
  return { format: 'pyproject.toml', ...poetryTableDependencies(parsed.doc, locateToml(text)) };
}
