import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { CatalogService } from '../catalog';
import type { CommissionService } from '../commission';
import type { CartService } from '../cart';
import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import type { InventoryService } from '../inventory';
import type { MembershipService } from '../membership';
import type { OrderDoc, OrderService, OrderStatus } from '../orders';
import type { PaymentDoc, PaymentService, PaymentStatus } from '../payments';
import type { AutoPromotionService, PromotionService } from '../promotions';
import type { ShopService } from '../shops/service';
import { checkoutModels, type CheckoutDoc } from './model';
import { createOrderActions } from './order-actions';
import { CheckoutConflictError } from './errors';
import { createPricing, quoteDiffers, type CheckoutInput, type CheckoutQuote } from './pricing';
import { type Clock, systemClock } from '../clock';
import { formatYuan } from '../money';

/** The recurring job that expires unpaid checkouts (scheduled by housekeeping every few seconds). */
export const CHECKOUTS_EXPIRE_DUE_JOB = 'checkouts.expire_due';
export const ORDERS_RECONCILE_JOB = 'orders.reconcile';
export const ORDERS_AUTO_COMPLETE_JOB = 'orders.auto_complete';
/** An order as the checkout plans it, before the order service records it. */
export type PlannedOrder = Omit<OrderDoc, 'status' | 'statusVersion' | 'createdAt' | 'updatedAt'>;

export interface CheckoutResult {
  checkoutId: string;
  orders: {
    id: string;
    number: string;
    sellerId: string;
    shopName: string;
    total: number;
    status: OrderStatus;
  }[];
  payment: { id: string; amount: number; status: PaymentStatus; redirectUrl: string };
  total: number;
  expiresAt: string;
}

/**
 * Checkouts: the quote, the plan of a checkout (one order per seller and one payment, every id derived
 * from the Idempotency-Key), the set of open checkouts the expiry job reads, and a checkout's later
 * life: its state, another payment attempt, expiry, and the order actions (order-actions.ts). Running a
 * checkout crosses orders, coupons, points, stock and payments: that is the checkout flow
 * (`core/src/flows/checkout.ts`), which builds on the functions here.
 */
