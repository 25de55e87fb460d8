import { CommissionLineSchema, OrderEarningsSchema } from './routes/finance-schemas';
import { AppliedPromotionSchema, SpendNudgeSchema } from './routes/auto-promotions-schemas';
import { MAX_FEN, ORDER_STATUSES, PICKUP_POINTS, REFUND_STATES } from '@market/core/browser';
import { z } from 'zod';
import { requiredText, trimmedMatching } from './http/text';
import { DateTime, orNull, UrlHandle } from './schemas';

/** Schemas of the commerce API (cart, checkout, orders, payments), each a named OpenAPI component. */

const Fen = z.number().int();

export const CartNoticeSchema = z.object({
  code: z.enum(['price_changed', 'insufficient_stock', 'out_of_stock', 'unavailable']),
  message: z.string(),
});

export const CartLineSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  urlHandle: UrlHandle,
  productName: z.string(),
  productNameZh: z.string(),
  variantTitle: z.string(),
  image: z.string().nullable(),
  sellerId: z.string(),
  shopId: z.string(),
  shopName: z.string(),
  qty: z.number().int(),
  unitPrice: Fen,
  previousPrice: Fen.nullable(),
  lineTotal: Fen,
  available: z.number().int(),
  purchasable: z.boolean(),
  notices: z.array(CartNoticeSchema),
});

export const CartSchema = z
  .object({
    owner: z.enum(['account', 'guest']),
    groups: z.array(
      z.object({
        sellerId: z.string(),
        shopId: z.string(),
        shopName: z.string(),
        lines: z.array(CartLineSchema),
        subtotal: Fen,
      }),
    ),
    itemCount: z.number().int(),
    itemsTotal: Fen,
    hasNotices: z.boolean(),
    updatedAt: DateTime.nullable(),
  })
  .meta({ id: 'Cart' });

const Text = (max: number) => requiredText(max);

export const AddressSchema = z
  .object({
    name: Text(60),
    // 6 to 20 digits, spaces and dashes (after an optional +), from a digit to a digit.
    phone: trimmedMatching(/^\+?[0-9][0-9 -]{4,18}[0-9]$/, 'a phone number (digits, spaces, +, -)'),
    line1: Text(200),
    line2: z.string().trim().max(200).default(''),
    city: Text(60),
    district: z.string().trim().max(60).default(''),
    province: z.string().trim().max(60).default(''),
    postcode: trimmedMatching(/^(?:[0-9A-Za-z](?:[0-9A-Za-z -]{0,8}[0-9A-Za-z])?)?$/, 'a postcode').default(
      '',
    ),
  })
  .strict()
  .meta({ id: 'Address' });

const PICKUP_POINT_IDS = PICKUP_POINTS.map((p) => p.id) as [string, ...string[]];
const SavedAddressId = requiredText(64).nullable().optional();

export const CheckoutInputSchema = z
  .object({
    // Self-pickup names one of the pickup points, courier delivery an address (typed, or `addressId`, a
    // saved one of the shopper's book, which the order keeps a copy of); checkout needs them, a quote not.
    // A oneOf in the document; the fields of the other method may come along (the form keeps them).
    delivery: z.discriminatedUnion('method', [
      z
        .object({
          method: z.literal('courier'),
          address: orNull(AddressSchema).optional(),
          addressId: SavedAddressId,
          pickupPointId: z.string().max(64).nullable().optional(),
        })
        .strict(),
      z
        .object({
          method: z.literal('pickup'),
          address: orNull(AddressSchema).optional(),
          addressId: SavedAddressId,
          pickupPointId: z.enum(PICKUP_POINT_IDS, 'choose one of the pickup points').nullable().optional(),
        })
        .strict(),
    ]),
    couponCode: z.string().trim().max(40).nullable().optional(),
    pointsToRedeem: z.number().int('a whole number').min(0).max(100_000_000).optional(),
    flashClaim: z
      .object({
        saleId: z.string().trim().min(1).max(64),
        token: z.string().trim().min(1).max(64),
      })
      .strict()
      .nullable()
      .optional()
      .describe(
        "A flash-sale win (`POST /api/flash-sales/{id}/claim` answered `won` with this token): the checkout is then that claim alone, the sale price for the claimed units, from the sale's held units, not the cart. One checkout per claim; 409 `flash_claim_unavailable` naming `body.flashClaim.token` when it lapsed, is used or is not yours.",
      ),
    groupBuy: z
      .object({
        dealId: z.string().trim().min(1).max(64),
        groupId: z.string().trim().min(1).max(64).nullable().optional(),
      })
      .strict()
      .nullable()
      .optional()
      .describe(
        "A group buy (拼团): the checkout is then one unit of the deal's SKU at the group price, not the cart. Without `groupId` it starts a new group; with it, it joins that group. The checkout holds a seat until it is paid (or its payment window passes). 409 `group_seat_unavailable` naming `body.groupBuy.groupId` when the group is full, ended, or you are already in it. The order goes to the seller once the group is full; if it does not fill in time, every paid member is refunded.",
      ),
    seenQuote: z
      .object({
        total: Fen.min(0).max(MAX_FEN),
        promotionDiscount: Fen.min(0).max(MAX_FEN),
        promotionIds: z.array(z.string().trim().min(1).max(64)).max(100),
      })
      .strict()
      .nullable()
      .optional()
      .describe(
        'What the quote the shopper agreed to said: its `total`, `promotionDiscount` and the `promotionId`s of its applied promotions. When checking out now would differ (a promotion started or ended meanwhile), 409 `price_changed` with the new quote as `error.quote`, and nothing is taken; ask again with the new figures. Without it the checkout charges what is priced now.',
      ),
  })
  .strict()
  .meta({ id: 'CheckoutInput' });

