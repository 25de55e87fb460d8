import { createHash } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { Actor, CatalogService } from '../catalog';
import type { CartService } from '../cart';
import { modelOn } from '../db/model';
import {
  ConflictError,
  ForbiddenError,
  isDuplicateKeyError,
  NotFoundError,
  ValidationError,
} from '../errors';
import type { InventoryService } from '../inventory';
import type { JobQueue } from '../jobs';
import type { Logger } from '../logger';
import type { MembershipService } from '../membership';
import { formatYuan, splitProportionally } from '../money';
import {
  roleOn,
  UNSHIPPED_PAID,
  type Address,
  type Delivery,
  type Order,
  type OrderDoc,
  type OrderEventDoc,
  type OrderLine,
  type OrderService,
  type OrderStatus,
} from '../orders';
import type { PaymentService, PaymentDoc } from '../payments';
import type { PromotionService } from '../promotions';
import { reservationId, type ReservationService } from '../reservations';
import type { ShopService } from '../shops/service';
import { placeholderImageUrl } from '../storefront/listings';
import { CheckoutConflictError } from './errors';
import type { IdempotencyStore, StoredResponse } from './idempotency';
import { hashRequest } from './idempotency';
import { findPickupPoint } from './pickup-points';

/** The recurring job that expires unpaid checkouts (scheduled by housekeeping every few seconds). */
export const CHECKOUTS_EXPIRE_DUE_JOB = 'checkouts.expire_due';
export const ORDERS_RECONCILE_JOB = 'orders.reconcile';
export const COURIER_FEE = 800;

export interface CheckoutInput {
  delivery: { method: 'courier' | 'pickup'; address?: Address | null; pickupPointId?: string | null };
  couponCode?: string | null;
  pointsToRedeem?: number;
}

export interface SellerQuote {
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: OrderLine[];
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
}

export interface CheckoutQuote {
  sellers: SellerQuote[];
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller'; description: string } | null;
  pointsBalance: number;
  maxRedeemablePoints: number;
  freeShippingThreshold: number;
}

interface CheckoutDoc {
  _id: string;
  userId: string;
  orderIds: string[];
  paymentId: string;
  couponId: string | null;
  points: number;
  total: number;
  /** The plan (orders as created), JSON: a resumed checkout continues with it, not with today's cart. */
  plan: string;
  expiresAt: Date;
  createdAt: Date;
}

const checkoutSchema = new Schema<CheckoutDoc>(
  {
    _id: String,
    userId: { type: String, required: true },
    orderIds: [String],
    paymentId: { type: String, required: true },
    couponId: { type: String, default: null },
    points: { type: Number, required: true },
    total: { type: Number, required: true },
    plan: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);

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
  payment: { id: string; amount: number; status: string; redirectUrl: string };
  total: number;
  expiresAt: string;
}

/**
 * The checkout saga and everything that follows an order: one checkout turns a multi-seller cart into one
 * order per seller and one payment. No step relies on a transaction: every id derives from the checkout's
 * Idempotency-Key, every step is idempotent (stock holds, coupon slots and points are unique-keyed), and a
 * failure compensates the steps already taken. Order side effects (releasing or returning stock, refunds,
 * points) run from the order's event stream and can be re-run after a crash.
 */
