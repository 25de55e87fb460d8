export type TierName = 'member' | 'silver' | 'gold' | 'platinum';

export interface TierBenefits {
  /** Points per yuan paid = 1 × this (the points of an order are floored). */
  earnMultiplier: number;
  /** Courier delivery is free for a seller's items from this many fen. */
  freeShippingThreshold: number;
  /** The share of an order (percent) payable with points; 1 point = 1 fen. */
  maxRedeemPercent: number;
}

export interface MemberAccount {
  userId: string;
  balance: number;
  lifetimeEarned: number;
  tier: TierName;
  benefits: TierBenefits;
  nextTier: { name: TierName; pointsNeeded: number } | null;
}

export type PointsReason = 'earn' | 'spend' | 'refund' | 'adjust';

export interface PointsMovement {
  version: number;
  delta: number;
  balance: number;
  reason: string;
  note: string;
  /** The caller's reference (an order, a checkout), if any. */
  ref: string | null;
  at: Date;
}
