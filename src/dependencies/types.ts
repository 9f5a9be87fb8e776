/** Data shared by the dependency extractors, the advisory matcher and the dependency rules. */

/** One requirement or locked package, where it is written. */
export interface Dependency {
  /** The name as written (`PyYAML`, `ruamel.yaml`). */
  name: string;
  /** PEP 503: lower case, runs of `-`, `_`, `.` as one `-` (`ruamel-yaml`). */
  normalizedName: string;
  /** The exact version when the file pins or locks one (`==1.2`, `===1.2`, a lockfile's version); else absent. */
  version?: string;
  /** The version constraint as written (`>=1,<2`, `~=2.0`, `==1.*`), when there is one. */
  specifier?: string;
  /** 1-based line of the entry (for lockfiles, the line of the package's name/header). */
  line: number;
  extras?: string[];
  /** PEP 508 environment markers as written. */
  markers?: string;
  /** `--hash=sha256:...` values or a lockfile's file hashes. */
  hashes?: string[];
  /** Where it comes from: an index (default), a URL, a VCS URL, a local path, an editable install. */
  source?: 'index' | 'url' | 'vcs' | 'path' | 'editable';
  url?: string;
  /** The VCS revision asked for when the manifest gives it beside the URL (Poetry's `rev`/`tag`/`branch`). */
  revision?: string;
  /** Groups / sections / extras it belongs to (`dev`, `test`, `develop`, optional-dependency names). */
  groups?: string[];
  /** True for direct requirements (manifests), false for packages a lockfile resolved transitively, absent when unknown. */
  direct?: boolean;
}

/** A line an extractor could not use: kept with a reason, never thrown. */
export interface SkippedEntry {
  line: number;
  text: string;
  reason: string;
}

export interface ExtractResult {
  /** `requirements`, `poetry.lock`, `Pipfile.lock`, `uv.lock`, `pdm.lock`, `pyproject.toml`, `setup.cfg`. */
  format: string;
  dependencies: Dependency[];
  skipped: SkippedEntry[];
  /** requirements files: `-r` / `-c` includes, relative to the including file. */
  includes?: { kind: 'requirement' | 'constraint'; path: string; line: number }[];
  /**
   * Index settings: a requirements file's options (`--index-url`, `--extra-index-url`, `--trusted-host`,
   * `--find-links`, `--no-index`); from pyproject.toml, uv/Poetry/PDM indexes (`index`: an index searched in
   * order, not pip's best match across all), TLS turned off (`trusted-host`) and uv's `index-strategy`.
   */
  options?: { name: 'index-url' | 'extra-index-url' | 'trusted-host' | 'find-links' | 'no-index' | 'index' | 'index-strategy'; value: string; line: number }[];
  /** The file as a whole does not parse (broken TOML/JSON): the parser's reason, and where. */
  error?: { message: string; line?: number };
}

/** PEP 503 name normalisation. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}
