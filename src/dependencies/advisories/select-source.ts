/** Which advisory source a process uses, from its environment: a local OSV database when one is named, else the OSV API. */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { createLocalDbSource } from './local-db.js';
import { createOsvApiSource, type OsvApiOptions } from './osv-api.js';
import type { AdvisorySource } from './source.js';

export interface SelectSourceOptions {
  /** Base for a relative PYWARD_ADVISORY_DB (default: the process's working directory). */
  cwd?: string;
  /** Passed to the OSV API client (PYWARD_OSV_URL wins over `baseUrl`). */
  osv?: OsvApiOptions;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/**
 * - `PYWARD_ADVISORY_DB=<path>`: a directory of OSV records, a JSON array of them, or OSV's `all.zip`;
 * - otherwise the OSV API, at `PYWARD_OSV_URL` when set (a mirror, or a test server).
 */
export function advisorySourceFromEnv(env: NodeJS.ProcessEnv, options: SelectSourceOptions = {}): AdvisorySource {
  const db = env.PYWARD_ADVISORY_DB?.trim();
  if (db) return createLocalDbSource(resolve(options.cwd ?? process.cwd(), expandHome(db)));
  const url = env.PYWARD_OSV_URL?.trim();
  return createOsvApiSource({ ...options.osv, ...(url ? { baseUrl: url } : {}) });
}
