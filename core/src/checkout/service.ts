import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { CatalogService } from '../catalog';
import type { CartService } from '../cart';
import { ConflictError, isDuplicateKeyError, NotFoundError } from '../errors';
import type { InventoryService } from '../inventory';
import type { MembershipService } from '../membership';
import type { OrderDoc, OrderService, OrderStatus } from '../orders';
import type { PaymentDoc, PaymentService, PaymentStatus } from '../payments';
import type { PromotionService } from '../promotions';
import type { ReservationService } from '../reservations';
import type { ShopService } from '../shops/service';
import { CheckoutConflictError } from './errors';
import { registerFulfilment } from './fulfilment';
import { hashRequest, type IdempotencyStore, type StoredResponse } from './idempotency';
import { checkoutModels, type CheckoutDoc } from './model';
import { createOrderActions } from './order-actions';
import { createPricing, type CheckoutInput, type CheckoutQuote } from './pricing';
import { type Clock, systemClock } from '../clock';

/** The recurring job that expires unpaid checkouts (scheduled by housekeeping every few seconds). */
export const CHECKOUTS_EXPIRE_DUE_JOB = 'checkouts.expire_due';
export const ORDERS_RECONCILE_JOB = 'orders.reconcile';
export const ORDERS_AUTO_COMPLETE_JOB = 'orders.auto_complete';
type PlannedOrder = Omit<OrderDoc, 'status' | 'statusVersion' | 'createdAt' | 'updatedAt'>;

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
 * The checkout saga: one checkout turns a multi-seller cart into one order per seller and one payment.
 * No step relies on a transaction: every id derives from the checkout's Idempotency-Key, every step is
 * idempotent (stock holds, coupon slots and points are unique-keyed), and a failure cancels the orders,
 * whose effects (fulfilment.ts) give back what was taken. Also the checkout's later life: its state,
 * another payment attempt, expiry, and the order actions (order-actions.ts).
 */
