/**
 * Configuration files (`.env*`, YAML, JSON, INI, `.cfg`, TOML, `.properties`) -> PW401-PW403 findings:
 * the credentials in them, by format. In a review only what the change added counts (as for Python); in a
 * whole-tree scan, everything. `# nosec` and `# pyward: ignore[PW401] reason="..." until=YYYY-MM-DD` in the
 * format's own comment syntax on the secret's line suppress as in Python (config-comments.ts). Pure: the
 * change sources and the CLI read the files.
 */
import type { AddedLines } from '../diff/patch.js';
import { fingerprintAll } from '../report/fingerprints.js';
import { ruleFinding, type Rule } from '../rules/rule.js';
import { findSecrets, secretMessage, type SecretMatch } from '../rules/secrets/detect.js';
import type { ChangedFile, Finding, SuppressedFinding } from './types.js';
import { suppressionOn } from './config-comments.js';
import { suppressionApplies, suppressionRecord } from './suppressions.js';

const CONFIG_EXTENSIONS = /\.(ya?ml|json|ini|cfg|toml|properties|conf|env)$/i;
/** Generated files of other ecosystems: large, and only hashes and registry URLs. */
const GENERATED = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'composer.lock', 'yarn.lock']);
/** Larger configuration files are not read for secrets (a config file of 2 MiB is data, not settings). */
export const MAX_CONFIG_FILE_BYTES = 2 * 1024 * 1024;

export function isConfigFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (GENERATED.has(name)) return false;
  return /^\.env(\..+)?$/i.test(name) || CONFIG_EXTENSIONS.test(name);
}

export interface ConfigFileScan {
  findings: Finding[];
  preExisting: Finding[];
  /** Findings a comment on their line suppresses (on added lines only, in a review). */
  suppressed: SuppressedFinding[];
  /** Files read, and their lines (for the stats). */
  files: number;
  lines: number;
}

interface Raw extends Omit<Finding, 'fingerprint' | 'snippet'> {
  isNew: boolean;
  snippet: string;
  suppression?: SuppressedFinding['suppression'];
}

export interface ConfigScanOptions {
  rules: readonly Rule[];
  added?: AddedLines;
  /** `suppressions.nosec` of the config: false reports what comments would silence. Default true. */
  honourComments?: boolean;
  /** Words that are rule ids or names (`ActiveRules.isRuleWord`), for Bandit-style `# nosec PW401`. */
  isRuleWord?: (word: string) => boolean;
}

function decode(content: Uint8Array | string): string | undefined {
  if (typeof content === 'string') return content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content).replace(/^\uFEFF/, '');
  } catch {
    return undefined; // not text: nothing a reader would paste a credential into
  }
}

/** The line with every credential overlapping it redacted (a key block running over several lines included). */
function redactedLine(text: string, lineStart: number, lineEnd: number, matches: readonly SecretMatch[]): string {
  let out = '';
  let at = lineStart;
  for (const m of matches) {
    if (m.end <= lineStart || m.start >= lineEnd) continue;
    out += text.slice(at, Math.max(at, m.start));
    out += m.start >= lineStart ? m.redacted : '***';
    at = Math.min(lineEnd, m.end);
  }
  return out + text.slice(at, lineEnd);
}

export function scanConfigFiles(files: readonly ChangedFile[], options: ConfigScanOptions): ConfigFileScan {
  const isRuleWord = options.isRuleWord ?? ((w: string) => /^PW40[123]$/i.test(w) || options.rules.some((r) => r.meta.name === w.toLowerCase()));
  const rules = new Map(options.rules.filter((r) => /^PW40[123]$/.test(r.meta.id)).map((r) => [r.meta.id, r]));
  const raw: Raw[] = [];
  let scanned = 0;
  let lineCount = 0;
  for (const file of files) {
    if (!rules.size || file.status === 'removed' || file.head === undefined || !isConfigFile(file.path)) continue;
    const size = typeof file.head === 'string' ? file.head.length : file.head.length;
    if (size > MAX_CONFIG_FILE_BYTES) continue;
    const text = decode(file.head);
    if (text === undefined) continue;
    scanned++;
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineCount += starts.length;
    const lineOf = (offset: number) => {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    };
    const lineEnd = (i: number) => (i + 1 < starts.length ? starts[i + 1] - 1 : text.length) - (text[(i + 1 < starts.length ? starts[i + 1] - 1 : text.length) - 1] === '\r' ? 1 : 0);
    const matches = findSecrets(text, { path: file.path });
    for (const m of matches) {
      const rule = rules.get(m.ruleId);
      if (!rule) continue;
      const first = lineOf(m.start);
      const last = lineOf(Math.max(m.start, m.end - 1));
      const location = { path: file.path, startLine: first + 1, startColumn: m.start - starts[first] + 1, endLine: last + 1, endColumn: m.end - starts[last] + 1 };
      const isNew = !options.added || options.added.firstAddedIn(file.path, location.startLine, location.endLine) !== undefined;
      const snippet = redactedLine(text, starts[first], lineEnd(first), matches).trim();
      const lineText = (i: number) => (i >= 0 && i < starts.length ? text.slice(starts[i], lineEnd(i)) : undefined);
      const found = options.honourComments === false ? undefined : suppressionOn(file.path, first, last, lineText, isRuleWord);
      const suppression = found && suppressionApplies(found.suppression, [rule.meta.id], rule.meta.name) ? suppressionRecord(found.suppression, found.line + 1) : undefined;
      raw.push({ ...ruleFinding(rule.meta, { message: secretMessage(m), confidence: m.confidence }, location), snippet, isNew, ...(suppression ? { suppression } : {}) });
    }
  }
  const prints = fingerprintAll(raw.map((f) => ({ ruleId: f.ruleId, path: f.location.path, code: f.snippet })));
  const findings: Finding[] = [];
  const preExisting: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  raw.forEach(({ isNew, suppression, ...f }, i) => {
    const finding = { ...f, fingerprint: prints[i] };
    if (suppression) {
      // As for Python: a suppression on a line the change did not add is not the change's to report.
      if (isNew) suppressed.push({ ...finding, suppression });
    } else (isNew ? findings : preExisting).push(finding);
  });
  return { findings, preExisting, suppressed, files: scanned, lines: lineCount };
}
