/**
 * Where a finding's "documentation" link points. Pure: the edges (App, CLI) read the environment and
 * package.json and pass what they found. In order of preference:
 * - the App's own rule pages (`PYWARD_PUBLIC_URL` + `/pyward/rules/<ID>`), for rules and advisories alike;
 * - a rules reference in Markdown (`PYWARD_DOCS_URL`, else the `docs/rules.md` of the repository named in
 *   package.json) at the rule's anchor; advisories then link to their OSV record;
 * - nothing: a link to an address nobody checked is worse than no link (the comment still has the rule's
 *   why and fix).
 */
import { ruleAnchor } from './rules-doc.js';

export const RULE_PAGES_PATH = '/pyward/rules';

export type LinkBase =
  /** Pages served by the App under RULE_PAGES_PATH; `publicUrl` has no trailing slash. */
  | { kind: 'pages'; publicUrl: string }
  /** A rendered docs/rules.md (an absolute URL, or a path relative to where the link is read). */
  | { kind: 'docs'; docsUrl: string }
  | { kind: 'none' };

/** The ids of dependency advisory findings (the rule id is the advisory's own id). */
const ADVISORY_ID = /^(?:PYSEC-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3}|CVE-\d{4}-\d{4,}|OSV-\d{4}-\d+|PVE-\d{4}-\d+)$/i;

export function isAdvisoryId(id: string): boolean {
  return ADVISORY_ID.test(id);
}

/** The advisory's own record: OSV has every id pyward reports (PYSEC, GHSA and their CVE aliases). */
export function advisoryUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

/** The path of a rule's page below the server root. */
export function rulePagePath(id: string): string {
  return `${RULE_PAGES_PATH}/${encodeURIComponent(id)}`;
}

/**
 * A finding's link. `isRule` says which ids have documentation (a rule's page and anchor): findings of no
 * rule (PW500, an unparseable dependency file) get no link rather than a dead one.
 */
export function ruleUrl(id: string, base: LinkBase, isRule: (id: string) => boolean): string | undefined {
  const advisory = isAdvisoryId(id);
  if (!advisory && !isRule(id)) return undefined;
  if (base.kind === 'pages') return `${base.publicUrl}${rulePagePath(id)}`;
  if (advisory) return advisoryUrl(id);
  return base.kind === 'docs' ? `${base.docsUrl}#${ruleAnchor(id)}` : undefined;
}

/** package.json's `repository`: a string (`github:o/r`, `o/r`, a git or https URL) or `{ url, directory }`. */
export type PackageRepository = string | { url?: string; directory?: string } | undefined;

/**
 * The GitHub page of `docs/rules.md` in the repository package.json names (at its default branch: rule ids
 * are never reused, so an anchor there stays right for older builds). Undefined for other hosts, whose file
 * URLs we cannot build with certainty.
 */
export function docsUrlFromRepository(repository: PackageRepository): string | undefined {
  const raw = typeof repository === 'string' ? repository : repository?.url;
  if (!raw) return undefined;
  const m =
    /^(?:github:)?([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(raw) ??
    /^(?:git\+)?(?:https?|git|ssh):\/\/(?:git@)?github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(raw) ??
    /^git@github\.com:([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(raw);
  if (!m) return undefined;
  const directory = typeof repository === 'object' && repository.directory ? `${repository.directory.replace(/^\/+|\/+$/g, '')}/` : '';
  return `https://github.com/${m[1]}/${m[2]}/blob/HEAD/${directory}docs/rules.md`;
}

function httpUrl(value: string | undefined): string | undefined {
  if (!value?.trim()) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`not an http(s) URL: ${JSON.stringify(value)}`);
  if (url.search || url.hash) throw new Error(`must have no query or fragment: ${JSON.stringify(value)}`);
  return url.href.replace(/\/+$/, '');
}

/** The link base from the App's environment; a malformed URL throws (a deployment mistake, said at start). */
export function linkBaseFromEnv(env: Readonly<Record<string, string | undefined>>, repository?: PackageRepository): LinkBase {
  const publicUrl = httpUrlOrThrow('PYWARD_PUBLIC_URL', env.PYWARD_PUBLIC_URL);
  if (publicUrl) return { kind: 'pages', publicUrl };
  const docsUrl = httpUrlOrThrow('PYWARD_DOCS_URL', env.PYWARD_DOCS_URL) ?? docsUrlFromRepository(repository);
  return docsUrl ? { kind: 'docs', docsUrl } : { kind: 'none' };
}

function httpUrlOrThrow(name: string, value: string | undefined): string | undefined {
  try {
    return httpUrl(value);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}`);
  }
}
