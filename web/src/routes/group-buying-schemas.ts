import {
  MAX_FEN,
  MAX_GROUP_SIZE,
  MAX_TIME_LIMIT_MINUTES,
  MIN_GROUP_SIZE,
  MIN_TIME_LIMIT_MINUTES,
} from '@market/core/browser';
import { z } from 'zod';
import { DateTime, SkuParam } from '../schemas';

/** Schemas of the group-buying API (sellers' deals, a product's offer, a group's page). */

const IsoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
  .transform((s) => new Date(s));
const Whole = (min: number, max: number) =>
  z
    .number(`a whole number from ${min} to ${max}`)
    .int(`a whole number from ${min} to ${max}`)
    .min(min, `a whole number from ${min} to ${max}`)
    .max(max, `a whole number from ${min} to ${max}`);

export const GroupDealInputSchema = z
  .object({
    sku: SkuParam,
    groupPrice: z
      .number('whole fen below the normal price')
      .int('whole fen below the normal price')
      .min(1, 'whole fen below the normal price')
      .max(MAX_FEN, 'whole fen below the normal price'),
    groupSize: Whole(MIN_GROUP_SIZE, MAX_GROUP_SIZE).describe('buyers a group needs'),
    timeLimitMinutes: Whole(MIN_TIME_LIMIT_MINUTES, MAX_TIME_LIMIT_MINUTES).describe(
      'how long a group has to fill from its start',
    ),
    startsAt: IsoDate,
    endsAt: IsoDate,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.endsAt <= input.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  })
  .meta({ id: 'GroupDealInput' });

const dealFields = {
  id: z.string(),
  sku: z.string(),
  productId: z.string(),
  sellerId: z.string(),
  groupPrice: z.number().describe('fen'),
  normalPrice: z.number().describe('fen, the variant price when the deal was made'),
  groupSize: z.number(),
  timeLimitMs: z.number(),
  startsAt: DateTime,
  endsAt: DateTime,
  status: z.enum(['open', 'ended']),
  createdBy: z.string(),
  createdAt: DateTime,
};

export const GroupDealSchema = z.object(dealFields).meta({ id: 'GroupDeal' });
export const ManagedGroupDealListSchema = z.object({
  items: z.array(
    z
      .object({
        ...dealFields,
        productName: z.string().describe("the product's name ('' once deleted)"),
        productNameZh: z.string(),
        forming: z.number().describe('groups still filling'),
      })
      .meta({ id: 'ManagedGroupDeal' }),
  ),
});

export const GroupSchema = z
  .object({
    id: z.string(),
    dealId: z.string(),
    sku: z.string(),
    productId: z.string(),
    sellerId: z.string(),
    groupPrice: z.number(),
    normalPrice: z.number(),
    groupSize: z.number(),
    leaderId: z.string(),
    createdAt: DateTime,
    deadline: DateTime,
    status: z.enum(['forming', 'complete', 'expired']),
    members: z.array(
      z.object({
        seat: z.number(),
        initial: z.string().describe("the member's initial (names are not shown)"),
        avatarUrl: z.string().nullable(),
        paid: z.boolean().describe('false while their payment is pending'),
        at: DateTime,
      }),
    ),
    paid: z.number(),
    seatsLeft: z.number(),
  })
  .meta({ id: 'Group' });

export const GroupPageSchema = z.object({
  serverNow: DateTime.describe('the server time, for the countdown'),
  group: GroupSchema,
  /** The product's name and photo, for the page's header. */
  product: z.object({ id: z.string(), name: z.string(), nameZh: z.string(), image: z.string().nullable() }),
  /** Whether the signed-in viewer holds a seat (null for guests). */
  member: z.boolean().nullable(),
});

export const ProductGroupDealsSchema = z.object({
  serverNow: DateTime,
  items: z.array(
    z
      .object({ ...dealFields, groups: z.array(GroupSchema).describe('groups still taking members') })
      .meta({ id: 'ProductGroupDeal' }),
  ),
});