export function createCheckoutService(deps: {
  connection: Connection;
  log: Logger;
  queue: JobQueue;
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
  clock?: () => Date;
}) {
  const Checkouts = modelOn<CheckoutDoc>(deps.connection, 'Checkout', checkoutSchema, 'checkouts');
  /**
   * A checkout is closed once its expiry job has run: `_id` = checkout id, a unique insert. A resumed
   * checkout (a retry after a crash) checks it before and after taking stock, and the job claims it
   * before cancelling, so whichever comes second sees the other and nothing stays reserved.
   */
  const Closures = modelOn(
    deps.connection,
    'CheckoutClosure',
    new Schema<{ _id: string; at: Date }>({ _id: String, at: Date }, { versionKey: false }),
    'checkout_closures',
  );
  /**
   * Checkouts not yet paid or expired, with their deadline. The expiry job reads this small collection
   * (rather than one delayed job per checkout, which would make every job poll on FerretDB scan
   * thousands of not-yet-due jobs); paying or expiring a checkout removes it.
   */
  const OpenCheckouts = modelOn(
    deps.connection,
    'OpenCheckout',
    new Schema<{ _id: string; expiresAt: Date }>({ _id: String, expiresAt: Date }, { versionKey: false }),
    'open_checkouts',
  );
  const isClosed = async (id: string) => (await Closures.findById(id).lean()) !== null;
  const expired = () =>
    new CheckoutConflictError(
      'checkout_expired',
      'This checkout expired before it completed; please check out again',
    );
  const now = deps.clock ?? (() => new Date());
  const system = { id: null, role: 'system' as const };

  async function loadCheckout(id: string): Promise<CheckoutDoc> {
    const doc = await Checkouts.findById(id).lean<CheckoutDoc>();
    if (!doc) throw new NotFoundError('Checkout');
    return doc;
  }

  function checkDelivery(input: CheckoutInput['delivery']): Delivery {
    if (input.method === 'pickup') {
      const point = input.pickupPointId ? findPickupPoint(input.pickupPointId) : undefined;
      if (!point)
        throw new ValidationError([
          { field: 'body.delivery.pickupPointId', message: 'choose one of the pickup points' },
        ]);
      return {
        method: 'pickup',
        address: null,
        pickupPoint: { id: point.id, name: point.name, address: point.address },
      };
    }
    if (!input.address)
      throw new ValidationError([
        { field: 'body.delivery.address', message: 'a delivery address is required for courier delivery' },
      ]);
    return { method: 'courier', address: input.address, pickupPoint: null };
  }

  /** Prices the cart as it is now; throws `cart_changed` when a line changed since the shopper saw it. */
  async function price(userId: string, input: CheckoutInput, strict: boolean): Promise<CheckoutQuote> {
    const cartLines = await deps.cart.lines({ userId });
    if (!cartLines.length) throw new CheckoutConflictError('cart_empty', 'Your cart is empty');
    const levels = await deps.inventory.getLevels(cartLines.map((l) => l.sku));
    const changed: {
      sku: string;
      code: string;
      message: string;
      available?: number;
      previousPrice?: number;
      price?: number;
    }[] = [];
    const bySeller = new Map<string, SellerQuote>();
    for (const line of cartLines) {
      const product = await deps.catalog.getProduct(line.productId);
      const variant =
        product?.status === 'active' ? product.variants.find((v) => v.sku === line.sku) : undefined;
      if (!product || !variant) {
        changed.push({ sku: line.sku, code: 'unavailable', message: 'This item is no longer sold' });
        continue;
      }
      const available = levels.get(line.sku)?.available ?? 0;
      if (available < line.qty)
        changed.push({
          sku: line.sku,
          code: 'insufficient_stock',
          message: available ? `Only ${available} left` : 'Out of stock',
          available,
        });
      if (variant.price !== line.seenPrice)
        changed.push({
          sku: line.sku,
          code: 'price_changed',
          message: `Price changed from ${formatYuan(line.seenPrice)} to ${formatYuan(variant.price)}`,
          previousPrice: line.seenPrice,
          price: variant.price,
        });
      let seller = bySeller.get(product.sellerId);
      if (!seller) {
        const shop = await deps.shops.getShop(product.shopId);
        seller = {
          sellerId: product.sellerId,
          shopId: product.shopId,
          shopName: shop?.name ?? '',
          lines: [],
          items: 0,
          shipping: 0,
          discount: 0,
          points: 0,
          total: 0,
        };
        bySeller.set(product.sellerId, seller);
      }
      seller.lines.push({
        sku: line.sku,
        productId: product.id,
        name: product.name,
        nameZh: product.nameZh,
        variantTitle: variant.title,
        image: variant.images[0] ?? product.images[0] ?? placeholderImageUrl(product.id),
        unitPrice: variant.price,
        qty: line.qty,
        lineTotal: variant.price * line.qty,
      });
      seller.items += variant.price * line.qty;
    }
    if (strict && changed.length)
      throw new CheckoutConflictError(
        'cart_changed',
        'Some items in your cart changed; review them before paying',
        {
          lines: changed,
        },
      );

    const account = await deps.membership.account(userId);
    const sellers = [...bySeller.values()];
    for (const s of sellers)
      s.shipping =
        input.delivery.method === 'courier' && s.items < account.benefits.freeShippingThreshold
          ? COURIER_FEE
          : 0;

    let coupon: CheckoutQuote['coupon'] = null;
    if (input.couponCode) {
      const quote = await deps.promotions.quote(input.couponCode, {
        userId,
        subtotalsBySeller: Object.fromEntries(sellers.map((s) => [s.sellerId, s.items])),
      });
      for (const s of sellers) s.discount = quote.discountBySeller[s.sellerId] ?? 0;
      coupon = {
        couponId: quote.couponId,
        code: quote.code,
        funding: quote.funding,
        description: quote.description,
      };
    }

    const bases = sellers.map((s) => s.items + s.shipping - s.discount);
    const payable = bases.reduce((a, b) => a + b, 0);
    const maxRedeemablePoints = Math.min(
      account.balance,
      Math.floor((payable * account.benefits.maxRedeemPercent) / 100),
    );
    const points = input.pointsToRedeem ?? 0;
    if (points > account.balance)
      throw new ValidationError([
        { field: 'body.pointsToRedeem', message: `you have ${account.balance} points` },
      ]);
    if (points > maxRedeemablePoints)
      throw new ValidationError([
        {
          field: 'body.pointsToRedeem',
          message: `at most ${maxRedeemablePoints} points can be used on this order`,
        },
      ]);
    const pointsBySeller = splitProportionally(
      points,
      Object.fromEntries(sellers.map((s, i) => [s.sellerId, bases[i]!])),
    );
    sellers.forEach((s, i) => {
      s.points = pointsBySeller[s.sellerId] ?? 0;
      s.total = bases[i]! - s.points;
    });
    const sum = (f: (s: SellerQuote) => number) => sellers.reduce((n, s) => n + f(s), 0);
    return {
      sellers,
      items: sum((s) => s.items),
      shipping: sum((s) => s.shipping),
      discount: sum((s) => s.discount),
      points,
      total: sum((s) => s.total),
      coupon,
      pointsBalance: account.balance,
      maxRedeemablePoints,
      freeShippingThreshold: account.benefits.freeShippingThreshold,
    };
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

  /** Coupon slot and spent points of a checkout none of whose orders was paid. */
  async function releaseCheckoutExtras(checkout: CheckoutDoc) {
    if (checkout.couponId)
      await deps.promotions.release(checkout.couponId, {
        userId: checkout.userId,
        redemptionId: checkout._id,
      });
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

  /** Side effects of each order event; idempotent, so they may run again after a crash. */
  deps.orders.setEffects(async (order: Order, event: OrderEventDoc, from: OrderStatus) => {
    const resIds = order.lines.map((l) => reservationId(order.id, l.sku));
    if (event.event === 'refund') {
      if (event.ref)
        await deps.payments.refund({
          refundId: event.ref,
          orderId: order.id,
          paymentId: order.paymentId,
          amount: event.amount ?? 0,
          reason: event.note,
        });
      return;
    }
    switch (event.status) {
      case 'paid':
        for (const id of resIds) await deps.reservations.sell(id);
        break;
      case 'cancelled':
      case 'refunded': {
        if (from === 'pending_payment') {
          for (const id of resIds) await deps.reservations.release(id);
        } else if (UNSHIPPED_PAID.has(from)) {
          for (const id of resIds) await deps.reservations.returnSold(id);
        }
        if (
          order.totals.points > 0 &&
          (await deps.membership.spent(order.buyerId, `spend:${order.checkoutId}`))
        )
          await deps.membership.refund(
            order.buyerId,
            order.totals.points,
            `refund:${order.id}`,
            `Order ${order.number} ${event.status}`,
          );
        if (from !== 'pending_payment') {
          // Money paid and not yet refunded goes back in full.
          const left = order.totals.total - order.refunded;
          if (left > 0)
            await deps.orders.recordRefund(
              order.id,
              left,
              system,
              `rf_${order.id}_final`,
              event.note || `Order ${event.status}`,
            );
        }
        if (from === 'completed') {
          const earned = pointsFor(order, await deps.membership.account(order.buyerId));
          if (earned > 0)
            await deps.membership.revoke(
              order.buyerId,
              earned,
              `revoke:${order.id}`,
              `Order ${order.number} refunded`,
            );
        }
        if (from === 'pending_payment') {
          const checkout = await loadCheckout(order.checkoutId);
          const siblings = await deps.orders.getMany(checkout.orderIds);
          if (siblings.every((o) => o.status === 'cancelled')) await releaseCheckoutExtras(checkout);
        }
        break;
      }
      case 'completed': {
        const earned = pointsFor(order, await deps.membership.account(order.buyerId));
        if (earned > 0)
          await deps.membership.earn(order.buyerId, earned, `earn:${order.id}`, `Order ${order.number}`);
        break;
      }
      default:
        break;
    }
  });

  function pointsFor(order: Order, account: Awaited<ReturnType<MembershipService['account']>>) {
    return Math.floor((order.totals.total / 100) * deps.membership.earnRate(account.tier));
  }

  deps.payments.setHandlers({
    async succeeded(payment, event) {
      await deps.payments.setStatus(payment, {
        status: 'succeeded',
        method: event.method,
        failureReason: null,
      });
      for (const orderId of payment.orderIds) {
        const moved = await deps.orders.transition(
          orderId,
          'paid',
          system,
          `Paid with ${event.method ?? 'sandbox'}`,
        );
        if (
          !moved.ok &&
          moved.order.status === 'cancelled' &&
          moved.order.refunded < moved.order.totals.total
        ) {
          // Paid after the order timed out: the money goes back at once.
          await deps.orders.recordRefund(
            orderId,
            moved.order.totals.total - moved.order.refunded,
            system,
            `rf_${orderId}_late`,
            'Payment arrived after the order expired',
          );
        }
      }
      await OpenCheckouts.deleteOne({ _id: payment.checkoutId });
    },
    async failed(payment, event) {
      if (payment.status === 'succeeded') return;
      await deps.payments.setStatus(payment, {
        status: 'failed',
        method: event.method,
        failureReason: event.failureReason ?? 'The payment did not go through',
      });
    },
  });

  function actorRole(order: Order, actor: Actor) {
    const role = roleOn(order, actor);
    if (!role) throw new NotFoundError('Order');
    return role;
  }

  async function act(actor: Actor, orderId: string, to: OrderStatus, note = '', extra = {}) {
    const { order, role } = await deps.orders.getFor(actor, orderId);
    actorRole(order, actor);
    await deps.orders.transitionOrThrow(orderId, to, { id: actor.id, role }, note, extra);
    // Read again: the transition's effects (a refund, say) may have added events after it.
    return deps.orders.get(orderId);
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
    ): Promise<CheckoutResult & { paymentStatus: string; failureReason: string | null }> {
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
        await deps.payments.provider.cancelSession(payment.providerRef);
        await deps.payments.setStatus(payment, { status: 'expired' });
      }
      await OpenCheckouts.deleteOne({ _id: checkoutId });
      return { cancelled };
    },

    /** Runs the side effects of order events that a crash cut short. */
    async reconcile() {
      let repaired = 0;
      for (const { id } of await deps.orders.openOrderIds()) repaired += await deps.orders.reconcile(id);
      return { repaired };
    },

    cancel: (actor: Actor, orderId: string, reason: string) => act(actor, orderId, 'cancelled', reason),
    accept: (actor: Actor, orderId: string) => act(actor, orderId, 'accepted'),
    ship: (actor: Actor, orderId: string, tracking: { carrier: string; number: string }) =>
      act(actor, orderId, 'shipped', `${tracking.carrier} ${tracking.number}`, { tracking }),
    markDelivered: (actor: Actor, orderId: string) => act(actor, orderId, 'delivered'),
    confirmReceipt: (actor: Actor, orderId: string) => act(actor, orderId, 'completed'),

    /** Support refunds part or all of a paid order (the whole of what is left when `amount` is absent). */
    async refund(actor: Actor, orderId: string, amount: number | null, reason: string, refundKey: string) {
      const { order, role } = await deps.orders.getFor(actor, orderId);
      if (role !== 'support') throw new ForbiddenError('Only support staff can refund');
      const payment = await deps.payments.get(order.paymentId);
      if (order.status === 'pending_payment' || payment.status !== 'succeeded')
        throw new ConflictError('The order has not been paid', { status: order.status });
      if (order.status === 'cancelled' && order.refunded >= order.totals.total)
        throw new ConflictError('The order has been refunded in full');
      const left = order.totals.total - order.refunded;
      const value = amount ?? left;
      if (value > left)
        throw new ValidationError([
          { field: 'body.amount', message: `at most ${left} fen can still be refunded` },
        ]);
      if (value === left && !['cancelled', 'refunded'].includes(order.status)) {
        // A full refund is a status change: stock, points and the money follow it (see the effects).
        await deps.orders.transitionOrThrow(orderId, 'refunded', { id: actor.id, role }, reason);
        return deps.orders.get(orderId);
      }
      return (
        await deps.orders.recordRefund(
          orderId,
          value,
          { id: actor.id, role },
          `rf_${orderId}_${refundKey}`,
          reason,
        )
      ).order;
    },

    pickupPoints: () => import('./pickup-points').then((m) => m.PICKUP_POINTS),
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