export function createCheckoutService(deps: {
  connection: Connection;
  catalog: CatalogService;
  cart: CartService;
  inventory: InventoryService;
  shops: ShopService;
  orders: OrderService;
  payments: PaymentService;
  promotions: PromotionService;
  /** The automatic promotions live now, read by pricing on every quote and checkout. */
  autoPromotions: Pick<AutoPromotionService, 'live'>;
  membership: MembershipService;
  /** Resolves each line's commission when the order is planned (stored on the order, never re-resolved). */
  commission: Pick<CommissionService, 'linesFor'>;
  /** Prices a flash-sale winner's line (the claim's units at the sale price). */
  flash: Pick<FlashSaleService, 'claimLine'>;
  /** Prices a group-buy line, and tells whether a group order may proceed to the seller. */
  groups: Pick<GroupBuyingService, 'lineFor' | 'isComplete'>;
  reservationTtlMs: number;
  autoCompleteDays: number;
  clock?: Clock;
}) {
  const { Checkouts, Closures, OpenCheckouts } = checkoutModels(deps.connection);
  const { checkDelivery, price } = createPricing(deps);
  const actions = createOrderActions(deps);
  const now = deps.clock ?? systemClock;
  const system = { id: null, role: 'system' as const };

  async function loadCheckout(id: string): Promise<CheckoutDoc> {
    const doc = await Checkouts.findById(id).lean<CheckoutDoc>();
    if (!doc) throw new NotFoundError('Checkout');
    return doc;
  }

  function idsFor(userId: string, key: string) {
    const hash = createHash('sha256').update(`${userId}\n${key}`).digest('base64url').slice(0, 16);
    return {
      checkoutId: `ck_${hash}`,
      paymentId: `pay_${hash}`,
      orderId: (i: number) => `ord_${hash}_${i + 1}`,
    };
  }

  function orderNumber(at: Date, checkoutId: string, i: number) {
    const day = at.toISOString().slice(2, 10).replaceAll('-', '');
    const tag = createHash('sha256').update(checkoutId).digest('hex').slice(0, 6).toUpperCase();
    return `BZ${day}${tag}-${i + 1}`;
  }

  /** Creates (or, when resumed, reloads) the checkout and its plan. */
  async function plan(userId: string, key: string, input: CheckoutInput): Promise<CheckoutDoc> {
    const ids = idsFor(userId, key);
    const existing = await Checkouts.findById(ids.checkoutId).lean<CheckoutDoc>();
    if (existing) return existing;
    const delivery = checkDelivery(input.delivery);
    const quote = await price(userId, input, true);
    // A promotion that ended or began since the quote (or a tier, free shipping or a coupon's share that
    // moved with it) changes the total: the shopper confirms the new one before anything is taken.
    if (input.seenQuote && quoteDiffers(input.seenQuote, quote))
      throw new CheckoutConflictError(
        'price_changed',
        `The total changed since you saw it (promotions started or ended): it is now ${formatYuan(quote.total)}. Check it and place the order again.`,
        { quote },
      );
    const at = now();
    const expiresAt = new Date(at.getTime() + deps.reservationTtlMs);
    // Resolved once, here: a resumed checkout reloads this plan, and a later rule change rewrites nothing.
    const commissions = await Promise.all(
      quote.sellers.map((s) =>
        deps.commission.linesFor({
          shopId: s.shopId,
          lines: s.lines,
          // What the seller funds: their promotions (sale prices included) and their own coupon.
          sellerDiscount:
            s.promotions.filter((p) => p.funding === 'seller').reduce((n, p) => n + p.amount, 0) +
            (quote.coupon?.funding === 'seller' ? s.discount : 0),
        }),
      ),
    );
    const orders: PlannedOrder[] = quote.sellers.map((s, i) => ({
      _id: ids.orderId(i),
      number: orderNumber(at, ids.checkoutId, i),
      checkoutId: ids.checkoutId,
      buyerId: userId,
      sellerId: s.sellerId,
      shopId: s.shopId,
      shopName: s.shopName,
      lines: s.lines,
      delivery,
      totals: {
        items: s.items,
        shipping: s.shipping,
        // The promotions' amounts and the coupon's: settlement tells them apart by `promotions`.
        discount: s.promotionDiscount + s.discount,
        points: s.points,
        total: s.total,
      },
      coupon:
        quote.coupon && s.discount > 0
          ? { couponId: quote.coupon.couponId, code: quote.coupon.code, funding: quote.coupon.funding }
          : null,
      promotions: s.promotions,
      commission: commissions[i]!,
      paymentId: ids.paymentId,
      expiresAt,
    }));
    const doc: CheckoutDoc = {
      _id: ids.checkoutId,
      userId,
      orderIds: orders.map((o) => o._id),
      paymentId: ids.paymentId,
      couponId: quote.coupon?.couponId ?? null,
      points: quote.points,
      total: quote.total,
      plan: JSON.stringify(orders),
      expiresAt,
      createdAt: at,
    };
    try {
      await Checkouts.create(doc);
      return doc;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      return loadCheckout(ids.checkoutId);
    }
  }

  async function result(checkout: CheckoutDoc, payment: PaymentDoc): Promise<CheckoutResult> {
    const orders = await deps.orders.getMany(checkout.orderIds);
    return {
      checkoutId: checkout._id,
      orders: orders.map((o) => ({
        id: o.id,
        number: o.number,
        sellerId: o.sellerId,
        shopName: o.shopName,
        total: o.totals.total,
        status: o.status,
      })),
      payment: {
        id: payment._id,
        amount: payment.amount,
        status: payment.status,
        redirectUrl: payment.redirectUrl,
      },
      total: checkout.total,
      expiresAt: checkout.expiresAt.toISOString(),
    };
  }

  /** Unpaid orders of the checkout are cancelled, which releases their stock. Idempotent. */
  async function expire(checkoutId: string) {
    const checkout = await Checkouts.findById(checkoutId).lean<CheckoutDoc>();
    if (!checkout) {
      await OpenCheckouts.deleteOne({ _id: checkoutId });
      return { cancelled: 0 };
    }
    await Closures.create({ _id: checkoutId, at: now() }).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    let cancelled = 0;
    for (const orderId of checkout.orderIds) {
      const order = await deps.orders.get(orderId).catch(() => null);
      if (order?.status !== 'pending_payment') continue;
      const moved = await deps.orders.transition(orderId, 'cancelled', system, 'Not paid in time');
      if (moved.ok) cancelled++;
    }
    const payment = await deps.payments.get(checkout.paymentId).catch(() => null);
    if (payment && payment.status !== 'succeeded') {
      // A shopper already on the provider's page may still pay; that payment is refunded at once
      // (flows/fulfilment.ts), since the orders it was for are cancelled.
      await deps.payments.provider.expireSession(payment.providerRef);
      await deps.payments.setStatus(payment, { status: 'expired' });
    }
    await OpenCheckouts.deleteOne({ _id: checkoutId });
    return { cancelled };
  }

  return {
    quote(userId: string, input: CheckoutInput): Promise<CheckoutQuote> {
      if (input.delivery.method === 'pickup' && input.delivery.pickupPointId) checkDelivery(input.delivery);
      return price(userId, input, false);
    },

    plan,
    /** The orders of a checkout's plan, as the checkout flow creates them. */
    plannedOrders(checkout: CheckoutDoc): PlannedOrder[] {
      const orders = JSON.parse(checkout.plan) as PlannedOrder[];
      for (const o of orders) o.expiresAt = new Date(o.expiresAt);
      return orders;
    },
    load: loadCheckout,

    /** Whether the checkout's expiry has run (a resumed checkout must not take anything after it). */
    async isClosed(checkoutId: string): Promise<boolean> {
      return (await Closures.findById(checkoutId).lean()) !== null;
    },

    /**
     * Lists the checkout as open, before it takes anything: whatever happens after this, the expiry
     * job brings unpaid stock back. Safe to repeat.
     */
    async registerOpen(checkout: CheckoutDoc): Promise<void> {
      await OpenCheckouts.updateOne(
        { _id: checkout._id },
        { $setOnInsert: { expiresAt: checkout.expiresAt } },
        { upsert: true },
      ).catch((err: unknown) => {
        if (!isDuplicateKeyError(err)) throw err;
      });
    },

    /** A paid checkout leaves the open set: the expiry job has nothing left to do for it. */
    async markPaid(checkoutId: string): Promise<void> {
      await OpenCheckouts.deleteOne({ _id: checkoutId });
    },

    /** What the shopper gets back from a checkout: its orders, the payment to make, the deadline. */
    result,

    async getCheckout(
      userId: string,
      checkoutId: string,
    ): Promise<CheckoutResult & { paymentStatus: PaymentStatus; failureReason: string | null }> {
      const checkout = await Checkouts.findById(checkoutId).lean<CheckoutDoc>();
      if (!checkout || checkout.userId !== userId) throw new NotFoundError('Checkout');
      const payment = await deps.payments.get(checkout.paymentId);
      return {
        ...(await result(checkout, payment)),
        paymentStatus: payment.status,
        failureReason: payment.failureReason,
      };
    },

    /** A new payment page after a failed or abandoned attempt, while the orders still wait for payment. */
    async retryPayment(userId: string, checkoutId: string) {
      const checkout = await Checkouts.findById(checkoutId).lean<CheckoutDoc>();
      if (!checkout || checkout.userId !== userId) throw new NotFoundError('Checkout');
      const payment = await deps.payments.get(checkout.paymentId);
      if (payment.status === 'succeeded') throw new ConflictError('This checkout is already paid');
      const orders = await deps.orders.getMany(checkout.orderIds);
      if (!orders.every((o) => o.status === 'pending_payment'))
        throw new ConflictError('These orders can no longer be paid', {
          statuses: orders.map((o) => o.status),
        });
      const reopened = await deps.payments.reopen(payment, `/checkout/${checkoutId}`);
      if (!reopened) throw new ConflictError('The previous payment page was completed; wait for its result');
      return { paymentId: reopened._id, redirectUrl: reopened.redirectUrl };
    },

    /** The expiry job: every open checkout past its deadline is expired. */
    async expireDue(): Promise<{ expired: number }> {
      const due = await OpenCheckouts.find({ expiresAt: { $lte: now() } }, { _id: 1 })
        .limit(500)
        .lean<{ _id: string }[]>();
      for (const { _id } of due) await expire(_id);
      return { expired: due.length };
    },

    expire,

    /** Runs the side effects of order events that a crash cut short. */
    async reconcile() {
      let repaired = 0;
      for (const id of await deps.orders.openOrderIds()) repaired += await deps.orders.reconcile(id);
      return { repaired };
    },

    ...actions,
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
