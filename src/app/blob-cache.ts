/**
 * File contents addressed by what makes them immutable (a blob sha, or a commit sha and a path), shared by
 * every review of the process: a re-push or a re-run reads again only what changed. Bounded by bytes and
 * least-recently-used first out, so a burst of large PRs cannot grow the process without limit.
 */
export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

/** An entry's weight: its bytes, plus its key, so that "absent" entries are not free. */
const cost = (key: string, value: Uint8Array | null) => key.length + (value?.byteLength ?? 0);

export class BlobCache {
  /** Map order is recency order: the first key is the least recently used. */
  private readonly entries = new Map<string, Uint8Array | null>();
  private used = 0;

  constructor(readonly maxBytes: number = DEFAULT_BLOB_CACHE_BYTES) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The content, `null` when known to be absent, undefined when not cached. */
  get(key: string): Uint8Array | null | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** `null` records a file known not to exist (a base file the PR adds). Larger than the whole cache: not kept. */
  set(key: string, value: Uint8Array | null): void {
    const size = cost(key, value);
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.used -= cost(key, old);
      this.entries.delete(key);
    }
    if (size > this.maxBytes) return;
    this.entries.set(key, value);
    this.used += size;
    for (const [k, v] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(k);
      this.used -= cost(k, v);
    }
  }

  /** The cached value, else `load()`'s, remembered; concurrent loads of one key share one request. */
  async through(key: string, load: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = load().finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
      pending.then((value) => this.set(key, value), () => {});
    }
    return pending;
  }

  private readonly pending = new Map<string, Promise<Uint8Array | null>>();
}
