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

/** Quick test on the bytes before decoding: a file without these words adds no fact. */
const WORDS = ['DJANGO_SETTINGS_MODULE', 'import *', 'import*', 'from_object', 'from_pyfile', '--ds'];

function* texts(files: readonly WorkRequest[], maxBytes: number): Generator<FactsFile> {
  for (const f of files) {
    if (!isFactsPath(f.display)) continue;
    let bytes: Buffer;
    try {
      bytes = readFileSync(f.path);
    } catch {
      continue; // the scan itself reports an unreadable file
    }
    if (bytes.length > maxBytes || !WORDS.some((w) => bytes.includes(w))) continue;
    const decoded = decodePythonSource(new Uint8Array(bytes));
    if (decoded.ok) yield { path: f.display, text: decoded.text };
  }
}

export async function scanFacts(files: readonly WorkRequest[], config: Pick<Config, 'max_file_size'>): Promise<ProjectFacts> {
  return projectFacts(await pythonParser(), texts(files, config.max_file_size));
}
