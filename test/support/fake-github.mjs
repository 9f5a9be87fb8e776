/**
 * A fake GitHub REST API over real HTTP (node:http only), for end-to-end tests and benchmarks of the pyward
 * app: one in-memory repository holding one pull request (`pullRequest`) or several (`pullRequests`, for the
 * load benchmark; `push()` moves a PR's head to a new commit with new files), their check runs, reviews and
 * review comments.
 * Every request is recorded (method, path, query, JSON body, status, route); routes it does not know answer
 * 404 and are recorded with `route: null`, so a test can assert that none happened.
 *
 * Plain JavaScript ESM so that both the TypeScript tests (through fake-github.d.mts, run by ts-jest as
 * native ESM) and the benchmarks (plain `node`, after `npm run build`) can import it without a build step.
 *
 * Probot talks to it as to GitHub Enterprise Server: base URL `http://127.0.0.1:<port>/api/v3`
 * (`GHE_HOST=127.0.0.1:<port> GHE_PROTOCOL=http` for `probot run`, or `baseUrl` for `new Probot`).
 */
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const PREFIX = '/api/v3';
const DOCS = 'https://docs.github.com/rest';

/** The routes pyward may use, as [method, label, pattern over the path after /api/v3]. */
const ROUTES = [
  ['POST', 'POST /app/installations/{id}/access_tokens', /^\/app\/installations\/(\d+)\/access_tokens$/],
  ['GET', 'GET /app', /^\/app$/],
  ['GET', 'GET /repos/{o}/{r}/commits/{sha}/check-runs', /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/],
  ['POST', 'POST /repos/{o}/{r}/check-runs', /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/],
  ['PATCH', 'PATCH /repos/{o}/{r}/check-runs/{id}', /^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/],
  ['GET', 'GET /repos/{o}/{r}/contents/{path}', /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/],
  ['GET', 'GET /repos/{o}/{r}/pulls/{n}/files', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/],
  ['GET', 'GET /repos/{o}/{r}/git/blobs/{sha}', /^\/repos\/([^/]+)\/([^/]+)\/git\/blobs\/([0-9a-f]+)$/],
  ['GET', 'GET /repos/{o}/{r}/pulls/{n}/comments', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/comments$/],
  ['POST', 'POST /repos/{o}/{r}/pulls/{n}/reviews', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/],
  ['DELETE', 'DELETE /repos/{o}/{r}/pulls/{n}/reviews/{id}', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews\/(\d+)$/],
  ['GET', 'GET /repos/{o}/{r}/pulls/{n}', /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/],
  ['GET', 'GET /repos/{o}/{r}/pulls', /^\/repos\/([^/]+)\/([^/]+)\/pulls$/],
  ['GET', 'GET /repos/{o}/{r}/commits/{sha}/pulls', /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/],
];

const gitSha = (text) => createHmac('sha1', 'blob').update(text).digest('hex');

