/**
 * The configuration schema, shared by `.github/pyward.yml` and `pyward scan --config`: defaults, parsing
 * from YAML, and errors that name the bad key and its line.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { TAINT_RULES } from '../dataflow/models/types.js';
import { CONFIDENCES, SEVERITIES } from '../engine/types.js';

const severity = z.enum(SEVERITIES);
const confidence = z.enum(CONFIDENCES);
const idList = z.array(z.string().min(1)).default([]);

export const configSchema = z
  .object({
    /** Organisation defaults to inherit: `org/.github` (the repository's `.github/pyward.yml`), resolved by the app. */
    _extends: z.string().optional(),
    fail_on: severity.default('high'),
    min_severity: severity.default('low'),
    min_confidence: confidence.default('low'),
    max_file_size: z.number().int().positive().default(2 * 1024 * 1024),
    /** The conclusion of a review that could not cover everything (a file skipped, a limit, a source down): fail closed by default. */
    incomplete: z.enum(['failure', 'neutral']).default('failure'),
    rules: z
      .object({
        /** Only these rule ids/names run (empty: all). */
        select: idList,
        /** Rules that do not run. */
        disable: idList,
        /** Rules that run even when `disable` (here or in inherited org defaults) or `select` would leave them out. */
        enable: idList,
        /** Per-rule options, keyed by rule id, e.g. `B108: { tmp_dirs: [/scratch] }`. */
        options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      })
      .strict()
      .default({}),
    paths: z.object({ ignore: idList }).strict().default({}),
    dependencies: z
      .object({
        /** Check dependency files the change touches against published advisories (OSV). */
        enabled: z.boolean().default(true),
        /** Advisories not to report: an id (PYSEC-…, GHSA-…, CVE-…), or { id, reason, expires: YYYY-MM-DD }. */
        ignore: z
          .array(
            z.union([
              z.string().min(1),
              z
                .object({
                  id: z.string().min(1),
                  reason: z.string().optional(),
                  expires: z
                    .string()
                    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-12-31')
                    .optional(),
                })
                .strict(),
            ]),
          )
          .default([]),
      })
      .strict()
      .default({}),
    review: z
      .object({
        /** Post inline review comments (the check run is always posted). */
        enabled: z.boolean().default(true),
        /** Findings below this get no inline comment (they are still annotated and listed in the check run). */
        min_severity: severity.default('medium'),
        /** Inline comments per review; the rest are listed in the check-run summary. */
        max_comments: z.number().int().min(0).max(100).default(25),
        /** COMMENT, or REQUEST_CHANGES when a finding fails the check. */
        event: z.enum(['COMMENT', 'REQUEST_CHANGES']).default('COMMENT'),
        /** Comment on draft pull requests too (they are always checked). */
        drafts: z.boolean().default(false),
        /** Mark pyward's review threads resolved once their finding is gone. */
        resolve_fixed: z.boolean().default(true),
      })
      .strict()
      .default({}),
    dataflow: z
      .object({
        /** Follow untrusted data to dangerous calls (PW101-PW110); off leaves the Bandit-parity rules. */
        enabled: z.boolean().default(true),
        /** The team's own sources: qualified names of attributes or, ending in `()`, of calls whose result is untrusted. */
        sources: z.array(z.string().regex(/^[A-Za-z_][\w.]*(\(\))?$/, 'must be a qualified name like myapp.http.current_request.args or myapp.io.read_input()')).default([]),
        /** The team's own sinks per rule: `module.function` (its first argument), `module.function:2` or `module.function:sql`. */
        sinks: z
          .record(z.enum(TAINT_RULES), z.array(z.string().regex(/^[A-Za-z_][\w.]*(:(\d+|[A-Za-z_]\w*))?$/, 'must be a qualified name, optionally with :position or :keyword (myapp.db.run_sql:0)')))
          .default({}),
        /** The team's own sanitisers: a qualified name (safe for every rule) or { name, rules: [PW101, ...] }. */
        sanitizers: z
          .array(
            z.union([
              z.string().regex(/^[A-Za-z_][\w.]*$/, 'must be a qualified name like myapp.security.clean'),
              z.object({ name: z.string().regex(/^[A-Za-z_][\w.]*$/, 'must be a qualified name'), rules: z.array(z.enum(TAINT_RULES)).min(1) }).strict(),
            ]),
          )
          .default([]),
      })
      .strict()
      .default({}),
    suppressions: z
      .object({
        /** Honour inline suppressions (`# nosec`, `# pyward: ignore[...]`); false reports what they silence. */
        nosec: z.boolean().default(true),
        /**
         * A suppression must say why (`reason="..."`): one without a reason, such as a bare `# nosec`, is not
         * honoured and its finding is reported, saying so.
         */
        require_reason: z.boolean().default(false),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

export const DEFAULT_CONFIG: Config = configSchema.parse({});

export interface ConfigError {
  message: string;
  /** Dotted key path, e.g. `rules.disable`. */
  key?: string;
  line?: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: ConfigError[] };

function describeIssue(issue: z.ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_enum_value') return `must be one of ${issue.options.join(', ')} (got '${String(issue.received)}')`;
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

/** YAML text -> Config, or errors naming each bad key and the line it is on. An empty file is the default config. */
export function parseConfig(text: string): ConfigResult {
  const read = readConfigYaml(text);
  return read.ok ? { ok: true, config: configSchema.parse(read.data) } : read;
}

/** Deep merge for layered config files (organisation defaults, then the repository): mappings merge, the rest is replaced. */
export function mergeConfigData(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prev = out[key];
    const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isMap(prev) && isMap(value) ? mergeConfigData(prev, value) : value;
  }
  return out;
}

/** Alias expansions one config file may make (the YAML library's own guard against "billion laughs" files). */
export const MAX_YAML_ALIASES = 100;

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;
// A module-level `require` with literal specifiers: the form the Action's bundle (scripts/action-bundle.mjs) bundles.
const require = createRequire(import.meta.url);
/** The YAML library, loaded when a config file is first read (its 25 ms of loading is otherwise start-up time of every scan). */
function yaml(): Yaml {
  yamlModule ??= require('yaml') as Yaml;
  return yamlModule;
}

/** Validate the YAML of one config file and return its raw data (no defaults filled in), for layering. */
export function readConfigYaml(text: string): { ok: true; data: Record<string, unknown> } | { ok: false; errors: ConfigError[] } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  let data: unknown;
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length) {
      return {
        ok: false,
        errors: doc.errors.map((e) => ({ message: `not valid YAML: ${e.message.split('\n')[0]}`, line: e.linePos?.[0]?.line })),
      };
    }
    // A "billion laughs" file (aliases of aliases) makes the library throw rather than expand it: an invalid config, not a crash.
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
  } catch (err) {
    const reason = err instanceof RangeError ? 'it is nested too deeply' : (err as Error).message;
    return { ok: false, errors: [{ message: `not a usable YAML configuration: ${reason} (aliases are limited to ${MAX_YAML_ALIASES} expansions)` }] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, errors: [{ message: 'the configuration must be a mapping of keys (e.g. `fail_on: high`)', line: 1 }] };
  }
  const parsed = configSchema.safeParse(data);
  if (parsed.success) return { ok: true, data: data as Record<string, unknown> };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') path.push(issue.keys[0]);
      let line: number | undefined;
      for (let n = path.length; n > 0 && line === undefined; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number] } | undefined;
        const keyNode = findKeyNode(doc.contents, path.slice(0, n));
        const offset = keyNode?.range?.[0] ?? node?.range?.[0];
        if (offset !== undefined) line = lineCounter.linePos(offset).line;
      }
      return { key: path.join('.') || undefined, message: describeIssue(issue), line };
    }),
  };
}

function findKeyNode(contents: unknown, path: string[]): { range?: [number, number] } | undefined {
  const { isMap, isSeq } = yaml();
  let node = contents;
  let key: { range?: [number, number] } | undefined;
  for (const segment of path) {
    if (isSeq(node) && /^\d+$/.test(segment)) {
      const item = node.items[Number(segment)] as { range?: [number, number] } | undefined;
      if (!item) return key;
      key = item;
      node = item;
      continue;
    }
    if (!isMap(node)) return key;
    const pair = node.items.find((p) => String((p.key as { value?: unknown })?.value) === segment);
    if (!pair) return key;
    key = pair.key as { range?: [number, number] };
    node = pair.value;
  }
  return key;
}

export function formatConfigErrors(errors: ConfigError[], file: string): string {
  return errors.map((e) => `${file}${e.line ? `:${e.line}` : ''}: ${e.key ? `${e.key}: ` : ''}${e.message}`).join('\n');
}
