/** Which files a `pyward scan PATH...` covers: directories recursively, minus virtualenvs, VCS and excludes. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';

const SKIPPED_DIRS = new Set([
  '.git', '.hg', '.svn', 'node_modules', '__pycache__', '.tox', '.nox', '.venv', 'venv', '.mypy_cache',
  '.pytest_cache', '.ruff_cache', '.eggs', 'site-packages', '.direnv',
]);

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
  const isExcluded = exclude.length ? picomatch(exclude, { dot: true, matchBase: true }) : () => false;
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
        if (SKIPPED_DIRS.has(entry.name) || existsSync(join(full, 'pyvenv.cfg'))) continue;
        if (isExcluded(shown) || isExcluded(`${shown}/`)) continue;
        visit(full);
      } else if (entry.isFile() && entry.name.endsWith('.py') && !isExcluded(shown)) {
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    const abs = p.startsWith('/') ? p : join(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) visit(abs);
    else files.push(abs); // an explicitly named file is scanned whatever its extension
  }
  return { files: [...new Set(files)], missing };
}
