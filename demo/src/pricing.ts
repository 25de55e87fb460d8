/** Roughly what a US list price costs in a Chinese shop (exchange rate plus import margin), CNY per USD. */
export const USD_TO_CNY = 7.1;

/**
 * Rounds a yuan amount to a price a shop would actually print, in fen: ¥12.9, ¥39, ¥299, ¥1,499, ¥5,699.
 * Prices end in 9 because shoppers read ¥299 as "two hundred something".
 */
export function plausiblePriceFen(yuan: number): number {
  if (!Number.isFinite(yuan) || yuan <= 0) return 990;
  if (yuan < 20) return Math.max(1, Math.ceil(yuan)) * 100 - 10; // ¥12.9
  if (yuan < 200) return Math.ceil(yuan / 10) * 1000 - 100; // ¥39, ¥129
  if (yuan < 2000) return Math.ceil(yuan / 50) * 5000 - 100; // ¥249, ¥1,299
  return Math.ceil(yuan / 100) * 10000 - 100; // ¥2,999, ¥5,699
}

/** A log-uniform draw: in a ¥20–¥2,000 range, ¥50 items are as common as ¥500 ones, as in real shelves. */
export function logUniform(u: number, min: number, max: number): number {
  return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
}

export function usdCentsToFen(cents: number): number {
  return plausiblePriceFen((cents / 100) * USD_TO_CNY);
}
