/**
 * The advisory source port: package versions in, raw OSV records out. Which records actually affect a
 * version is the pure matcher's decision; a source only has to return every record that may.
 */
import { normalizeName } from '../types.js';

/**
 * An OSV record exactly as the source returned it: only `id` is checked. Run it through
 * `parseOsvRecord` (../osv/schema.ts) before matching; the matcher's `OsvRecord` is the validated,
 * defaulted form, and this type is deliberately not assignable to it, so raw data cannot skip the schema.
 */
export interface RawOsvRecord {
  id: string;
  modified?: string;
  withdrawn?: string;
  affected?: unknown[];
  aliases?: string[];
  [field: string]: unknown;
}

export interface PackageVersion {
  name: string;
  version: string;
}

export interface AdvisorySource {
  /** For messages: `OSV API (https://api.osv.dev)`, `local OSV database /path`. */
  name: string;
  /**
   * Every record that may concern each package version, keyed by {@link packageKey}. Every requested
   * package has an entry (an empty list when nothing is known). Rejects with {@link AdvisorySourceError}
   * when the answer would be incomplete: a failed lookup never reads as "no vulnerabilities".
   */
  advisoriesFor(packages: PackageVersion[]): Promise<Map<string, RawOsvRecord[]>>;
}

/**
 * - `unavailable`: the service failed (5xx, timeout, network) after the retries;
 * - `rate-limited`: still 429 after the retries, or asked to wait longer than we will;
 * - `invalid-response`: the answer is not what the protocol promises (bad JSON, wrong shape, a 4xx);
 * - `not-found`: the local database path, or a record the service itself listed, does not exist.
 */
export type AdvisorySourceErrorKind = 'unavailable' | 'rate-limited' | 'invalid-response' | 'not-found';

export class AdvisorySourceError extends Error {
  override name = 'AdvisorySourceError';
  readonly kind: AdvisorySourceErrorKind;
  /** The HTTP status of the last response, when there was one. */
  readonly status?: number;

  constructor(kind: AdvisorySourceErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** The map key of {@link AdvisorySource.advisoriesFor}: `${normalizedName}@${version}`. */
export function packageKey(pkg: PackageVersion): string {
  return `${normalizeName(pkg.name)}@${pkg.version}`;
}

/** A plain object with a string `id`: the least a record must be for a source to pass it on. */
export function isRawOsvRecord(value: unknown): value is RawOsvRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { id?: unknown }).id === 'string';
}
