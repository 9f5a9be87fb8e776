/** Which paths are Python dependency files (DESIGN.md: the files pyward diffs for advisories and hygiene). */
const DEPENDENCY_FILE = /(^|\/)(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|poetry\.lock|Pipfile\.lock|uv\.lock|pdm\.lock|pyproject\.toml|setup\.cfg)$/;

export function isDependencyFile(path: string): boolean {
  return DEPENDENCY_FILE.test(path);
}

/** Why a dependency file is listed as skipped until the advisory checks exist. */
export const DEPENDENCY_CHECKS_PENDING = 'dependency file: advisory checks are not in this version yet';
