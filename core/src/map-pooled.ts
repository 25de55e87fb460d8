/** Store round trips in flight at once: enough to hide their latency, few enough not to crowd a busy store. */
export const STORE_CONCURRENCY = 16;

/**
 * `fn` over `items`, at most `concurrency` at a time, results in the items' order. Shared by the
 * analytics batches (store round trips) and the benchmarks (HTTP clients), so neither keeps its own copy.
 */
export async function mapPooled<T, R>(
  items: T[],
  fn: (item: T) => Promise<R>,
  concurrency = STORE_CONCURRENCY,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
