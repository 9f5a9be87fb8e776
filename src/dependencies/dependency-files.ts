/** Which paths are Python dependency files: those an extractor reads (the extractors' metas, without their parsers). */
import { extractorNameFor } from './extractors/metas.js';

export function isDependencyFile(path: string): boolean {
  return extractorNameFor(path) !== undefined;
}

/** Why a dependency file is listed as skipped when its content could not be handed to the checks. */
export const DEPENDENCY_CHECKS_PENDING = 'dependency file: not checked';