export function createCheckoutService(deps: {
  connection: Connection;
  catalog: CatalogService;
  cart: CartService;
  inventory: InventoryService;
  shops: ShopService;
  orders: OrderService;
  reservations: ReservationService;
  payments: PaymentService;
  promotions: PromotionService;
  membership: MembershipService;
  idempotency: IdempotencyStore;
  reservationTtlMs: number;
  autoCompleteDays: number;
  clock?: Clock;
}) {
  const models = checkoutModels(deps.connection);
  const { Checkouts, Closures, OpenCheckouts } = models;
  const { checkDelivery, price } = createPricing(deps);
  const { releaseCheckoutExtras } = registerFulfilment({ ...deps, models });
  const actions = createOrderActions(deps);
  const isClosed = async (id: string) => (await Closures.findById(id).lean()) !== null;
  const expired = () =>
    new CheckoutConflictError(
      'checkout_expired',
      'This checkout expired before it completed; please check out again',
    );
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
    const at = now();
    const expiresAt = new Date(at.getTime() + deps.reservationTtlMs);
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
        discount: s.discount,
        points: s.points,
        total: s.total,
      },
      coupon:
        quote.coupon && s.discount > 0
          ? { couponId: quote.coupon.couponId, code: quote.coupon.code, funding: quote.coupon.funding }
          : null,
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

  /** Undoes a checkout that cannot complete: its orders are cancelled, which releases what they took. */
  async function abandon(checkout: CheckoutDoc, note: string) {
    for (const orderId of checkout.orderIds) await deps.orders.transition(orderId, 'cancelled', system, note);
    await releaseCheckoutExtras(checkout);
  }

  async function run(userId: string, key: string, input: CheckoutInput): Promise<StoredResponse> {
    const checkout = await plan(userId, key, input);
    if (await isClosed(checkout._id)) throw expired();
    const orders = JSON.parse(checkout.plan) as PlannedOrder[];
    for (const o of orders) o.expiresAt = new Date(o.expiresAt);
    // Registered as open first: whatever happens after this line, the expiry job brings unpaid stock back.
    await OpenCheckouts.updateOne(
      { _id: checkout._id },
      { $setOnInsert: { expiresAt: checkout.expiresAt } },
      { upsert: true },
    ).catch((err: unknown) => {
      if (!isDuplicateKeyError(err)) throw err;
    });
    await deps.orders.createOrders(orders);

    // Cheap, selective claims first (a coupon with 5 uses left turns most of a crowd away before it
    // touches the stock ledger); every failure cancels the orders, which gives back whatever was taken.
    if (checkout.couponId) {
      const redeemed = await deps.promotions.redeem(checkout.couponId, {
        userId,
        redemptionId: checkout._id,
      });
      if (!redeemed.ok) {
        await abandon(checkout, 'Coupon no longer available');
        throw new CheckoutConflictError('coupon_unavailable', 'This coupon has just run out', {
          fields: [
            { field: 'body.couponCode', message: `the coupon is no longer available (${redeemed.reason})` },
          ],
        });
      }
    }
    if (checkout.points > 0) {
      const spent = await deps.membership.spend(
        userId,
        checkout.points,
        `spend:${checkout._id}`,
        `Checkout ${checkout._id}`,
      );
      if (!spent.ok) {
        await abandon(checkout, 'Points no longer available');
        throw new CheckoutConflictError('points_unavailable', 'Your points balance changed', {
          fields: [{ field: 'body.pointsToRedeem', message: `you have ${spent.balance} points` }],
        });
      }
    }
    const short: { sku: string; requested: number; available: number }[] = [];
    for (const order of orders) {
      const results = await Promise.all(
        order.lines.map(async (line) => ({
          line,
          result: await deps.reservations.hold({
            orderId: order._id,
            checkoutId: checkout._id,
            sku: line.sku,
            productId: line.productId,
            sellerId: order.sellerId,
            qty: line.qty,
            expiresAt: checkout.expiresAt,
          }),
        })),
      );
      for (const { line, result } of results)
        if (!result.ok) short.push({ sku: line.sku, requested: line.qty, available: result.available });
    }
    if (short.length) {
      await abandon(checkout, 'Not enough stock at checkout');
      throw new CheckoutConflictError(
        'insufficient_stock',
        'Some items sold out while you were checking out',
        {
          lines: short,
        },
      );
    }
    if (await isClosed(checkout._id)) {
      await abandon(checkout, 'Checkout expired');
      throw expired();
    }
    const payment = await deps.payments.open({
      paymentId: checkout.paymentId,
      checkoutId: checkout._id,
      buyerId: userId,
      orderIds: checkout.orderIds,
      amount: checkout.total,
      description: `Bazaar order ${orders.map((o) => o.number).join(', ')}`,
      returnUrl: `/checkout/${checkout._id}`,
    });
    await deps.cart.removeSkus(
      { userId },
      orders.flatMap((o) => o.lines.map((l) => l.sku)),
    );
    return { status: 201, body: await result(checkout, payment) };
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

  return {
    quote(userId: string, input: CheckoutInput): Promise<CheckoutQuote> {
      if (input.delivery.method === 'pickup' && input.delivery.pickupPointId) checkDelivery(input.delivery);
      return price(userId, input, false);
    },

    /** Runs a checkout once per Idempotency-Key; retries get the first response. */
    checkout(userId: string, key: string, input: CheckoutInput) {
      return deps.idempotency.execute('checkout', userId, key, hashRequest(input), () =>
        run(userId, key, input),
      );
    },

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
      for (const { _id } of due) await this.expire(_id);
      return { expired: due.length };
    },

    /** Unpaid orders of the checkout are cancelled, which releases their stock. Idempotent. */
    async expire(checkoutId: string) {
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
        // (fulfilment.ts), since the orders it was for are cancelled.
        await deps.payments.provider.expireSession(payment.providerRef);
        await deps.payments.setStatus(payment, { status: 'expired' });
      }
      await OpenCheckouts.deleteOne({ _id: checkoutId });
      return { cancelled };
    },

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
