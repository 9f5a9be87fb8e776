/** Types of fake-github.mjs (plain JS so that benchmarks import it from node without a build). */

export interface FakePrFile {
  filename: string;
  status?: 'added' | 'modified' | 'removed' | 'renamed';
  previous_filename?: string;
  /** Omitted = GitHub left it out (binary or very large diff). */
  patch?: string;
  /** Head content; omitted = no blob (submodule, symlink, removed file). */
  content?: string;
}

export interface FakePullRequest {
  number: number;
  headSha: string;
  baseSha: string;
  draft?: boolean;
  state?: string;
  files: FakePrFile[];
}

export interface FakeGitHubOptions {
  owner: string;
  repo: string;
  installationId: number;
  /** With appPublicKey: the installation-token request must carry a JWT signed by the app's key, issued by appId. */
  appId?: number;
  appPublicKey?: string;
  /** The pull request (or give `pullRequests`). */
  pullRequest?: FakePullRequest;
  /** Several pull requests in the same repository (load benchmark); replaces `pullRequest`. */
  pullRequests?: FakePullRequest[];
  /** Default-branch files per repository: `{ 'acme/shop': { '.github/pyward.yml': '...' } }`; anything else is 404. */
  contents?: Record<string, Record<string, string>>;
  /** Unchanged files at the head commit (path -> text): GraphQL blob lookups (`object(expression: "<sha>:<path>")`) answer them; other paths are null. */
  headFiles?: Record<string, string>;
  /** Wait this long (ms) before answering a request of a known route (recorded when answered). */
  delayMs?: (req: { method: string; route: string; path: string }) => number;
  /** Answer a request yourself (after authentication); undefined = the fake's normal answer. */
  intercept?: (req: { method: string; route: string; path: string; query: URLSearchParams; body: any }) => { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
}

export interface RecordedRequest {
  method: string;
  /** Full path, with the /api/v3 prefix. */
  path: string;
  query: Record<string, string>;
  body: any;
  status: number;
  /** The endpoint, e.g. `PATCH /repos/{o}/{r}/check-runs/{id}`; null = a route the fake does not know (answered 404). */
  route: string | null;
  /** performance.now() when answered. */
  at: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; annotations_count?: number };
  /** Every annotation sent, across all updates (GitHub appends them). */
  annotations: any[];
  [key: string]: unknown;
}

export interface FakeReview {
  id: number;
  state: 'PENDING' | 'COMMENTED' | 'CHANGES_REQUESTED' | 'APPROVED';
  body: string;
  commit_id: string;
  comments: { path: string; line: number; side?: string; body: string; start_line?: number }[];
}

export interface FakeGitHub {
  readonly requests: RecordedRequest[];
  readonly checkRuns: FakeCheckRun[];
  /** Reviews not deleted (pending ones included). */
  readonly reviews: FakeReview[];
  /** Review comments of submitted reviews. */
  readonly comments: { id: number; path: string; line: number; body: string }[];
  /** Requests to routes the fake does not know. */
  readonly unknown: RecordedRequest[];
  /** `127.0.0.1:<port>` (GHE_HOST). */
  readonly host: string;
  /** `http://127.0.0.1:<port>/api/v3`. */
  readonly apiUrl: string;
  /** Forget requests, check runs, reviews and comments (the pull request stays). */
  reset(): void;
  /** A new push to PR `number`: its head becomes `headSha` with these files (older heads still resolve). */
  push(number: number, headSha: string, files: FakePrFile[]): void;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
  /** The first recorded request matching, as soon as it arrives; rejects after timeoutMs (default 20 s). */
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
}

export function createFakeGitHub(options: FakeGitHubOptions): FakeGitHub;
export function rightSideLines(patch: string | undefined): Set<number>;
export function newFilePatch(text: string): string;
export function signWebhook(secret: string, body: string): string;
export function pullRequestEvent(
  action: string,
  pr: { owner: string; repo: string; installationId: number; number: number; headSha: string; baseSha: string; draft?: boolean; state?: string },
): Record<string, any>;
export function countByRoute(requests: RecordedRequest[]): Map<string, number>;