/** base64 in 60-character lines, as GitHub sends blobs and contents. */
function githubBase64(text) {
  return (Buffer.from(text).toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + '\n';
}

/** Lines of the RIGHT (head) side a review comment may anchor to: added and context lines of the hunks. */
export function rightSideLines(patch) {
  const lines = new Set();
  if (patch === undefined) return lines;
  let line = 0;
  for (const text of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (text.startsWith('-') || text.startsWith('\\')) continue;
    lines.add(line++);
  }
  return lines;
}

/** A patch adding every line of a new file. */
export function newFilePatch(text) {
  const lines = text.replace(/\n$/, '').split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`;
}

/** `sha256=<hex>`: the `x-hub-signature-256` of a webhook body. */
export function signWebhook(secret, body) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples');

/** A real `pull_request` example payload from @octokit/webhooks-examples, moved onto the fake's repository and PR. */
export function pullRequestEvent(action, { owner, repo, installationId, number, headSha, baseSha, draft = false, state = 'open' }) {
  const found = examples.find((e) => e.name === 'pull_request')?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no pull_request.${action} example`);
  const p = structuredClone(found);
  p.installation = { id: installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  p.repository = { ...p.repository, name: repo, full_name: `${owner}/${repo}`, owner: { ...p.repository.owner, login: owner }, default_branch: 'main', html_url: `https://github.com/${owner}/${repo}` };
  p.pull_request = { ...p.pull_request, number, state, draft, head: { ...p.pull_request.head, sha: headSha }, base: { ...p.pull_request.base, sha: baseSha } };
  p.number = number;
  return p;
}

function verifyJwt(authorization, publicKey, appId) {
  const m = /^bearer (.+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const [header, payload, signature] = m[1].split('.');
  if (!signature) return false;
  const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey(publicKey), Buffer.from(signature, 'base64url'));
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return appId === undefined || String(claims.iss) === String(appId);
}

/**
 * @param {import('./fake-github.d.mts').FakeGitHubOptions} options
 * @returns {import('./fake-github.d.mts').FakeGitHub}
 */
export function createFakeGitHub(options) {
  const { owner, repo, installationId } = options;
  const withShas = (files) => files.map((f) => ({ ...f, sha: f.content === undefined ? undefined : gitSha(`${f.filename}\0${f.content}`) }));
  /** number -> PR; `heads` keeps every head a PR has had (sha -> files), so an older head's contents still resolve. */
  const prs = new Map();
  const blobs = new Map();
  const addBlobs = (files) => {
    for (const f of files) if (f.sha) blobs.set(f.sha, f.content);
  };
  for (const p of options.pullRequests ?? [options.pullRequest]) {
    const files = withShas(p.files);
    addBlobs(files);
    prs.set(p.number, { number: p.number, headSha: p.headSha, baseSha: p.baseSha, draft: p.draft ?? false, state: p.state ?? 'open', files, heads: new Map([[p.headSha, files]]) });
  }
  const prOf = (n) => prs.get(Number(n));
  /** Files of a commit that is (or was) the head of a PR. */
  const filesAt = (sha) => {
    for (const p of prs.values()) if (p.heads.has(sha)) return p.heads.get(sha);
    return undefined;
  };
  /** `owner/repo` -> path -> text, on the default branch. */
  const contents = options.contents ?? {};
  /** Unchanged files at the head commit (path -> text), for GraphQL blob lookups. */
  const headFiles = options.headFiles ?? {};
  const token = `ghs_fake${installationId}`;

  const requests = [];
  const listeners = new Set();
  let state;
  const reset = () => {
    requests.length = 0;
    state = { nextId: 1000, checkRuns: [], reviews: [], comments: [] };
  };
  reset();

  const notFound = { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  const isOurs = (o, r) => o === owner && r === repo;

  /** [page of items, Link header] for ?per_page&page, GitHub-style (default 30, max 100). */
  function paginate(items, url, query) {
    const perPage = Math.min(Number(query.get('per_page') ?? 30) || 30, 100);
    const page = Math.max(Number(query.get('page') ?? 1) || 1, 1);
    const last = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (p) => {
      const q = new URLSearchParams(query);
      q.set('per_page', String(perPage));
      q.set('page', String(p));
      return `<${url}?${q}>`;
    };
    const rels = [];
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) rels.push(`${link(1)}; rel="first"`, `${link(page - 1)}; rel="prev"`);
    return { body: items.slice((page - 1) * perPage, page * perPage), headers: rels.length ? { link: rels.join(', ') } : {} };
  }

  const pullJson = (pr) => ({
    number: pr.number,
    state: pr.state,
    draft: pr.draft,
    head: { sha: pr.headSha, ref: 'feature', repo: { name: repo, owner: { login: owner } } },
    base: { sha: pr.baseSha, ref: 'main', repo: { name: repo, owner: { login: owner } } },
  });

  function handle(method, label, params, query, body, selfUrl) {
    if (label === 'GET /app') return { status: 200, body: { id: options.appId ?? 1, slug: 'pyward', name: 'pyward' } };
    if (label.startsWith('POST /app/')) {
      if (Number(params[0]) !== installationId) return notFound;
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' },
          repository_selection: 'all',
        },
      };
    }
    if (label === 'POST /graphql') return graphql(body);
    const [o, r] = params;
    if (label === 'GET /repos/{o}/{r}/contents/{path}') {
      const path = params[2].split('/').map(decodeURIComponent).join('/');
      const ref = query.get('ref');
      const inPr = isOurs(o, r) && ref ? filesAt(ref)?.find((f) => f.filename === path && f.status !== 'removed') : undefined;
      const text = inPr ? inPr.content : contents[`${o}/${r}`]?.[path];
      if (text === undefined) return notFound;
      return { status: 200, body: { type: 'file', encoding: 'base64', name: path.split('/').pop(), path, size: Buffer.byteLength(text), sha: gitSha(text), content: githubBase64(text) } };
    }
    if (!isOurs(o, r)) return notFound;
    switch (label) {
      case 'GET /repos/{o}/{r}/commits/{sha}/check-runs': {
        const name = query.get('check_name');
        const runs = state.checkRuns.filter((c) => c.head_sha === params[2] && (!name || c.name === name));
        return { status: 200, body: { total_count: runs.length, check_runs: runs.map(({ annotations: _a, ...c }) => c) } };
      }
      case 'POST /repos/{o}/{r}/check-runs': {
        const run = { id: state.nextId++, name: body.name, head_sha: body.head_sha, status: body.status ?? 'queued', conclusion: body.conclusion ?? null, output: {}, annotations: [] };
        applyRunUpdate(run, body);
        state.checkRuns.push(run);
        return { status: 201, body: run };
      }
      case 'PATCH /repos/{o}/{r}/check-runs/{id}': {
        const run = state.checkRuns.find((c) => c.id === Number(params[2]));
        if (!run) return notFound;
        applyRunUpdate(run, body);
        return { status: 200, body: run };
      }
      case 'GET /repos/{o}/{r}/pulls/{n}/files': {
        const pr = prOf(params[2]);
        if (!pr) return notFound;
        const files = pr.files.map((f) => {
          const lines = f.patch?.split('\n') ?? [];
          const additions = lines.filter((l) => l.startsWith('+')).length;
          const deletions = lines.filter((l) => l.startsWith('-')).length;
          return {
            sha: f.sha ?? null,
            filename: f.filename,
            status: f.status ?? 'added',
            additions,
            deletions,
            changes: additions + deletions,
            blob_url: `https://github.com/${owner}/${repo}/blob/${pr.headSha}/${f.filename}`,
            raw_url: `https://github.com/${owner}/${repo}/raw/${pr.headSha}/${f.filename}`,
            contents_url: `${selfUrl.split('/repos/')[0]}/repos/${owner}/${repo}/contents/${f.filename}?ref=${pr.headSha}`,
            ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
            ...(f.patch !== undefined ? { patch: f.patch } : {}),
          };
        });
        return { status: 200, ...paginate(files, selfUrl, query) };
      }
      case 'GET /repos/{o}/{r}/git/blobs/{sha}': {
        const text = blobs.get(params[2]);
        if (text === undefined) return notFound;
        return { status: 200, body: { sha: params[2], node_id: 'B_fake', size: Buffer.byteLength(text), url: selfUrl, content: githubBase64(text), encoding: 'base64' } };
      }
      case 'GET /repos/{o}/{r}/pulls/{n}/comments':
        if (!prOf(params[2])) return notFound;
        return { status: 200, ...paginate(state.comments.filter((c) => c.pull_number === Number(params[2])), selfUrl, query) };
      case 'POST /repos/{o}/{r}/pulls/{n}/reviews':
        return createReview(params, body);
      case 'DELETE /repos/{o}/{r}/pulls/{n}/reviews/{id}': {
        const review = state.reviews.find((v) => v.id === Number(params[3]) && !v.deleted);
        if (!review) return notFound;
        if (review.state !== 'PENDING') return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Can not delete a non-pending pull request review'] } };
        review.deleted = true;
        return { status: 200, body: review };
      }
      case 'GET /repos/{o}/{r}/pulls/{n}':
        return prOf(params[2]) ? { status: 200, body: pullJson(prOf(params[2])) } : notFound;
      case 'GET /repos/{o}/{r}/pulls':
        return { status: 200, ...paginate([...prs.values()].filter((p) => p.state === (query.get('state') ?? 'open')).map(pullJson), selfUrl, query) };
      case 'GET /repos/{o}/{r}/commits/{sha}/pulls':
        return { status: 200, body: [...prs.values()].filter((p) => p.headSha === params[2]).map(pullJson) };
      default:
        return notFound;
    }
  }

  /** Blob lookups at the head commit (`m<i>: object(expression: "<sha>:<path>")`): the PR's files and `headFiles`; anything else null. */
  function graphql(body) {
    const query = String(body?.query ?? '');
    if (!/object\(expression:/.test(query) || body.variables?.owner !== owner || body.variables?.name !== repo) {
      return { status: 200, body: { data: null, errors: [{ type: 'NOT_SUPPORTED', message: 'the fake GitHub answers blob lookups only' }] } };
    }
    const out = {};
    for (const m of query.matchAll(/(m\d+): object\(expression: ("(?:[^"\\]|\\.)*")\)/g)) {
      const expression = JSON.parse(m[2]);
      const sep = expression.indexOf(':');
      const path = expression.slice(sep + 1);
      const files = filesAt(expression.slice(0, sep));
      const text = files === undefined ? undefined : (files.find((f) => f.filename === path && f.status !== 'removed')?.content ?? headFiles[path]);
      out[m[1]] = text === undefined ? null : { text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false };
    }
    return { status: 200, body: { data: { repository: out } } };
  }

  function applyRunUpdate(run, body) {
    for (const key of ['status', 'conclusion', 'started_at', 'completed_at', 'details_url']) if (body[key] !== undefined) run[key] = body[key];
    if (body.output) {
      const { annotations = [], ...output } = body.output;
      run.output = { ...run.output, ...output, annotations_count: run.annotations.length + annotations.length };
      run.annotations.push(...annotations);
    }
  }

  /** GitHub refuses the whole review (422) when one comment is not on a line of the diff. */
  function createReview(params, body) {
    const pr = prOf(params[2]);
    if (!pr) return notFound;
    const comments = body.comments ?? [];
    for (const c of comments) {
      const file = pr.files.find((f) => f.filename === c.path);
      const side = c.side ?? 'RIGHT';
      if (!file || side !== 'RIGHT' || !rightSideLines(file.patch).has(c.line) || (c.start_line !== undefined && !rightSideLines(file.patch).has(c.start_line))) {
        return { status: 422, body: { message: 'Unprocessable Entity', errors: ['Line could not be resolved'], documentation_url: DOCS } };
      }
    }
    const event = body.event;
    const review = {
      id: state.nextId++,
      state: event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : event === 'APPROVE' ? 'APPROVED' : event === 'COMMENT' ? 'COMMENTED' : 'PENDING',
      body: body.body ?? '',
      commit_id: body.commit_id ?? pr.headSha,
      pull_number: pr.number,
      comments,
    };
    state.reviews.push(review);
    if (review.state !== 'PENDING') {
      for (const c of comments) state.comments.push({ id: state.nextId++, pull_number: pr.number, user: { login: 'pyward[bot]', type: 'Bot' }, pull_request_review_id: review.id, path: c.path, line: c.line, side: c.side ?? 'RIGHT', body: c.body, commit_id: review.commit_id });
    }
    const { comments: _c, ...out } = review;
    return { status: 200, body: out };
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const method = req.method ?? 'GET';
      const path = url.pathname;
      const inner = path.startsWith(`${PREFIX}/`) ? path.slice(PREFIX.length) : undefined;
      let route = null;
      let params = [];
      for (const [m, label, pattern] of ROUTES) {
        const match = inner !== undefined && m === method ? pattern.exec(inner) : null;
        if (match) {
          route = label;
          params = match.slice(1);
          break;
        }
      }
      // GitHub Enterprise serves GraphQL at /api/graphql, beside /api/v3.
      if (method === 'POST' && path === '/api/graphql') route = 'POST /graphql';
      const selfUrl = `http://${req.headers.host}${path}`;
      let answer;
      if (!route) answer = notFound;
      else if (route.startsWith('POST /app/') || route === 'GET /app') {
        answer = options.appPublicKey && !verifyJwt(req.headers.authorization, options.appPublicKey, options.appId) ? { status: 401, body: { message: 'A JSON web token could not be decoded' } } : undefined;
      } else if (req.headers.authorization !== `token ${token}`) answer = { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
      try {
        answer ??= options.intercept?.({ method, route, path, query: url.searchParams, body }) ?? handle(method, route, params, url.searchParams, body ?? {}, selfUrl);
      } catch (err) {
        answer = { status: 500, body: { message: String(err?.stack ?? err) } };
      }
      // Latency as GitHub's (benchmarks) or a slow call to act during (tests): the answer is sent, and recorded, later.
      const delay = route ? (options.delayMs?.({ method, route, path }) ?? 0) : 0;
      if (delay > 0) setTimeout(() => send(answer), delay).unref();
      else send(answer);
      function send(answer) {
        const record = { method, path, query: Object.fromEntries(url.searchParams), body, status: answer.status, route, at: performance.now() };
        requests.push(record);
        res.writeHead(answer.status, {
          'content-type': 'application/json; charset=utf-8',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': '4999',
          'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
          'x-github-request-id': `FAKE:${requests.length}`,
          ...(answer.headers ?? {}),
        });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
        for (const l of [...listeners]) l();
      }
    });
  });

  let address;
  return {
    requests,
    get checkRuns() {
      return state.checkRuns;
    },
    get reviews() {
      return state.reviews.filter((r) => !r.deleted);
    },
    get comments() {
      return state.comments;
    },
    get unknown() {
      return requests.filter((r) => r.route === null);
    },
    get host() {
      if (!address) throw new Error('the fake GitHub is not listening');
      return `127.0.0.1:${address.port}`;
    },
    get apiUrl() {
      return `http://${this.host}${PREFIX}`;
    },
    reset,
    push(number, headSha, files) {
      const pr = prOf(number);
      if (!pr) throw new Error(`no pull request #${number}`);
      const next = withShas(files);
      addBlobs(next);
      pr.headSha = headSha;
      pr.files = next;
      pr.heads.set(headSha, next);
    },
    async listen(port = 0) {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(undefined));
      });
      address = server.address();
      return this.apiUrl;
    },
    async close() {
      listeners.clear();
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = requests.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the fake GitHub did not receive the awaited request within ${timeoutMs} ms; it received:\n${requests.map((r) => `  ${r.status} ${r.method} ${r.path}`).join('\n')}`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      });
    },
  };
}

/** `route` -> count, for the requests a run made. */
export function countByRoute(requests) {
  const out = new Map();
  for (const r of requests) out.set(r.route ?? `UNKNOWN ${r.method} ${r.path}`, (out.get(r.route ?? `UNKNOWN ${r.method} ${r.path}`) ?? 0) + 1);
  return out;
}
