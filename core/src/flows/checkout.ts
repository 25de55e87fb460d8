import type { CartService } from '../cart';
import {
  CheckoutConflictError,
  checkoutExpiredError,
  flashClaimError,
  groupSeatError,
  hashRequest,
  type CheckoutDoc,
  type CheckoutInput,
  type CheckoutService,
  type IdempotencyStore,
  type PlannedOrder,
  type StoredResponse,
} from '../checkout';
import { ValidationError } from '../errors';
import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import type { Logger } from '../logger';
import type { MembershipService } from '../membership';
import type { OrderService } from '../orders';
import type { PaymentDoc, PaymentService } from '../payments';
import type { PromotionService } from '../promotions';
import type { ReservationService } from '../reservations';
import { defineFlow, refuse, type Refusal } from './flow';
import type { GiveBacks, OrderTakings } from './give-back';

/** One run of a checkout: its plan, and what the steps add to it. */
interface CheckoutRun {
  checkout: CheckoutDoc;
  orders: PlannedOrder[];
  payment: PaymentDoc | null;
  /** The request (its flash claim, when the checkout is a flash-sale win). */
  input: CheckoutInput;
  /** Why the orders are cancelled if the run is undone; it lands on each order's timeline. */
  cancelNote: string;
}

const system = { id: null, role: 'system' as const };

const takings = (o: PlannedOrder): OrderTakings => ({
  id: o._id,
  number: o.number,
  buyerId: o.buyerId,
  checkoutId: o.checkoutId,
  lines: o.lines,
  totals: o.totals,
});

/** A refusal whose reason also goes onto the orders it cancels. */
function refusal(
  run: CheckoutRun,
  cancelNote: string,
  error: CheckoutConflictError | ValidationError,
): Refusal {
  run.cancelNote = cancelNote;
  return refuse(error);
}

/**
 * The checkout flow: a multi-seller cart becomes one order per seller and one payment. No step relies
 * on a transaction. Every id derives from the Idempotency-Key and every step is exactly-once by its
 * own unique key (coupon slots, `spend:<checkout>`, `hold:<reservation>`), so a retry after a crash
 * resumes the run: a thrown error undoes nothing (`onError: 'resume'`), and the checkout listed as open
 * first is what the expiry job cancels if nobody comes back. A refusal (coupon gone, points short,
 * sold out, expired meanwhile) undoes the steps at once, in reverse.
 */
