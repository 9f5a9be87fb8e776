/**
 * `pyward scan PATH`: the project facts of the scanned tree (which settings module manage.py, wsgi.py and
 * pytest's configuration name, which settings modules build on which, which config objects Flask apps load),
 * read from the files before the rules run on any of them. Files are read once more for this (the
 * standard library's 1,790 files: about 0.1 s warm); most are dismissed by a word search on their bytes, star
 * imports are read line by line, and only the few files that name a settings module or load a Flask config
 * are parsed.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { isFactsPath, projectFacts, type FactsFile } from '../engine/project-facts.js';
import { decodePythonSource } from '../python/decode.js';
import { pythonParser } from '../python/parser.js';
import type { ProjectFacts } from '../rules/settings/project.js';
import type { WorkRequest } from './parse-path.js';

const STAR = '*'.charCodeAt(0);
const SPACE = ' '.charCodeAt(0);
const TAB = '\t'.charCodeAt(0);

/** `import *` (any blanks between): one search for `import`, a look at what follows each. */
function hasStarImport(bytes: Buffer): boolean {
  for (let at = bytes.indexOf('import'); at !== -1; at = bytes.indexOf('import', at + 6)) {
    let i = at + 6;
    while (bytes[i] === SPACE || bytes[i] === TAB) i++;
    if (bytes[i] === STAR) return true;
  }
  return false;
}

/**
 * Quick test on the bytes before decoding: a file without these words adds no fact. Three searches over
 * the bytes (they were six: the pass reads every file of the scan once more before the analysis starts).
 */
function mayHoldFacts(bytes: Buffer, python: boolean): boolean {
  if (bytes.includes('DJANGO_SETTINGS_MODULE') || hasStarImport(bytes)) return true;
  const from = bytes.indexOf('from_');
  if (from !== -1 && (bytes.includes('from_object', from) || bytes.includes('from_pyfile', from))) return true;
  return !python && bytes.includes('--ds');
}

function* texts(files: readonly WorkRequest[], maxBytes: number): Generator<FactsFile> {
  for (const f of files) {
    if (!isFactsPath(f.display)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(f.path);
    } catch {
      continue; // the scan itself reports an unreadable file
    }
    if (bytes.length > maxBytes || !mayHoldFacts(bytes, /\.pyi?$/.test(f.display))) continue;
    const decoded = decodePythonSource(new Uint8Array(bytes));
    if (decoded.ok) yield { path: f.display, text: decoded.text };
  }
}

export async function scanFacts(files: readonly WorkRequest[], config: Pick<Config, 'max_file_size'>): Promise<ProjectFacts> {
  return projectFacts(await pythonParser(), texts(files, config.max_file_size));
}
