/**
 * Suppression comments in configuration files, in each format's own comment syntax: `#` in `.env`, YAML and
 * TOML after the value; `#` or `;` in INI and `.cfg`; `#` or `!` in `.properties`. INI (configparser's default)
 * and `.properties` have no inline comments (the text would become part of the value), so there the comment
 * lines directly above the secret count too. JSON has no comments: a finding in JSON is suppressed from the config
 * (`paths.ignore`, `rules.disable`) or fixed. The comment is then read as in Python (`# nosec`,
 * `# pyward: ignore[PW401] reason="..." until=YYYY-MM-DD`).
 */
import { parseSuppression, type Suppression } from './suppressions.js';

/** Comment lines above a secret searched for its suppression, in formats without inline comments. */
const ABOVE = 5;

type Syntax = { markers: string; inline: boolean; lineAbove: boolean } | undefined;

function syntaxOf(path: string): Syntax {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/^\.env(\..+)?$/.test(name) || name.endsWith('.env') || /\.(ya?ml|toml)$/.test(name)) return { markers: '#', inline: true, lineAbove: false };
  if (/\.(ini|cfg|conf)$/.test(name)) return { markers: '#;', inline: true, lineAbove: true };
  if (name.endsWith('.properties')) return { markers: '#!', inline: true, lineAbove: true };
  return undefined; // JSON
}

/** The comment of a line: from a marker at the line's start or after whitespace, outside quotes; `#`-led. */
export function commentOf(line: string, markers: string, inline = true): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote && quote === "'" && line[i + 1] === "'") i++; // YAML's '' inside single quotes
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      // a quote opens a string only where a value starts (`key = "..."`), not inside a word (`it's`)
      if (i === 0 || /[\s=:,[{(]/.test(line[i - 1])) quote = c;
      continue;
    }
    if (markers.includes(c) && (i === 0 || (inline && /\s/.test(line[i - 1])) || line.slice(0, i).trim() === '')) return `#${line.slice(i + 1)}`;
  }
  return undefined;
}

/**
 * The suppression that applies to a secret on 0-based lines `first`..`last` of a config file: a comment on
 * its first or last line, or, where the format has no inline comments, a comment line just above it.
 */
export function suppressionOn(path: string, first: number, last: number, lineText: (i: number) => string | undefined, isRuleWord: (word: string) => boolean): { suppression: Suppression; line: number } | undefined {
  const syntax = syntaxOf(path);
  if (!syntax) return undefined;
  const candidates = [first, ...(last !== first ? [last] : [])];
  for (const line of candidates) {
    const comment = commentOf(lineText(line) ?? '', syntax.markers, syntax.inline);
    const suppression = comment ? parseSuppression(comment, isRuleWord) : undefined;
    if (suppression) return { suppression, line };
  }
  const above = first > 0 ? (lineText(first - 1) ?? '') : '';
  // A YAML block scalar (`key: |  # nosec`): its content cannot hold a comment, its header can.
  if (/\.ya?ml$/i.test(path) && /:\s*[|>][-+0-9]*\s+#/.test(above)) {
    const suppression = parseSuppression(above.slice(above.search(/\s#/) + 1), isRuleWord);
    if (suppression) return { suppression, line: first - 1 };
  }
  // The comment lines just above (a few: an explanation may sit beside the suppression).
  for (let line = first - 1; syntax.lineAbove && line >= Math.max(0, first - ABOVE); line--) {
    const text = (lineText(line) ?? '').trim();
    if (!text || !syntax.markers.includes(text[0])) break;
    const suppression = parseSuppression(`#${text.slice(1)}`, isRuleWord);
    if (suppression) return { suppression, line };
  }
  return undefined;
}
