/**
 * The App's rule pages over HTTP: GET/HEAD /pyward/rules (the index, `?q=` filters it) and
 * /pyward/rules/<ID>. A Probot server handler: it answers its own paths and passes on everything else.
 * The pages themselves are rendered by report/rule-page.ts; here is only HTTP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rule } from '../rules/rule.js';
import { RULE_PAGES_PATH } from '../report/rule-links.js';
import { renderRuleIndex } from '../report/rule-index-page.js';
import { RULE_PAGE_HEADERS } from '../report/rule-page-layout.js';
import { rulePageFor } from '../report/rule-page.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean;

export function rulePagesHandler(rules: readonly Rule[]): Handler {
  // Rendered once per path: the pages only change with a new build.
  const cache = new Map<string, { status: number; html: string } | { status: 301; location: string }>();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path !== RULE_PAGES_PATH && !path.startsWith(`${RULE_PAGES_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return true;
    }
    const rest = path.slice(RULE_PAGES_PATH.length + 1);
    if (path === `${RULE_PAGES_PATH}/`) return redirect(res, `../rules${url.search}`);
    if (path === RULE_PAGES_PATH) return send(req, res, 200, renderRuleIndex(rules, url.searchParams.get('q') ?? ''));
    let segment: string;
    try {
      segment = decodeURIComponent(rest);
    } catch {
      segment = rest;
    }
    // One segment only: relative links on the pages assume it (`/pyward/rules/B602/` would break them).
    if (segment.endsWith('/') && !segment.slice(0, -1).includes('/')) return redirect(res, `../${encodeURIComponent(segment.slice(0, -1))}`);
    let page = cache.get(segment);
    if (!page) {
      page = rulePageFor(segment, rules);
      // Only known pages are kept: anyone can ask for any number of unknown ids.
      if (page.status !== 404 && cache.size < 1_000) cache.set(segment, page);
    }
    if ('location' in page) return redirect(res, page.location);
    return send(req, res, page.status, page.html);
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, html: string): true {
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { ...RULE_PAGE_HEADERS, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function redirect(res: ServerResponse, location: string): true {
  res.writeHead(301, { location, 'content-type': 'text/plain; charset=utf-8' }).end(`Moved to ${location}\n`);
  return true;
}
