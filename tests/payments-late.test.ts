import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUTS_EXPIRE_DUE_JOB, SANDBOX_WEBHOOK_JOB } from '@market/core';
import type { CheckoutResult } from '@market/web/wire';
import { startTestApp, type TestApp } from './support/app';
import { checkout, leafCategory, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/** Stock is held for 3 s, so a checkout lapses within the test. */
const TTL_MINUTES = 0.05;

let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ products: 6, env: { RESERVATION_TTL_MINUTES: String(TTL_MINUTES) } });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});
afterAll(() => app?.close());

const sessionOf = (placed: CheckoutResult) => placed.payment.redirectUrl.split('/').pop()!;
const stockOf = async (sku: string) => (await app.core.inventory.getLevels([sku])).get(sku)!.available;

/** A checkout of one unit, left until its deadline passes and the expiry job has cancelled its order. */
async function lapsedCheckout(opts: { shopperOnPage: boolean }) {
  const item = await stockedProduct(seller, { stock: 5, price: 6600, categoryId: category });
  const shopper = await registerUser(app.url);
  expect((await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
  const placed = (await checkout(shopper)).body;
  expect(await stockOf(item.sku)).toBe(4);
  if (opts.shopperOnPage) {
    // The shopper opens the provider's page (and then takes their time).
    const page = await shopper.get(`/api/sandbox-psp/sessions/${sessionOf(placed)}`);
    expect(page.body.status).toBe('open');
  }
  const deadline = new Date(placed.expiresAt).getTime();
  await waitFor(async () => Date.now() > deadline, 30_000, 'the reservation deadline');
  // What the housekeeping tick does every 30 s, without waiting for it.
  await app.core.queue.enqueue(CHECKOUTS_EXPIRE_DUE_JOB, {});
  const orderId = placed.orders[0]!.id;
  await waitFor(
    async () => {
      const state = (await shopper.get(`/api/checkouts/${placed.checkoutId}`)).body;
      return state.paymentStatus === 'expired' && state.orders.every((o) => o.status === 'cancelled');
    },
    30_000,
    'the checkout to expire',
  );
  expect(await stockOf(item.sku)).toBe(5);
  return { shopper, placed, item, orderId };
}

describe('a payment that arrives after its order expired', () => {
  it('is refunded at once when the shopper pays on the page they had open', async () => {
    const { shopper, placed, item, orderId } = await lapsedCheckout({ shopperOnPage: true });

    const paid = await shopper.post(`/api/sandbox-psp/sessions/${sessionOf(placed)}/complete`, {
      method: 'alipay',
      outcome: 'succeed',
    });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('succeeded');

    // payment.succeeded arrives → refund asked for at once → refund.succeeded arrives.
    const refunds = await waitFor(
      async () => {
        const list = await app.core.payments.refundsOf(orderId);
        return list.length && list.every((r) => r.status === 'succeeded') ? list : null;
      },
      30_000,
      'the refund to succeed',
    );
    const order = (await shopper.get(`/api/orders/${orderId}`)).body;
    expect(order.status).toBe('cancelled');
    expect(order.refunded).toBe(order.totals.total);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ amount: order.totals.total, paymentId: placed.payment.id });
    const refundEvents = order.timeline.filter((t) => t.event === 'refund');
    expect(refundEvents).toHaveLength(1);
    expect(refundEvents[0]!.note).toBe('Payment arrived after the order expired');
    expect(order.timeline.some((t) => t.status === 'paid')).toBe(false);
    // The money is recorded as taken (and given back); the unit stays on sale.
    expect((await app.core.payments.get(placed.payment.id)).status).toBe('succeeded');
    expect(await stockOf(item.sku)).toBe(5);
    const state = (await shopper.get(`/api/checkouts/${placed.checkoutId}`)).body;
    expect(state.orders.map((o) => o.status)).toEqual(['cancelled']);
  });

  it('cannot happen when the shopper had not opened the page: the provider closed it', async () => {
    const { shopper, placed, orderId } = await lapsedCheckout({ shopperOnPage: false });
    const page = await shopper.get(`/api/sandbox-psp/sessions/${sessionOf(placed)}`);
    expect(page.body.status).toBe('expired');
    const paid = await shopper.post(`/api/sandbox-psp/sessions/${sessionOf(placed)}/complete`, {
      method: 'alipay',
      outcome: 'succeed',
    });
    expect(paid.status).toBe(409);
    expect((await shopper.get(`/api/orders/${orderId}`)).body).toMatchObject({
      status: 'cancelled',
      refunded: 0,
    });
    expect(await app.core.payments.refundsOf(orderId)).toEqual([]);
  });
});

describe('a sandbox refund whose caller died before its webhook was queued', () => {
  it('has its webhook queued, once, when the refund is asked again', async () => {
    const { placed } = await lapsedCheckout({ shopperOnPage: false });
    const providerRef = sessionOf(placed);
    const refundId = 'rf_orphaned_by_a_crash';
    // What a kill between the provider's insert and its queue leaves: the refund and no webhook.
    await app.database.connection
      .collection<{ _id: string; providerRef: string; amount: number; reason: string; createdAt: Date }>(
        'sandbox_psp_refunds',
      )
      .insertOne({ _id: refundId, providerRef, amount: 100, reason: 'test', createdAt: new Date() });
    const webhooksFor = async () => {
      const ids = new Set<string>(); // a job in transit between collections shows in two for a moment
      for (const name of ['queued_jobs', 'active_jobs', 'finished_jobs'])
        for (const job of await app.database.connection
          .collection<{ _id: string; type: string; payload: { body: string } }>(name)
          .find({ type: SANDBOX_WEBHOOK_JOB })
          .toArray())
          if (job.payload.body.includes(refundId)) ids.add(job._id);
      return ids.size;
    };
    expect(await webhooksFor()).toBe(0);
    const refund = { refundId, providerRef, amount: 100, currency: 'CNY', reason: 'test' };
    await app.core.sandbox.provider.refund(refund);
    await app.core.sandbox.provider.refund(refund);
    expect(await webhooksFor()).toBe(1);
  });
});
