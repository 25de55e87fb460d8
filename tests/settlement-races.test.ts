import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYOUT_WEBHOOK_SECRET_NAME, signWebhook } from '@market/core';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { registerUser, staffAccount, type SignedIn } from './support/accounts';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { leafCategory, pay, stockedProduct } from './support/commerce';
import { checkoutWith, deliverAndComplete, refund } from './support/money';
import { waitFor, type AppProcess } from './support/process';

/**
 * Settlement under concurrency and time, two app processes on one database: a refund and a payout of
 * the same funds at once, a payout webhook delivered twice to both processes, a seller reading another's
 * finance, and pending → available exactly when the after-sales window closes (injected clock).
 */

const SECRET = randomBytes(32).toString('hex');
const clock = createTestClock();
let app: TestApp;
let second: AppProcess;
let admin: SignedIn;
let category: string;

beforeAll(async () => {
  app = await startTestApp({
    products: 4,
    clock: clock.now,
    env: { SESSION_SECRET: SECRET, PAYOUT_SANDBOX_DELAY_MS: '100' },
  });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
    PAYOUT_SANDBOX_DELAY_MS: '100',
  });
  admin = await staffAccount(app, 'admin');
  category = await leafCategory(admin);
  // On the test category itself: more specific than the demo catalog's department rates.
  const rule = { scope: 'category', targetId: category, kind: 'percent', rateBp: 500 };
  expect((await admin.post('/api/admin/commission-rules', rule)).status).toBe(201);
}, 180_000);

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

/** The same account, signed in on the second process. */
async function onSecond(client: SignedIn): Promise<ApiClient> {
  const other = new ApiClient(second.url);
  await other.login(client.email, client.password);
  return other;
}

/** A seller with one completed order of `price` (and a payout account), and its buyer. */
async function sellerWithCompletedOrder(price: number) {
  const seller = await registerUser(app, 'seller');
  const buyer = await registerUser(app.url);
  const { sku } = await stockedProduct(seller, { price, stock: 10, categoryId: category });
  expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const placed = await checkoutWith(buyer);
  await pay(buyer, placed);
  const orderId = placed.orders[0]!.id;
  await deliverAndComplete(seller, buyer, orderId);
  expect(
    (
      await seller.put('/api/seller/finance/account', {
        type: 'alipay',
        holder: 'Li Lei',
        number: 'li.lei@example.com',
      })
    ).status,
  ).toBe(200);
  return { seller, buyer, orderId };
}

describe('pending → available when the after-sales window closes', () => {
  it('stays pending until the window closes, then is available exactly then', async () => {
    const { seller, orderId } = await sellerWithCompletedOrder(10_000);
    const order = (await seller.get(`/api/orders/${orderId}`)).body;
    expect(order.earnings).toMatchObject({
      commission: 500,
      sellerEarning: 10_000 + order.totals.shipping - 500,
    });
    const summary = (await seller.get('/api/seller/finance')).body.balance;
    expect(summary).toMatchObject({ pending: order.earnings!.sellerEarning, available: 0 });

    const dueAt = await app.core.settlement.releaseDueAt(orderId);
    const delivered = order.timeline.find((t) => t.status === 'delivered')!;
    expect(dueAt!.getTime()).toBe(new Date(delivered.at).getTime() + app.config.afterSales.windowMs);
    clock.freeze();
    clock.advance(dueAt!.getTime() - clock.now().getTime() - 1);
    await app.core.settlement.releaseDue();
    expect((await seller.get('/api/seller/finance')).body.balance.available).toBe(0);
    clock.advance(1);
    await app.core.settlement.releaseDue();
    expect((await seller.get('/api/seller/finance')).body.balance).toMatchObject({
      pending: 0,
      available: order.earnings!.sellerEarning,
    });
    clock.resume();
  });
});

