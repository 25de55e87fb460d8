/**
 * RFM scoring and the named customer segments. Pure and browser-safe (the UI shows the bands).
 *
 * Scores use **fixed bands, not quintiles**. Quintiles rank customers against each other, so a shopper's
 * segment would change when other shoppers buy, a shop with 12 customers would get the same spread of
 * "champions" as one with 120,000, and the figures of two shops or two months could not be compared. They
 * would also need every customer of a scope sorted on each read. Fixed bands give a customer's segment from
 * their own history and today's date alone, which is what lets the rollups keep per-segment sums as events
 * arrive (`customers.ts`) and a coupon check read one customer (`segments.ts`). Changing a band needs a
 * rebuild of the rollups (the F and M scores are stored).
 */

/** Days since the last paid order (in the shops' time zone) at or below which R is 5, 4, 3, 2; above: 1. */
export const RECENCY_DAYS = [30, 90, 180, 365] as const;
/** Paid orders at or above which F is 2, 3, 4, 5 (one order: 1). */
export const FREQUENCY_ORDERS = [2, 3, 5, 10] as const;
/** Net sales in fen at or above which M is 2, 3, 4, 5: ¥100, ¥300, ¥1,000, ¥3,000. */
export const MONETARY_FEN = [10_000, 30_000, 100_000, 300_000] as const;

/** Units bought by unit price: below ¥50, ¥50–200, ¥200–1,000, above ¥1,000 (lower bound in fen included). */
export const PRICE_BANDS = ['under50', '50to200', '200to1000', 'over1000'] as const;
export type PriceBand = (typeof PRICE_BANDS)[number];
const PRICE_BAND_FROM = [0, 5_000, 20_000, 100_000] as const;

export const SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export type Segment = (typeof SEGMENTS)[number];

/** 1..5: the number of `thresholds` that `value` reaches, plus one. */
function ascending(value: number, thresholds: readonly number[]): number {
  return 1 + thresholds.filter((t) => value >= t).length;
}

export function recencyScore(daysSinceLastOrder: number): number {
  return 5 - RECENCY_DAYS.filter((d) => daysSinceLastOrder > d).length;
}

export function frequencyScore(paidOrders: number): number {
  return ascending(paidOrders, FREQUENCY_ORDERS);
}

export function monetaryScore(netFen: number): number {
  return ascending(netFen, MONETARY_FEN);
}

/**
 * The segment of an R/F/M score, first rule that matches:
 * - champions: bought lately (R ≥ 4), often and much (F + M ≥ 8)
 * - loyal: not long ago (R ≥ 3), more than once (F ≥ 2) and F + M ≥ 6
 * - new: lately (R ≥ 4) with their first order only (F = 1)
 * - potential loyalists: every other recent customer (R ≥ 3)
 * - can't lose: big customers (F + M ≥ 8) gone for more than six months (R ≤ 2)
 * - at risk: 6–12 months away (R = 2) after more than a token spend (F + M ≥ 5)
 * - hibernating: 6–12 months away, small
 * - lost: no order for more than a year (R = 1)
 */
export function segmentOf(r: number, f: number, m: number): Segment {
  const fm = f + m;
  if (r >= 4 && fm >= 8) return 'champions';
  if (r >= 3 && f >= 2 && fm >= 6) return 'loyal';
  if (r >= 4 && f === 1) return 'new';
  if (r >= 3) return 'potential_loyalists';
  if (fm >= 8) return 'cant_lose';
  if (r === 2 && fm >= 5) return 'at_risk';
  if (r === 2) return 'hibernating';
  return 'lost';
}

export function priceBandIndex(unitPriceFen: number): number {
  let band = 0;
  PRICE_BAND_FROM.forEach((from, i) => {
    if (unitPriceFen >= from) band = i;
  });
  return band;
}

/** `YYYY-MM` of a `YYYY-MM-DD` day. */
export const monthOf = (day: string) => day.slice(0, 7);

/** Whole calendar months from `from` to `to` (`YYYY-MM`), negative when `to` is earlier. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/** The month `n` months after `month` (`YYYY-MM`). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months after the first purchase that the cohort grid follows (0..11). */
export const COHORT_MONTHS = 12;
