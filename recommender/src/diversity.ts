import type { Catalog } from './catalog';
import type { Ranked } from './top-k';

const WINDOW = 10;

/**
 * Greedy re-ranking so that no window of 10 consecutive results holds more than `maxPerSeller` items of
 * one seller or `maxPerCategory` of one leaf category: each position takes the best remaining candidate
 * that fits the preceding 9. The list ends early rather than break the rule when nothing fits. Items the
 * catalog does not describe (known from events only) are not limited.
 */
export function diversify(
  ranked: Ranked[],
  limit: number,
  catalog: Catalog,
  maxPerSeller: number,
  maxPerCategory: number,
): Ranked[] {
  const pool = ranked.slice();
  const out: Ranked[] = [];
  while (out.length < limit && pool.length > 0) {
    const window = out.slice(Math.max(0, out.length - (WINDOW - 1)));
    const at = pool.findIndex((candidate) => fits(candidate, window, catalog, maxPerSeller, maxPerCategory));
    if (at === -1) break;
    out.push(pool.splice(at, 1)[0]!);
  }
  return out;
}

function fits(
  candidate: Ranked,
  window: Ranked[],
  catalog: Catalog,
  maxPerSeller: number,
  maxPerCategory: number,
): boolean {
  const info = catalog.info(candidate.index);
  if (!info) return true;
  let sameSeller = 0;
  let sameCategory = 0;
  for (const placed of window) {
    const other = catalog.info(placed.index);
    if (!other) continue;
    if (other.sellerId === info.sellerId) sameSeller++;
    if (other.categoryId === info.categoryId) sameCategory++;
  }
  return sameSeller < maxPerSeller && sameCategory < maxPerCategory;
}