describe('races across two processes', () => {
  it('a refund and a payout of the same funds at once: never both from the same money, buckets add up', async () => {
    const { seller, orderId } = await sellerWithCompletedOrder(20_000);
    clock.advance(app.config.afterSales.windowMs + 60_000);
    // Signed in after the clock moved (sessions of an earlier "week" have expired on this process).
    const support = await staffAccount(app, 'support');
    await app.core.settlement.releaseDue();
    const earned = (await seller.get('/api/seller/finance')).body.balance.available;
    expect(earned).toBeGreaterThan(0);
    const sellerOnSecond = await onSecond(seller);
    const [refunded, payout] = await Promise.all([
      refund(support, orderId, null),
      sellerOnSecond.request('POST', '/api/seller/finance/payouts', {
        json: { amount: earned },
        headers: { 'idempotency-key': randomUUID() },
      }),
    ]);
    expect(refunded.refunded).toBe(refunded.totals.total);
    const balance = (await seller.get('/api/seller/finance')).body.balance;
    const entries = (await seller.get('/api/seller/finance/entries?limit=200')).body.items;
    expect(entries.reduce((s, e) => s + e.amount, 0)).toBe(balance.balance);
    expect(entries.filter((e) => e.kind === 'refund_debit')).toHaveLength(1);
    if (payout.status === 201) {
      // The payout took the money first: the refund leaves available negative, recovered from later credits.
      expect(entries.filter((e) => e.kind === 'payout_debit')).toHaveLength(1);
      expect(balance.available).toBe(-earned);
      expect(balance.available + balance.inFlight + balance.paidOut).toBe(0);
    } else {
      // The refund came first: nothing is left to pay out.
      expect([409, 422]).toContain(payout.status);
      expect(balance).toMatchObject({ available: 0, inFlight: 0, paidOut: 0 });
    }
  });

  it('a payout webhook delivered again, to both processes at once, is processed once', async () => {
    const { seller } = await sellerWithCompletedOrder(15_000);
    clock.advance(app.config.afterSales.windowMs + 60_000);
    await app.core.settlement.releaseDue();
    const requested = await seller.request('POST', '/api/seller/finance/payouts', {
      json: { amount: null },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(requested.status).toBe(201);
    const payoutId = requested.body.id;
    await waitFor(
      async () => (await seller.get(`/api/seller/finance/payouts/${payoutId}`)).body.status === 'paid',
    );
    const secret = await app.core.secrets.shared(PAYOUT_WEBHOOK_SECRET_NAME);
    const transfer = await app.database.connection
      .collection('sandbox_bank_transfers')
      .findOne({ _id: payoutId as never });
    const body = JSON.stringify({
      id: `evt_${payoutId}`,
      type: 'payout.paid',
      data: { payoutId, providerRef: transfer!.providerRef, amount: requested.body.amount, currency: 'CNY' },
    });
    const post = (url: string, offset: number) =>
      fetch(`${url}/api/payouts/webhooks/sandbox`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'sandbox-signature': signWebhook(secret, body, new Date(clock.now().getTime() + offset)),
        },
        body,
      });
    // Each process checks freshness against its own clock: sign for each.
    const answers = await Promise.all([
      post(app.url, 1),
      post(second.url, Date.now() - clock.now().getTime() + 2),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ received: true, duplicate: true });
    }
    const entries = (await seller.get('/api/seller/finance/entries?limit=200')).body.items;
    expect(entries.filter((e) => e.kind === 'payout_paid')).toHaveLength(1);
    const balance = (await seller.get('/api/seller/finance')).body.balance;
    expect(balance.paidOut).toBe(requested.body.amount);
    expect(balance.inFlight).toBe(0);
  });
});

describe('authorization', () => {
  it("a seller cannot read another's finance, and shoppers and sellers cannot reach the admin's", async () => {
    const { seller } = await sellerWithCompletedOrder(5_000);
    const other = await registerUser(app, 'seller');
    const shopper = await registerUser(app.url);
    clock.advance(app.config.afterSales.windowMs + 60_000);
    await app.core.settlement.releaseDue();
    const payout = await seller.request('POST', '/api/seller/finance/payouts', {
      json: { amount: null },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(payout.status).toBe(201);
    expect((await other.get(`/api/seller/finance/payouts/${payout.body.id}`)).status).toBe(404);
    expect((await other.get('/api/seller/finance')).body.balance.balance).toBe(0);
    expect((await other.get('/api/seller/finance/entries')).body.items).toEqual([]);
    expect((await shopper.get('/api/seller/finance')).status).toBe(403);
    for (const path of ['/api/admin/finance', '/api/admin/commission-rules'])
      for (const who of [seller, other, shopper]) expect((await who.get(path)).status).toBe(403);
    expect((await new ApiClient(app.url).get('/api/seller/finance')).status).toBe(401);
    // The statement CSV is the caller's own too.
    const month = new Date().toISOString().slice(0, 7);
    const csv = await other.request('GET', `/api/seller/finance/statements/${month}/csv`);
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});
