/** Money is integer minor units (fen) everywhere; these are the few helpers that work on it. */

/** The largest amount in fen any input may name (¥100,000,000): prices, coupons, payouts, refunds. */
export const MAX_FEN = 100_000_000_00;

/**
 * Splits `total` fen across parts in proportion to their weights with the largest-remainder method,
 * so the parts are whole fen and sum exactly to `total`. Ties in the remainder go to the larger weight,
 * then to the earlier key in code-point order, so the split is deterministic. Zero weights get 0.
 * BigInt keeps `total × weight` exact beyond 2^53.
 */
export function splitProportionally(total: number, weights: Record<string, number>): Record<string, number> {
  const keys = Object.keys(weights);
  const result: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const sum = keys.reduce((acc, k) => acc + BigInt(weights[k] ?? 0), 0n);
  if (total <= 0 || sum === 0n) return result;
  const whole = BigInt(total);
  let assigned = 0n;
  const rows = keys.map((key) => {
    const weight = BigInt(weights[key] ?? 0);
    const share = whole * weight;
    const floor = share / sum;
    assigned += floor;
    return { key, weight, floor, remainder: share % sum };
  });
  let leftover = whole - assigned;
  rows.sort(
    (a, b) =>
      (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1) ||
      (a.weight === b.weight ? 0 : a.weight > b.weight ? -1 : 1) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  for (const row of rows) {
    const extra = leftover > 0n && row.weight > 0n ? 1n : 0n;
    leftover -= extra;
    result[row.key] = Number(row.floor + extra);
  }
  return result;
}

export const formatYuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
