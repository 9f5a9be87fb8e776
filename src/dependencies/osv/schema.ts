/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) pyward uses.
 *
 * Permissive where nothing is decided: unknown keys pass through, absent collections become empty,
 * `database_specific` / `ecosystem_specific` are free-form objects. Strict where a verdict depends on
 * it: every range event is an object with exactly one of `introduced`, `fixed`, `last_affected`,
 * `limit` holding a string, and a range has a `type` and an `events` array. A record that breaks those
 * is rejected rather than half-read.
 *
 * Whether a PyPI `ECOSYSTEM` range's versions are PEP 440 is checked by {@link recordProblems}, not
 * by the schema: two records of the PyPA database (binderhub PYSEC-2021-371 `fixed: 0.2.0-n653`,
 * steam PYSEC-2019-125 `fixed: 2019-09-12`) carry bounds that do not parse, and rejecting a whole
 * record would silently drop its advisory. The matcher reports such ranges as `unparseable`.
 */
import { z } from 'zod';
import { isValidVersion } from '../pep440/version.js';
import { normalizeName } from '../types.js';

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type OsvEventKind = (typeof EVENT_KEYS)[number];

/** One range event: a single key. `{introduced: "1.0", fixed: "1.2"}` is invalid per the OSV schema. */
export const OsvEventSchema = z
  .record(z.unknown())
  .superRefine((event, ctx) => {
    const keys = Object.keys(event);
    if (keys.length !== 1) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `an event must have exactly one key, got ${keys.length} (${keys.join(', ')})` });
      return;
    }
    const key = keys[0]!;
    if (!(EVENT_KEYS as readonly string[]).includes(key)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown event kind "${key}"` });
    } else if (typeof event[key] !== 'string' || (event[key] as string).trim() === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `event "${key}" must be a non-empty string` });
    }
  })
  .transform((event) => event as OsvEvent);

export type OsvEvent =
  | { introduced: string }
  | { fixed: string }
  | { last_affected: string }
  | { limit: string };

const FreeObject = z.record(z.unknown());
const optionalArray = <T extends z.ZodTypeAny>(item: T) => z.array(item).nullish().transform((x) => x ?? []);

export const OsvRangeSchema = z
  .object({
    type: z.string(),
    repo: z.string().optional(),
    events: z.array(OsvEventSchema),
    database_specific: FreeObject.optional(),
  })
  .passthrough();

export const OsvSeveritySchema = z.object({ type: z.string(), score: z.string() }).passthrough();

export const OsvAffectedSchema = z
  .object({
    package: z
      .object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() })
      .passthrough(),
    severity: optionalArray(OsvSeveritySchema),
    ranges: optionalArray(OsvRangeSchema),
    versions: optionalArray(z.string()),
    database_specific: FreeObject.optional(),
    ecosystem_specific: FreeObject.optional(),
  })
  .passthrough();

export const OsvRecordSchema = z
  .object({
    id: z.string().min(1),
    schema_version: z.string().optional(),
    modified: z.string(),
    published: z.string().optional(),
    withdrawn: z.string().optional(),
    aliases: optionalArray(z.string()),
    related: optionalArray(z.string()),
    summary: z.string().optional(),
    details: z.string().optional(),
    severity: optionalArray(OsvSeveritySchema),
    affected: optionalArray(OsvAffectedSchema),
    references: optionalArray(z.object({ type: z.string(), url: z.string() }).passthrough()),
    database_specific: FreeObject.optional(),
  })
  .passthrough();

export type OsvRange = z.infer<typeof OsvRangeSchema>;
export type OsvAffected = z.infer<typeof OsvAffectedSchema>;
export type OsvRecord = z.infer<typeof OsvRecordSchema>;
/** What the schema accepts (before defaults are filled in). */
export type OsvRecordInput = z.input<typeof OsvRecordSchema>;

export type ParseOsvResult = { ok: true; record: OsvRecord } | { ok: false; id?: string; error: string };

/** Validates one OSV record; never throws. */
export function parseOsvRecord(input: unknown): ParseOsvResult {
  const result = OsvRecordSchema.safeParse(input);
  if (result.success) return { ok: true, record: result.data };
  const id = typeof input === 'object' && input !== null && typeof (input as { id?: unknown }).id === 'string'
    ? (input as { id: string }).id
    : undefined;
  const error = result.error.issues.map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`).join('; ');
  return id === undefined ? { ok: false, error } : { ok: false, id, error };
}

/** The single kind and value of an event (validated by the schema). */
export function eventEntry(event: OsvEvent): [OsvEventKind, string] {
  const [kind, value] = Object.entries(event)[0] as [OsvEventKind, string];
  return [kind, value];
}

/** True for the PyPI ecosystem (`PyPI`; the OSV schema defines no suffix for it). */
export function isPyPI(ecosystem: string): boolean {
  return ecosystem.trim().toLowerCase() === 'pypi';
}

/** A PyPI `ECOSYSTEM` bound that is not a PEP 440 version (`introduced: "0"` and `limit: "*"` are fine). */
export interface RecordProblem {
  id: string;
  package: string;
  event: OsvEventKind;
  value: string;
  reason: string;
}

/** Event values in a record's PyPI ECOSYSTEM ranges that cannot be ordered by PEP 440. */
export function recordProblems(record: OsvRecord): RecordProblem[] {
  const problems: RecordProblem[] = [];
  for (const affected of record.affected) {
    if (!isPyPI(affected.package.ecosystem)) continue;
    for (const range of affected.ranges) {
      if (range.type !== 'ECOSYSTEM') continue;
      for (const event of range.events) {
        const [kind, value] = eventEntry(event);
        if (isSpecialBound(kind, value) || isValidVersion(value)) continue;
        problems.push({
          id: record.id,
          package: normalizeName(affected.package.name),
          event: kind,
          value,
          reason: `${kind} "${value}" is not a PEP 440 version`,
        });
      }
    }
  }
  return problems;
}

/** `introduced: "0"` (before every version) and `limit: "*"` (infinity) are not versions. */
export function isSpecialBound(kind: OsvEventKind, value: string): boolean {
  return (kind === 'introduced' && value === '0') || (kind === 'limit' && value.includes('*'));
}
