import { z } from 'zod';
import { DateTime } from '../schemas';

/** Schemas of the membership API (points, tiers), each a named OpenAPI component. */

const TierName = z.enum(['member', 'silver', 'gold', 'platinum']);

export const TierBenefitsSchema = z
  .object({
    earnMultiplier: z.number().describe('points per yuan paid = 1 × this, floored per order'),
    freeShippingThreshold: z.number().describe('fen of a shop’s items from which courier delivery is free'),
    maxRedeemPercent: z.number().describe('share of an order payable with points (1 point = 1 fen)'),
  })
  .meta({ id: 'TierBenefits' });

export const TierSchema = z
  .object({
    name: TierName,
    threshold: z.number().describe('lifetime earned points'),
    benefits: TierBenefitsSchema,
  })
  .meta({ id: 'Tier' });

export const MemberAccountSchema = z
  .object({
    userId: z.string(),
    balance: z.number(),
    lifetimeEarned: z.number(),
    tier: TierName,
    benefits: TierBenefitsSchema,
    nextTier: z.object({ name: TierName, pointsNeeded: z.number() }).nullable(),
  })
  .meta({ id: 'MemberAccount' });

export const PointsMovementSchema = z
  .object({
    version: z.number(),
    delta: z.number(),
    balance: z.number(),
    reason: z.string().describe('earn, spend, refund or adjust'),
    note: z.string(),
    ref: z.string().nullable(),
    at: DateTime,
  })
  .meta({ id: 'PointsMovement' });

/** The account and its latest movements, newest first. */
export const MemberPointsSchema = z.object({
  account: MemberAccountSchema,
  history: z.array(PointsMovementSchema),
});

/** Lowest first. */
export const TierListSchema = z.object({ items: z.array(TierSchema) });
