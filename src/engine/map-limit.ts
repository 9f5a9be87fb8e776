/**
 * `items.map(fn)` with at most `limit` calls in flight, results in input order. The first failure rejects
 * and stops new calls from starting (those in flight finish on their own).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (!failed && next < items.length) {
        const i = next++;
        try {
          out[i] = await fn(items[i]);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    }),
  );
  return out;
}
