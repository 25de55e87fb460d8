import {
  APPLICATION_DECISIONS,
  APPLICATION_STATUSES,
  AUDIT_TARGET_TYPES,
  BUSINESS_ADDRESS_MAX,
  BUSINESS_NAME_MAX,
  DECISION_NOTE_MAX,
  MAX_APPLICATION_CATEGORIES,
  ROLES,
  SELLER_KINDS,
  SHOP_STATUSES,
} from '@market/core/browser';
import { z } from 'zod';
import { queryInt } from '../http/query';
import { requiredText } from '../http/text';
import { DateTime, orNull } from '../schemas';
import { OrderSummarySchema } from '../schemas-commerce';
import { MemberAccountSchema } from './membership-schemas';
import { AccountAccessSchema } from './admin-users-schemas';

/** Schemas of the back office: people, seller onboarding, shops, takedowns, the audit log. */

/** Longest reason staff give for an action: a sentence or two for the audit trail, not a case file. */
export const STAFF_REASON_MAX = 500;

export const StaffReason = requiredText(STAFF_REASON_MAX, 'say why (at least 3 characters)', 3);

/** `limit` as a query string, 1–100. */
export const PageLimit = queryInt(1, 100, 20);

export const Cursor = z.string().min(1).max(500).optional();

// ——— people ———

export const UserSearchQuery = z
  .object({
    q: z
      .string()
      .max(200)
      .default('')
      .describe('Prefix of an email, phone, name (or a later word of it) or id'),
    role: z.enum(ROLES).optional(),
    blocked: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => (v === undefined ? undefined : v === 'true')),
    limit: PageLimit,
    cursor: Cursor,
  })
  .strict();

export const AccountPageSchema = z
  .object({ items: z.array(AccountAccessSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AccountPage' });

/** A person as support sees them in a lookup: names, contact details masked. */
export const PersonRowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    maskedEmail: z.string(),
    roles: z.array(z.enum(ROLES)),
    blocked: z.boolean(),
  })
  .meta({ id: 'PersonRow' });

export const PersonRowPageSchema = z
  .object({ items: z.array(PersonRowSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'PersonRowPage' });

export const ShopSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    ownerName: z.string(),
    name: z.string(),
    nameZh: z.string(),
    slug: z.string(),
    status: z.enum(SHOP_STATUSES),
    statusReason: z.string().nullable(),
    statusChangedAt: DateTime.nullable(),
    statusChangedBy: z.string().nullable(),
    ownerBlocked: z.boolean(),
    createdAt: DateTime,
  })
  .meta({ id: 'Shop' });

export const PersonSchema = z
  .object({
    account: AccountAccessSchema,
    createdAt: DateTime,
    shop: orNull(ShopSchema),
    sessions: z.object({ active: z.number().int() }),
    orders: z.array(OrderSummarySchema).describe('The latest orders they placed'),
    points: MemberAccountSchema,
    coupons: z.array(z.object({ id: z.string(), code: z.string(), remainingForYou: z.number().int() })),
    afterSales: z
      .array(z.object({ id: z.string(), status: z.string(), createdAt: DateTime }))
      .nullable()
      .describe('After-sales requests; null while the marketplace has none (not built yet)'),
  })
  .meta({ id: 'Person' });

export const RolesInputSchema = z
  .object({
    roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length),
    reason: StaffReason.optional(),
  })
  .strict()
  .meta({ id: 'RolesInput' });

export const UnblockInputSchema = z
  .object({ reason: StaffReason.optional() })
  .strict()
  .meta({ id: 'UnblockInput' });

// ——— seller onboarding ———

export const BusinessDetailsSchema = z
  .object({
    kind: z
      .enum(SELLER_KINDS)
      .describe('company: a unified social credit code; individual: a resident ID number'),
    legalName: z.string().max(BUSINESS_NAME_MAX * 2),
    licenceNumber: z.string().max(40),
    contactPhone: z.string().max(30),
    address: z.string().max(BUSINESS_ADDRESS_MAX * 2),
    categoryIds: z.array(z.string().max(64)).max(MAX_APPLICATION_CATEGORIES * 2),
  })
  .strict()
  .meta({ id: 'BusinessDetails' });

export const ApplicationSchema = z
  .object({
    id: z.string(),
    userId: z.string(),
    userName: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    shopStatus: z.enum(SHOP_STATUSES),
    status: z.enum(APPLICATION_STATUSES),
    details: orNull(BusinessDetailsSchema),
    decisionNote: z.string().nullable(),
    submittedAt: DateTime.nullable(),
    decidedAt: DateTime.nullable(),
    decidedBy: z.string().nullable(),
    history: z.array(
      z.object({
        at: DateTime,
        by: z.string(),
        action: z.enum(['submitted', ...APPLICATION_DECISIONS]),
        note: z.string().nullable(),
      }),
    ),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'SellerApplication' });

export const ApplicationPageSchema = z
  .object({ items: z.array(ApplicationSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'SellerApplicationPage' });

export const DecisionInputSchema = z
  .object({
    decision: z.enum(APPLICATION_DECISIONS),
    note: z.string().trim().max(DECISION_NOTE_MAX).optional(),
  })
  .strict()
  .refine((d) => d.decision === 'approved' || (d.note?.length ?? 0) >= 3, {
    path: ['note'],
    message: 'a rejection or a change request says why (at least 3 characters)',
  })
  .meta({ id: 'ApplicationDecisionInput' });

export const ShopPageSchema = z
  .object({ items: z.array(ShopSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'ShopPage' });

export const ShopStatusInputSchema = z
  .object({ status: z.enum(['active', 'suspended']), reason: StaffReason })
  .strict()
  .meta({ id: 'ShopStatusInput' });

// ——— catalog ———

export const TakedownInputSchema = z.object({ reason: StaffReason }).strict().meta({ id: 'TakedownInput' });
export const ReinstateInputSchema = z
  .object({ reason: StaffReason.optional() })
  .strict()
  .meta({ id: 'ReinstateInput' });

export const TakedownSchema = z
  .object({
    productId: z.string(),
    takenDown: z.boolean(),
    reason: z.string().nullable(),
    version: z.number(),
  })
  .meta({ id: 'Takedown' });

// ——— audit ———

export const AuditQuery = z
  .object({
    actorId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    targetType: z.enum(AUDIT_TARGET_TYPES).optional(),
    targetId: z.string().max(64).optional(),
    from: DateTime.optional(),
    to: DateTime.optional(),
    limit: PageLimit,
    cursor: Cursor,
  })
  .strict();

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: DateTime,
    actor: z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()) }),
    action: z.string(),
    target: z.object({ type: z.enum(AUDIT_TARGET_TYPES), id: z.string() }),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditPageSchema = z
  .object({ items: z.array(AuditEntrySchema), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
