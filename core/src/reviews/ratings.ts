import type { Connection } from 'mongoose';
import { ratingLedger, type RatingEntryDoc } from './model';
import type { Rating, RatingSummary } from './types';
import { type Clock } from '../clock';

type Totals = Pick<RatingEntryDoc, 'count' | 'sum' | 'c1' | 'c2' | 'c3' | 'c4' | 'c5'>;

const EMPTY: Totals = { count: 0, sum: 0, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0 };

export function summaryOf(head: Totals | null): RatingSummary {
  const t = head ?? EMPTY;
  return {
    average: t.count > 0 ? Math.round((t.sum / t.count) * 10) / 10 : 0,
    count: t.count,
    histogram: { '1': t.c1, '2': t.c2, '3': t.c3, '4': t.c4, '5': t.c5 },
  };
}

/** The totals after counting one review of `rating` in (+1) or out (−1). */
export function nextTotals(head: Totals | null, rating: Rating, delta: 1 | -1): Totals {
  const t = head ?? EMPTY;
  const bucket = `c${rating}` as const;
  return {
    count: t.count + delta,
    sum: t.sum + delta * rating,
    c1: t.c1,
    c2: t.c2,
    c3: t.c3,
    c4: t.c4,
    c5: t.c5,
    [bucket]: t[bucket] + delta,
  };
}

/**
 * Reads products' rating aggregates: one `_id` lookup of the head hint plus a short walk (ledger.ts).
 * Separate from the review service so the product page's read model can depend on it alone.
 */
export function createRatingReader(deps: { connection: Connection; clock?: Clock }) {
  const ledger = ratingLedger(deps.connection, deps.clock);
  return {
    async summary(productId: string): Promise<RatingSummary> {
      return summaryOf(await ledger.latest(productId));
    },
    /**
     * Average and count of many products in one query (the search indexer's batches). Reads the head
     * hints, which a crashed writer can leave one review behind until the product's next review.
     */
    async ratingsOf(productIds: string[]): Promise<Map<string, { average: number; count: number }>> {
      const heads = await ledger.hints(productIds);
      return new Map(
        productIds.map((id) => {
          const { average, count } = summaryOf(heads.get(id) ?? null);
          return [id, { average, count }];
        }),
      );
    },
    /** What a product page shows next to the title. */
    async ratingOf(productId: string): Promise<{ average: number; count: number }> {
      const { average, count } = summaryOf(await ledger.latest(productId));
      return { average, count };
    },
  };
}

export type RatingReader = ReturnType<typeof createRatingReader>;
