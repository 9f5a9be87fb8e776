/** Which files a `pyward scan PATH...` covers: directories recursively, minus virtualenvs, VCS and excludes. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { isDependencyFile } from '../dependencies/dependency-files.js';
import { isConfigFile } from '../engine/scan-config-files.js';

const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.tox', '.nox', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.eggs', 'site-packages', '.direnv',
]);

/** A virtualenv, whatever its name: `pyvenv.cfg` (venv, virtualenv >= 20) or an activate script (older ones). */
function isVirtualenv(dir: string): boolean {
  return existsSync(join(dir, 'pyvenv.cfg')) || existsSync(join(dir, 'bin', 'activate')) || existsSync(join(dir, 'Scripts', 'activate'));
}

export interface FileSelection {
  files: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
}

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Display path: relative to cwd when inside it, with forward slashes. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return toPosix(rel && !rel.startsWith('..') ? rel : path);
}

export function collectFiles(paths: string[], cwd: string, exclude: string[]): FileSelection {
  // Globs match the path relative to the scanned directory and the displayed path; a glob without a slash
  // matches any file or directory name (as in .gitignore).
  const matcher = exclude.length ? picomatch(exclude, { dot: true, matchBase: true }) : undefined;
  let root = cwd;
  const isExcluded = (shown: string, full: string) => {
    if (!matcher) return false;
    const rel = toPosix(relative(root, full));
    return matcher(rel) || matcher(shown) || matcher(`${rel}/`);
  };
  const files: string[] = [];
  const missing: string[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = join(dir, entry.name);
      const shown = displayPath(full, cwd);
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name) || isVirtualenv(full)) continue;
        if (isExcluded(shown, full)) continue;
        visit(full);
      } else if (entry.isFile() && (entry.name.endsWith('.py') || isDependencyFile(toPosix(relative(root, full))) || isConfigFile(entry.name)) && !isExcluded(shown, full)) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    root = st.isDirectory() ? abs : cwd;
    if (st.isDirectory()) visit(abs);
    else files.push(abs); // an explicitly named file is scanned whatever its extension
  }
  return { files: [...new Set(files)], missing };
}