const OrderLineSchema = z.object({
  sku: z.string(),
  productId: z.string(),
  name: z.string(),
  nameZh: z.string(),
  variantTitle: z.string(),
  image: z.string().nullable(),
  unitPrice: Fen,
  qty: z.number().int(),
  lineTotal: Fen,
  flashSaleId: z.string().optional().describe('Set on a flash-sale line (bought at the sale price)'),
  groupId: z
    .string()
    .optional()
    .describe('Set on a group-buy line (at the group price): the group it holds a seat in'),
  salePrice: z
    .number()
    .int()
    .optional()
    .describe('The unit price after an automatic sale price (unitPrice stays the list price)'),
  promotionDiscount: z.number().int().optional().describe('Fen automatic promotions took off this line'),
});

export const QuoteSchema = z
  .object({
    sellers: z.array(
      z.object({
        sellerId: z.string(),
        shopId: z.string(),
        shopName: z.string(),
        lines: z.array(OrderLineSchema),
        items: Fen.describe('goods at list prices'),
        shipping: Fen,
        promotionDiscount: Fen.describe("what automatic promotions take off this seller's items"),
        promotions: z.array(AppliedPromotionSchema),
        discount: Fen.describe("the coupon's discount"),
        points: Fen,
        total: Fen,
      }),
    ),
    items: Fen,
    shipping: Fen,
    promotionDiscount: Fen,
    discount: Fen,
    points: Fen,
    total: Fen,
    nudges: z.array(SpendNudgeSchema).describe('the next tier of each spend-and-save promotion in reach'),
    coupon: z
      .object({
        couponId: z.string(),
        code: z.string(),
        funding: z.enum(['platform', 'seller']),
        description: z.string(),
      })
      .nullable(),
    pointsBalance: z.number().int(),
    maxRedeemablePoints: z.number().int(),
    freeShippingThreshold: Fen,
  })
  .meta({ id: 'CheckoutQuote' });

const OrderStatusSchema = z.enum(ORDER_STATUSES);
const PaymentStatusSchema = z.enum(['pending', 'succeeded', 'failed', 'expired']);

export const CheckoutResultSchema = z
  .object({
    checkoutId: z.string(),
    orders: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        sellerId: z.string(),
        shopName: z.string(),
        total: Fen,
        status: OrderStatusSchema,
      }),
    ),
    payment: z.object({ id: z.string(), amount: Fen, status: PaymentStatusSchema, redirectUrl: z.string() }),
    total: Fen,
    expiresAt: DateTime,
  })
  .meta({ id: 'CheckoutResult' });

export const CheckoutStateSchema = CheckoutResultSchema.extend({
  paymentStatus: PaymentStatusSchema,
  failureReason: z.string().nullable(),
}).meta({ id: 'CheckoutState' });

export const OrderSummarySchema = z
  .object({
    id: z.string(),
    number: z.string(),
    checkoutId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    shopName: z.string(),
    status: OrderStatusSchema,
    total: Fen,
    refunded: Fen.describe('what has been refunded so far'),
    /** What came back: none, partial, full (the "partially refunded" / "refunded" badge). */
    refundState: z.enum(REFUND_STATES),
    itemCount: z.number().int(),
    firstItem: z.string(),
    image: z.string().nullable(),
    createdAt: DateTime,
  })
  .meta({ id: 'OrderSummary' });

/** An order as support's lookup lists it: with the buyer's name and masked email, not just their id. */
export const SupportOrderSummarySchema = OrderSummarySchema.extend({
  buyerName: z.string(),
  buyerContact: z.string().describe('The buyer’s email, masked (m***@example.com)'),
}).meta({ id: 'SupportOrderSummary' });

export const SupportOrderSummaryPageSchema = z.object({
  items: z.array(SupportOrderSummarySchema),
  nextCursor: z.string().nullable(),
});

