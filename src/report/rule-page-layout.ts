/**
 * The frame of every rule page: one self-contained HTML document (inline CSS, no fonts, images or
 * third-party scripts) and the Content-Security-Policy that allows exactly its inline style and script, by
 * hash, and nothing else.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './markdown-html.js';

const CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --bg-code: #f6f8fa; --link: #0550ae; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; border-bottom: 1px solid var(--line); }
header nav a { font-weight: 600; }
footer { margin-top: 3rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; }
a { color: var(--link); }
h1 { font-size: 1.8rem; margin: 1.2rem 0 .4rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; }
code, pre { font: .9em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg-code); border-radius: 4px; }
code { padding: .1em .3em; overflow-wrap: anywhere; }
pre { padding: .8rem 1rem; overflow-x: auto; border: 1px solid var(--line); }
pre code { padding: 0; background: none; }
.summary { font-size: 1.1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
caption { text-align: left; color: var(--muted); padding: .3rem 0; }
form { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; margin: 1rem 0; }
input[type=search] { font: inherit; padding: .3rem .5rem; min-width: 18rem; border: 1px solid var(--muted); border-radius: 4px; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid var(--muted); border-radius: 4px; background: var(--bg-code); color: var(--fg); }
.bad { border-left: 4px solid #cf222e; }
.good { border-left: 4px solid #1a7f37; }
`;

/** Filters the index table as the user types; the same filter as the server's `?q=` (id, name, summary). */
const SEARCH_JS = `
(function () {
  var input = document.getElementById('q');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#rules tbody tr'));
  var count = document.getElementById('count');
  function filter() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var match = !q || row.getAttribute('data-search').indexOf(q) >= 0;
      row.hidden = !match;
      if (match) shown++;
    });
    count.textContent = q ? shown + ' of ' + rows.length + ' rules match' : rows.length + ' rules';
  }
  input.addEventListener('input', filter);
})();
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Allows the page's own inline style and search script (by hash), forms to this site, and nothing else. */
export const RULE_PAGE_CSP = [
  "default-src 'none'",
  `style-src ${hash(CSS)}`,
  `script-src ${hash(SEARCH_JS)}`,
  // The empty data: icon keeps browsers from asking the server for /favicon.ico.
  'img-src data:',
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every rule page (the HTTP side adds status and length). */
export const RULE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': RULE_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'public, max-age=300',
};

export interface PageParts {
  title: string;
  /** Relative link to the index from this page. */
  indexHref: string;
  /** HTML of the main content (already escaped). */
  main: string;
  /** Include the search script (the index only). */
  search?: boolean;
}

export function renderPage(parts: PageParts): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(parts.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><nav aria-label="pyward"><a href="${escapeHtml(parts.indexHref)}">pyward rules</a></nav></header>`,
    `<main>\n${parts.main}\n</main>`,
    '<footer><p>pyward: security review of Python pull requests. Rule ids starting with B are Bandit\'s checks, under Bandit\'s ids and names; PW rules are pyward\'s own.</p></footer>',
    ...(parts.search ? [`<script>${SEARCH_JS}</script>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
