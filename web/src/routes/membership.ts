import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { requireUser } from '../http/session';
import type { WebDeps } from '../web-deps';

const TierName = z.enum(['member', 'silver', 'gold', 'platinum']);

const TierBenefitsSchema = z
  .object({
    earnMultiplier: z.number().describe('points per yuan paid = 1 × this, floored per order'),
    freeShippingThreshold: z.number().describe('fen of a shop’s items from which courier delivery is free'),
    maxRedeemPercent: z.number().describe('share of an order payable with points (1 point = 1 fen)'),
  })
  .meta({ id: 'TierBenefits' });

const TierSchema = z
  .object({
    name: TierName,
    threshold: z.number().describe('lifetime earned points'),
    benefits: TierBenefitsSchema,
  })
  .meta({ id: 'Tier' });

const MemberAccountSchema = z
  .object({
    userId: z.string(),
    balance: z.number(),
    lifetimeEarned: z.number(),
    tier: TierName,
    benefits: TierBenefitsSchema,
    nextTier: z.object({ name: TierName, pointsNeeded: z.number() }).nullable(),
  })
  .meta({ id: 'MemberAccount' });

const PointsMovementSchema = z
  .object({
    version: z.number(),
    delta: z.number(),
    balance: z.number(),
    reason: z.string().describe('earn, spend, refund or adjust'),
    note: z.string(),
    ref: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'PointsMovement' });

export function membershipRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/me/points',
      summary: 'Your points balance, tier and latest 50 movements (newest first)',
      tags: ['membership'],
      auth: 'session',
      responses: {
        200: {
          description: 'Account and history',
          schema: z.object({ account: MemberAccountSchema, history: z.array(PointsMovementSchema) }),
        },
      },
    },
    async (ctx) => {
      const user = requireUser(ctx);
      const [account, history] = await Promise.all([
        core.membership.account(user.id),
        core.membership.history(user.id, 50),
      ]);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { account, history };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/membership/tiers',
      summary: 'The membership tiers and their benefits',
      tags: ['membership'],
      responses: {
        200: { description: 'Tiers, lowest first', schema: z.object({ items: z.array(TierSchema) }) },
      },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = { items: core.membership.tiers() };
    },
  );
}
