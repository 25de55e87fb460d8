import type { TierBenefits, TierName } from './types';

/** Tiers by lifetime earned points, lowest first. */
export const TIERS: readonly { name: TierName; threshold: number; benefits: TierBenefits }[] = Object.freeze([
  {
    name: 'member',
    threshold: 0,
    benefits: { earnMultiplier: 1, freeShippingThreshold: 9900, maxRedeemPercent: 20 },
  },
  {
    name: 'silver',
    threshold: 2000,
    benefits: { earnMultiplier: 1.25, freeShippingThreshold: 6900, maxRedeemPercent: 30 },
  },
  {
    name: 'gold',
    threshold: 10000,
    benefits: { earnMultiplier: 1.5, freeShippingThreshold: 0, maxRedeemPercent: 40 },
  },
  {
    name: 'platinum',
    threshold: 50000,
    benefits: { earnMultiplier: 2, freeShippingThreshold: 0, maxRedeemPercent: 50 },
  },
]);

export function tierFor(lifetimeEarned: number): (typeof TIERS)[number] {
  let tier = TIERS[0]!;
  for (const t of TIERS) if (lifetimeEarned >= t.threshold) tier = t;
  return tier;
}

export function tierByName(name: TierName): (typeof TIERS)[number] {
  const tier = TIERS.find((t) => t.name === name);
  if (!tier) throw new Error(`unknown tier ${String(name)}`);
  return tier;
}

/** Points per yuan (100 fen) paid at `tier`: 1 × the tier's multiplier; the order's points are floored. */
export function earnRate(tier: TierName): number {
  return tierByName(tier).benefits.earnMultiplier;
}

/**
 * The points an order paid with `paidFen` earns at `tier`: floor(yuan × rate), in integer arithmetic
 * (the multipliers are whole hundredths), so 12345 fen × 1.25 is exactly 154 points, not 154.3125 rounded
 * through binary floating point.
 */
export function pointsEarnedFor(tier: TierName, paidFen: number): number {
  if (!Number.isFinite(paidFen) || paidFen <= 0) return 0;
  const hundredths = Math.round(earnRate(tier) * 100);
  return Math.floor((Math.floor(paidFen) * hundredths) / 10_000);
}
