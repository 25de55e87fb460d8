import { MAX_FEN } from '@market/core/browser';
import { z } from 'zod';
import { requiredText } from '../http/text';
import { DateTime, orNull } from '../schemas';

/** Schemas of the marketplace-money API: commission rules, seller finance, payouts, the admin overview. */

const Fen = z.number().int();
const FenInput = (message: string) => z.number(message).int(message).min(0, message).max(MAX_FEN, message);
const IsoDate = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time, e.g. 2026-03-01T00:00:00Z' })
  .transform((s) => new Date(s));

export const CommissionRuleInputSchema = z
  .object({
    scope: z.enum(['global', 'category', 'shop', 'product'], 'global, category, shop or product'),
    targetId: requiredText(100).nullable().default(null),
    kind: z.enum(['percent', 'fixed'], 'either "percent" or "fixed"'),
    rateBp: z
      .number('basis points, e.g. 500 for 5 %')
      .int('basis points, e.g. 500 for 5 %')
      .min(0)
      .max(10_000, 'at most 10000 (100 %)')
      .default(0),
    fixedFen: FenInput('a whole number of fen per unit').default(0),
    minFen: FenInput('a whole number of fen, or null').nullable().default(null),
    maxFen: FenInput('a whole number of fen, or null').nullable().default(null),
    activeFrom: IsoDate.nullable().default(null),
    activeTo: IsoDate.nullable().default(null),
    enabled: z.boolean().default(true),
    note: z.string().trim().max(200).default(''),
  })
  .strict()
  .meta({ id: 'CommissionRuleInput' });

export const CommissionRuleSchema = z
  .object({
    id: z.string(),
    scope: z.enum(['global', 'category', 'shop', 'product']),
    targetId: z.string().nullable(),
    kind: z.enum(['percent', 'fixed']),
    rateBp: z.number().int(),
    fixedFen: Fen,
    minFen: Fen.nullable(),
    maxFen: Fen.nullable(),
    activeFrom: DateTime.nullable(),
    activeTo: DateTime.nullable(),
    enabled: z.boolean(),
    note: z.string(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'CommissionRule' });

export const CommissionRuleListSchema = z.object({ items: z.array(CommissionRuleSchema) });

export const CommissionLineSchema = z
  .object({
    sku: z.string(),
    productId: z.string(),
    base: Fen,
    ruleId: z.string().nullable(),
    scope: z.enum(['global', 'category', 'shop', 'product']).nullable(),
    kind: z.enum(['percent', 'fixed']).nullable(),
    rateBp: z.number().int(),
    fixedFen: Fen,
    amount: Fen,
  })
  .meta({ id: 'CommissionLine' });

export const CommissionPreviewQuerySchema = z
  .object({
    amount: z
      .string()
      .regex(/^\d{1,12}$/, 'a whole number of fen')
      .transform(Number),
    categoryId: z.string().max(100).optional(),
    shopId: z.string().max(100).optional(),
    productId: z.string().max(100).optional(),
  })
  .strict();

/** What a seller earns from an order (seller and support only). */
export const OrderEarningsSchema = z
  .object({
    goods: Fen,
    shipping: Fen,
    sellerDiscount: Fen,
    platformDiscount: Fen,
    points: Fen,
    paid: Fen,
    commission: Fen,
    sellerEarning: Fen,
    platformFunded: Fen,
  })
  .meta({ id: 'OrderEarnings' });

export const SellerBalanceSchema = z
  .object({ pending: Fen, available: Fen, inFlight: Fen, paidOut: Fen, balance: Fen })
  .meta({ id: 'SellerBalance' });

export const SettlementEntrySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    kind: z.enum([
      'order_credit',
      'refund_debit',
      'release',
      'payout_debit',
      'payout_paid',
      'payout_reversal',
    ]),
    amount: Fen,
    /** How much the entry moved into (+) or out of (−) available. */
    availableDelta: Fen,
    orderId: z.string().nullable(),
    orderNumber: z.string().nullable(),
    payoutId: z.string().nullable(),
    day: z.string(),
    note: z.string(),
    at: DateTime,
    pending: Fen,
    available: Fen,
    inFlight: Fen,
    paidOut: Fen,
    balance: Fen,
  })
  .meta({ id: 'SettlementEntry' });

export const SettlementEntryPageSchema = z.object({
  items: z.array(SettlementEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
});

export const PayoutSchema = z
  .object({
    id: z.string(),
    amount: Fen,
    kind: z.enum(['scheduled', 'requested', 'retry']),
    status: z.enum(['created', 'sent', 'paid', 'failed', 'refused']),
    account: z.string(),
    failureReason: z.string().nullable(),
    retryOf: z.string().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  })
  .meta({ id: 'Payout' });

export const AdminPayoutSchema = PayoutSchema.extend({ sellerId: z.string() }).meta({ id: 'AdminPayout' });

export const PayoutListSchema = z.object({ items: z.array(PayoutSchema) });

export const PayoutAccountSchema = z
  .object({
    type: z.enum(['bank_card', 'alipay']),
    holder: z.string(),
    masked: z.string(),
    updatedAt: DateTime,
  })
  .meta({ id: 'PayoutAccount' });

export const PayoutAccountInputSchema = z
  .object({
    type: z.enum(['bank_card', 'alipay'], 'bank_card or alipay'),
    holder: z.string('the account holder').max(60),
    number: z.string('the card number or Alipay account').max(64),
  })
  .strict()
  .meta({ id: 'PayoutAccountInput' });

export const FinanceSummarySchema = z
  .object({
    balance: SellerBalanceSchema,
    account: orNull(PayoutAccountSchema),
    payoutMinimum: Fen,
    timeZone: z.string(),
  })
  .meta({ id: 'FinanceSummary' });

export const PayoutRequestSchema = z
  .object({ amount: FenInput('a whole number of fen').min(1).nullable().default(null) })
  .strict()
  .meta({ id: 'PayoutRequest' });

export const StatementSchema = z
  .object({
    month: z.string(),
    opening: SellerBalanceSchema,
    closing: SellerBalanceSchema,
    credits: Fen,
    refundDebits: Fen,
    released: Fen,
    paidOut: Fen,
    entries: z.array(SettlementEntrySchema),
  })
  .meta({ id: 'Statement' });

export const ReconciliationSchema = z
  .object({
    day: z.string(),
    status: z.enum(['balanced', 'failed']),
    orders: z.number().int(),
    refunds: z.number().int(),
    captured: Fen,
    refunded: Fen,
    sellerCredits: Fen,
    sellerDebits: Fen,
    commission: Fen,
    platformFunded: Fen,
    difference: Fen,
    mismatches: z.array(z.object({ orderId: z.string(), expected: Fen, recorded: Fen })),
    checkedAt: DateTime,
  })
  .meta({ id: 'Reconciliation' });

export const FinanceOverviewSchema = z
  .object({
    commissionByDay: z.array(z.object({ day: z.string(), commission: Fen, orders: z.number().int() })),
    inFlight: z.array(AdminPayoutSchema),
    failed: z.array(AdminPayoutSchema),
    reconciliations: z.array(ReconciliationSchema),
  })
  .meta({ id: 'FinanceOverview' });

export const PayoutRetryInputSchema = z.object({ reason: requiredText(500, 'say why') }).strict();