export function createCheckoutFlow(deps: {
  checkouts: Pick<CheckoutService, 'plan' | 'plannedOrders' | 'isClosed' | 'registerOpen' | 'result'>;
  orders: Pick<OrderService, 'createOrders' | 'transition'>;
  promotions: Pick<PromotionService, 'redeem'>;
  membership: Pick<MembershipService, 'spend'>;
  reservations: Pick<ReservationService, 'hold'>;
  payments: Pick<PaymentService, 'open'>;
  cart: Pick<CartService, 'removeSkus'>;
  flashSales: Pick<FlashSaleService, 'attachClaim'>;
  groupBuying: Pick<GroupBuyingService, 'takeSeat' | 'releaseSeat'>;
  idempotency: IdempotencyStore;
  giveBack: GiveBacks;
  log: Logger;
}) {
  const flow = defineFlow<CheckoutRun>({
    name: 'checkout',
    log: deps.log,
    onError: 'resume',
    describe: ({ checkout }) => ({ checkoutId: checkout._id, userId: checkout.userId }),
    steps: [
      {
        name: 'register as open',
        // First, before anything is taken: from here on the expiry job brings unpaid stock back.
        run: ({ checkout }) => deps.checkouts.registerOpen(checkout),
        // No undo: the entry stays until the expiry job closes the checkout.
      },
      {
        name: 'create orders',
        run: ({ orders }) => deps.orders.createOrders(orders),
        // A cancelled order's effects (fulfilment.ts) give back again what the steps below gave back:
        // they find it done, as they do when the expiry job cancels the orders after a crash.
        compensate: async ({ checkout, cancelNote }) => {
          for (const orderId of checkout.orderIds)
            await deps.orders.transition(orderId, 'cancelled', system, cancelNote);
        },
      },
      // Cheap, selective claims before the stock: a coupon with 5 uses left turns most of a crowd away
      // before it touches the stock ledger.
      {
        name: 'redeem coupon',
        run: async (run) => {
          const { checkout } = run;
          if (!checkout.couponId) return;
          const redeemed = await deps.promotions.redeem(checkout.couponId, {
            userId: checkout.userId,
            redemptionId: checkout._id,
          });
          if (redeemed.ok) return;
          if (redeemed.reason === 'audience')
            // Out of the coupon's audience is about the code the shopper typed, as at the quote: 422.
            return refusal(
              run,
              'Coupon not for this shopper',
              new ValidationError([
                { field: 'body.couponCode', message: 'this coupon is for another customer segment' },
              ]),
            );
          return refusal(
            run,
            'Coupon no longer available',
            new CheckoutConflictError('coupon_unavailable', 'This coupon has just run out', {
              fields: [
                {
                  field: 'body.couponCode',
                  message: `the coupon is no longer available (${redeemed.reason})`,
                },
              ],
            }),
          );
        },
        compensate: ({ checkout }) => deps.giveBack.releaseCoupon(checkout),
      },
      {
        name: 'spend points',
        run: async (run) => {
          const { checkout } = run;
          if (checkout.points <= 0) return;
          const spent = await deps.membership.spend(
            checkout.userId,
            checkout.points,
            `spend:${checkout._id}`,
            `Checkout ${checkout._id}`,
          );
          if (spent.ok) return;
          return refusal(
            run,
            'Points no longer available',
            new CheckoutConflictError('points_unavailable', 'Your points balance changed', {
              fields: [{ field: 'body.pointsToRedeem', message: `you have ${spent.balance} points` }],
            }),
          );
        },
        compensate: async ({ orders }) => {
          for (const order of orders) await deps.giveBack.refundSpentPoints(takings(order), 'cancelled');
        },
      },
      {
        name: 'take group seat',
        // Before the stock: a full group turns its latecomers away without touching the stock ledger.
        // The seat is held from here; paid, it counts toward the group; unpaid, the expiry frees it.
        run: async (run) => {
          const seat = groupSeat(run);
          if (!seat) return;
          const answer = await deps.groupBuying.takeSeat({
            line: { dealId: run.input.groupBuy!.dealId, groupId: seat.groupId },
            userId: run.checkout.userId,
            checkoutId: run.checkout._id,
            orderId: seat.orderId,
          });
          if (answer.status !== 'seated')
            return refusal(run, 'No seat in the group', groupSeatError(answer.status));
        },
        compensate: async (run) => {
          const seat = groupSeat(run);
          if (seat) await deps.groupBuying.releaseSeat(seat.groupId, run.checkout._id);
        },
      },
      {
        name: 'hold stock',
        run: async (run) => {
          // A flash line takes the sale's held units by tying the winner's claim to this checkout.
          const claim = await attachFlashClaim(run);
          if (claim !== 'attached')
            return refusal(run, 'Flash sale claim no longer valid', flashClaimError(claim));
          const short = await holdStock(run);
          if (!short.length) return;
          return refusal(
            run,
            'Not enough stock at checkout',
            new CheckoutConflictError(
              'insufficient_stock',
              'Some items sold out while you were checking out',
              {
                lines: short,
              },
            ),
          );
        },
        compensate: async ({ orders }) => {
          for (const order of orders) await deps.giveBack.releaseHeldStock(takings(order));
        },
      },
      {
        name: 'check still open',
        // The expiry job may have closed the checkout while this run held stock, without seeing the holds.
        run: async (run) =>
          (await deps.checkouts.isClosed(run.checkout._id))
            ? refusal(run, 'Checkout expired', checkoutExpiredError())
            : undefined,
      },
      {
        name: 'open payment',
        run: async (run) => {
          const { checkout, orders } = run;
          run.payment = await deps.payments.open({
            paymentId: checkout.paymentId,
            checkoutId: checkout._id,
            buyerId: checkout.userId,
            orderIds: checkout.orderIds,
            amount: checkout.total,
            description: `Bazaar order ${orders.map((o) => o.number).join(', ')}`,
            returnUrl: `/checkout/${checkout._id}`,
          });
        },
      },
      {
        name: 'clear the cart',
        run: ({ checkout, orders }) =>
          deps.cart.removeSkus(
            { userId: checkout.userId },
            // A flash or group checkout never took the cart's lines, so it leaves them there.
            orders.flatMap((o) => o.lines.filter((l) => !l.flashSaleId && !l.groupId).map((l) => l.sku)),
          ),
      },
    ],
  });

  /** The group-buy line's group and order, when this checkout is a group buy. */
  function groupSeat({ orders, input }: CheckoutRun) {
    if (!input.groupBuy) return null;
    for (const order of orders)
      for (const line of order.lines) if (line.groupId) return { groupId: line.groupId, orderId: order._id };
    return null;
  }

  /** Ties the flash claim (if this is a flash checkout) to the checkout, once; a resumed run finds it tied. */
  async function attachFlashClaim({ checkout, input }: CheckoutRun) {
    if (!input.flashClaim) return 'attached';
    const { saleId, token } = input.flashClaim;
    const answer = await deps.flashSales.attachClaim(checkout.userId, saleId, token, checkout._id);
    return answer.status === 'attached' ? 'attached' : answer.status;
  }

  /** Holds every normal line (the lines of one order at once); returns the lines that could not be held. */
  async function holdStock({ checkout, orders }: CheckoutRun) {
    const short: { sku: string; requested: number; available: number }[] = [];
    for (const order of orders) {
      const results = await Promise.all(
        order.lines
          .filter((line) => !line.flashSaleId)
          .map(async (line) => ({
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
    return short;
  }

  /** One run: the plan (made once, reloaded when a retry resumes it) is the context of every step. */
  async function run(userId: string, key: string, input: CheckoutInput): Promise<StoredResponse> {
    const checkout = await deps.checkouts.plan(userId, key, input);
    if (await deps.checkouts.isClosed(checkout._id)) throw checkoutExpiredError();
    const state: CheckoutRun = {
      checkout,
      orders: deps.checkouts.plannedOrders(checkout),
      payment: null,
      input,
      cancelNote: '',
    };
    await flow.run(state);
    if (!state.payment) throw new Error(`checkout ${checkout._id} completed without a payment`);
    return { status: 201, body: await deps.checkouts.result(checkout, state.payment) };
  }

  return {
    flow,
    /** Runs a checkout once per Idempotency-Key; retries get the first response. */
    place(userId: string, key: string, input: CheckoutInput) {
      return deps.idempotency.execute('checkout', userId, key, hashRequest(input), () =>
        run(userId, key, input),
      );
    },
  };
}

export type CheckoutFlow = ReturnType<typeof createCheckoutFlow>;
