/**
 * The small Markdown the rule docs are written in -> safe HTML, so the rule pages show the same text as
 * docs/rules.md (rule-doc fields, the generated data-flow sections) without a Markdown dependency.
 * Understood: paragraphs, `#`-headings, `- ` lists, fenced code, code spans of any backtick length,
 * `**bold**`, `*italic*`, `[text](url)` and `<url>`. Everything else is text, escaped. Links keep only
 * http(s) and relative targets, so no doc text can smuggle `javascript:` in.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A link target worth following: http(s) or a path on this site; anything else is dropped. */
export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//')) return undefined;
  return trimmed;
}

function link(href: string | undefined, inner: string): string {
  return href === undefined ? inner : `<a href="${escapeHtml(href)}">${inner}</a>`;
}

/** Inline Markdown -> HTML. Code spans first, so their content stays literal. */
export function inlineHtml(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const ticks = /^`+/.exec(rest)?.[0];
    if (ticks) {
      const end = findClosingTicks(text, i + ticks.length, ticks.length);
      if (end >= 0) {
        let code = text.slice(i + ticks.length, end).replace(/\n/g, ' ');
        if (code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
        out += `<code>${escapeHtml(code)}</code>`;
        i = end + ticks.length;
        continue;
      }
      out += escapeHtml(ticks);
      i += ticks.length;
      continue;
    }
    const auto = /^<(https?:\/\/[^\s<>]+)>/.exec(rest);
    if (auto) {
      out += link(safeHref(auto[1]!), escapeHtml(auto[1]!));
      i += auto[0].length;
      continue;
    }
    const md = /^\[([^\]`]+)\]\(([^)\s]+)\)/.exec(rest);
    if (md) {
      out += link(safeHref(md[2]!), inlineHtml(md[1]!));
      i += md[0].length;
      continue;
    }
    const strong = /^\*\*(?=\S)([^`]*?\S)\*\*/.exec(rest);
    if (strong) {
      out += `<strong>${inlineHtml(strong[1]!)}</strong>`;
      i += strong[0].length;
      continue;
    }
    const em = /^\*(?=[^\s*])([^*`]*?[^\s*])\*(?!\*)/.exec(rest);
    if (em) {
      out += `<em>${inlineHtml(em[1]!)}</em>`;
      i += em[0].length;
      continue;
    }
    // Plain text up to the next character that may start markup.
    const plain = /^[^`<[*]+|^./s.exec(rest)![0];
    out += escapeHtml(plain);
    i += plain.length;
  }
  return out;
}

function findClosingTicks(text: string, from: number, length: number): number {
  const re = /`+/g;
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) if (m[0].length === length) return m.index;
  return -1;
}

/**
 * Block Markdown -> HTML. `headingOffset` shifts heading levels so a doc's `###` fits under the page's own
 * headings.
 */
export function markdownHtml(markdown: string, headingOffset = 0): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = /^(`{3,})(\w*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      const lang = fence[2] ? ` class="language-${escapeHtml(fence[2])}"` : '';
      blocks.push(`<pre><code${lang}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + headingOffset);
      blocks.push(`<h${level}>${inlineHtml(heading[2]!.trim())}</h${level}>`);
      i++;
      continue;
    }
    if (/^[-*] /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^[-*] /.test(lines[i]!)) {
        let item = lines[i++]!.slice(2);
        while (i < lines.length && /^ {2,}\S/.test(lines[i]!)) item += ` ${lines[i++]!.trim()}`;
        items.push(`<li>${inlineHtml(item)}</li>`);
      }
      blocks.push(`<ul>${items.join('')}</ul>`);
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() && !/^(`{3,}|#{1,6}\s|[-*] )/.test(lines[i]!)) para.push(lines[i++]!.trim());
    blocks.push(`<p>${inlineHtml(para.join('\n'))}</p>`);
  }
  return blocks.join('\n');
}