/** Newest first; `nextCursor` is `<createdAt>~<id>` of the page's last order. */
export const OrderSummaryPageSchema = z.object({
  items: z.array(OrderSummarySchema),
  nextCursor: z.string().nullable(),
});

/** A person on an order as support sees them: a name and contact details masked for the phone call. */
export const OrderPersonSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().describe('masked: a***@example.com'),
    phone: z.string().nullable().describe('masked: 138****5678'),
  })
  .meta({ id: 'OrderPerson' });

export const OrderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    checkoutId: z.string(),
    buyerId: z.string(),
    sellerId: z.string(),
    shopId: z.string(),
    shopName: z.string(),
    shopNameZh: z.string().describe("the shop's Chinese name as it is now ('' when it has none)"),
    lines: z.array(OrderLineSchema),
    delivery: z.object({
      method: z.enum(['courier', 'pickup']),
      address: z
        .object({
          name: z.string(),
          phone: z.string(),
          line1: z.string(),
          line2: z.string(),
          city: z.string(),
          district: z.string().optional(),
          province: z.string(),
          postcode: z.string(),
        })
        .nullable(),
      pickupPoint: z.object({ id: z.string(), name: z.string(), address: z.string() }).nullable(),
    }),
    totals: z.object({ items: Fen, shipping: Fen, discount: Fen, points: Fen, total: Fen }),
    coupon: z
      .object({ couponId: z.string(), code: z.string(), funding: z.enum(['platform', 'seller']) })
      .nullable(),
    /** The automatic promotions applied; `totals.discount` is their amounts plus the coupon's. */
    promotions: z.array(AppliedPromotionSchema),
    /** The commission lines resolved when the order was placed (its seller and support; empty for the buyer). */
    commission: z.array(CommissionLineSchema),
    /** What the seller earns from it (its seller and support; null for the buyer). */
    earnings: orNull(OrderEarningsSchema),
    paymentId: z.string(),
    status: OrderStatusSchema,
    version: z.number().int(),
    refunded: Fen,
    refundState: z.enum(REFUND_STATES),
    tracking: z.object({ carrier: z.string(), number: z.string() }).nullable(),
    timeline: z.array(
      z.object({
        version: z.number().int(),
        status: OrderStatusSchema,
        event: z.enum(['created', 'status', 'refund']),
        actorId: z.string().nullable(),
        actorRole: z.enum(['buyer', 'seller', 'support', 'system']),
        actorName: z
          .string()
          .nullable()
          .describe(
            "Who acted, by name (support's view; null for the buyer's and seller's, and for the system)",
          ),
        note: z.string(),
        amount: Fen.nullable(),
        at: DateTime,
      }),
    ),
    expiresAt: DateTime,
    createdAt: DateTime,
    people: z
      .object({ buyer: OrderPersonSchema, seller: OrderPersonSchema })
      .nullable()
      .describe(
        'The buyer and the seller by name with masked contact details (support only; null otherwise)',
      ),
    /** What the caller may do next (buttons). */
    yourRole: z.enum(['buyer', 'seller', 'support', 'system']),
    actions: z.array(OrderStatusSchema),
  })
  .meta({ id: 'Order' });

export const SandboxSessionSchema = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    amount: Fen,
    currency: z.literal('CNY'),
    description: z.string(),
    returnUrl: z.string(),
    status: z.enum(['open', 'succeeded', 'failed', 'abandoned', 'expired']),
    method: z.enum(['alipay', 'wechat', 'card']).nullable(),
    failureReason: z.string().nullable(),
    createdAt: DateTime,
  })
  .meta({ id: 'SandboxSession' });

export const PickupPointSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameZh: z.string(),
    city: z.string(),
    address: z.string(),
    hours: z.string(),
  })
  .meta({ id: 'PickupPoint' });

export const PickupPointListSchema = z.object({ items: z.array(PickupPointSchema) });

/** The payment provider's webhook answer (to the provider: a 2xx stops its redelivery). */
export const WebhookAckSchema = z.object({
  received: z.boolean(),
  processed: z.boolean(),
  duplicate: z.boolean(),
});

/** A new payment page for a checkout whose payment failed or was abandoned. */
export const PaymentRetrySchema = z.object({ paymentId: z.string(), redirectUrl: z.string() });

export const ShipInputSchema = z
  .object({
    carrier: requiredText(40),
    trackingNumber: trimmedMatching(/^[A-Za-z0-9-]{4,40}$/, '4 to 40 letters, digits or -'),
  })
  .strict()
  .meta({ id: 'ShipInput' });

export const RefundInputSchema = z
  .object({
    amount: z
      .number()
      .int('a whole number of fen')
      .positive()
      .max(MAX_FEN, 'a whole number of fen')
      .optional(),
    reason: requiredText(500, 'say why'),
  })
  .strict()
  .meta({ id: 'RefundInput' });
