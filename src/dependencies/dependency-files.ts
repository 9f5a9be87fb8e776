/** Which paths are Python dependency files: those an extractor reads (one list, in the extractor registry). */
import { extractorFor } from './extractors/registry.js';

export function isDependencyFile(path: string): boolean {
  return extractorFor(path) !== undefined;
}

/** Why a dependency file is listed as skipped when its content could not be handed to the checks. */
export const DEPENDENCY_CHECKS_PENDING = 'dependency file: not checked';
