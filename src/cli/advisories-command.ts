/** `pyward advisories update`: fetch OSV's PyPI export for offline scans, and say how to use it. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { AdvisorySourceError } from '../dependencies/advisories/source.js';
import { downloadPypiExport, OSV_PYPI_EXPORT_URL } from '../dependencies/advisories/update.js';
import type { AdvisoriesUpdateArgs } from './args.js';
import type { Io } from './main.js';

/** `$XDG_CACHE_HOME/pyward/osv-pypi.zip`, else `~/.cache/pyward/osv-pypi.zip`. */
export function defaultExportPath(env: NodeJS.ProcessEnv): string {
  const cache = env.XDG_CACHE_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.cache');
  return join(cache, 'pyward', 'osv-pypi.zip');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function advisoriesUpdate(args: AdvisoriesUpdateArgs, io: Io, download = downloadPypiExport): Promise<number> {
  const dest = args.output ? resolve(io.cwd, args.output) : defaultExportPath(io.env);
  // PYWARD_OSV_EXPORT_URL: a mirror, for installations without access to Google Cloud Storage.
  const url = io.env.PYWARD_OSV_EXPORT_URL?.trim() || OSV_PYPI_EXPORT_URL;
  io.stderr.write(`pyward: downloading ${url}\n`);
  try {
    const result = await download(dest, { url });
    const skipped = result.skipped ? ` (${result.skipped} unreadable entr${result.skipped === 1 ? 'y' : 'ies'} skipped)` : '';
    io.stdout.write(
      `Saved ${result.records} OSV records (${megabytes(result.bytes)}) to ${result.path}${skipped}.\n` +
        `Scan offline with it:\n  PYWARD_ADVISORY_DB=${result.path} pyward scan ...\n`,
    );
    return 0; // EXIT_OK
  } catch (err) {
    if (!(err instanceof AdvisorySourceError)) throw err;
    io.stderr.write(`pyward: ${err.message}\nNothing was changed at ${dest}.\n`);
    return 2; // EXIT_ERROR (not imported: main.ts imports this file)
  }
}
