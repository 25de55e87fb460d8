import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILING_PAYOUT_CARD, marketDay } from '@market/core';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { staffAccount, type SignedIn } from './support/accounts';
import { createTestClock } from './support/clock';
import { leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { checkoutWith, deliverAndComplete, payoutsSettled, refund } from './support/money';
import type { AppProcess } from './support/process';
import { scaled } from './support/time';

/**
 * The money invariant, over a scripted mix of 300 orders placed, paid, delivered, completed and refunded
 * through two app processes on one database: multi-shop checkouts, platform and shop coupons, points,
 * partial and full refunds before completion, after completion and after release, releases, payouts (one
 * to a failing account). Afterwards every market day reconciles to the fen, each seller's buckets are the
 * sum of their entries, and tampering with one entry (1 fen, or one missing) fails its day and alerts.
 *
 * Returns (after-sales, item 4 of the issue) are not scripted here: they refund through the same order
 * refund path, so they are covered by the refund cases; see `RETURNS` below for the place to add them.
 */

const SECRET = randomBytes(32).toString('hex');
const SELLERS = 6;
const BUYERS = Math.min(20, Number(process.env.MONEY_INVARIANT_CHECKOUTS ?? 150));
/** Two shops each: 300 orders. MONEY_INVARIANT_CHECKOUTS scales it down for a quick local run. */
const CHECKOUTS = Number(process.env.MONEY_INVARIANT_CHECKOUTS ?? 150);
const clock = createTestClock();
/** The whole scripted run may take this long (stretched by TEST_TIME_SCALE on a slower machine). */
const LONG_RUN = { timeout: scaled(900_000) };

let app: TestApp;
let second: AppProcess;
let admin: SignedIn;
let support: SignedIn;
const sellers: SignedIn[] = [];
const products: { sku: string; sellerIndex: number; price: number }[] = [];
const buyers: SignedIn[] = [];
const shopCoupons = new Map<number, string>();
let platformCoupon = '';

type Placed = { orderId: string; sellerIndex: number; buyer: SignedIn; total: number };
const placed: Placed[] = [];

beforeAll(async () => {
  app = await startTestApp({
    products: 8,
    clock: clock.now,
    env: { SESSION_SECRET: SECRET, PAYOUT_SANDBOX_DELAY_MS: '200', PAYOUT_MINIMUM_FEN: '1000' },
  });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
    PAYOUT_SANDBOX_DELAY_MS: '200',
    PAYOUT_MINIMUM_FEN: '1000',
  });
  const urls = [app.url, second.url];
  admin = await staffAccount(app, 'admin');
  support = await staffAccount(app, 'support');
  const category = await leafCategory(admin);
  // Commission: 5 % by default, 3 % on the test category, a fixed fee with a minimum for one shop.
  for (const rule of [
    { scope: 'global', kind: 'percent', rateBp: 500 },
    { scope: 'category', targetId: category, kind: 'percent', rateBp: 300, maxFen: 2_000 },
  ])
    expect((await admin.post('/api/admin/commission-rules', rule)).status).toBe(201);
  for (let i = 0; i < SELLERS; i++) {
    const seller = await registerUser({ url: urls[i % 2]!, core: app.core }, 'seller');
    sellers.push(seller);
    for (const price of [1_999 + i * 311, 8_888 + i * 97, 25_000 - i * 1_001])
      products.push({
        ...(await stockedProduct(seller, { price, stock: 1_000, categoryId: category })),
        sellerIndex: i,
        price,
      });
    expect(
      (
        await seller.put('/api/seller/finance/account', {
          type: 'bank_card',
          holder: `Seller ${i}`,
          // The last seller's card is the sandbox bank's failing one: its payout fails and comes back.
          number: i === SELLERS - 1 ? FAILING_PAYOUT_CARD : '6222021000000005',
        })
      ).status,
    ).toBe(200);
  }
  const shopId = (await sellers[1]!.get('/api/auth/session')).body.user?.shopId;
  expect(shopId).toBeTruthy();
  expect(
    (
      await admin.post('/api/admin/commission-rules', {
        scope: 'shop',
        targetId: shopId,
        kind: 'fixed',
        fixedFen: 150,
        minFen: 200,
      })
    ).status,
  ).toBe(201);
  for (const i of [0, 2]) {
    const code = `SHOP${i}${randomBytes(3).toString('hex')}`.toUpperCase();
    const res = await sellers[i]!.post('/api/coupons', {
      code,
      kind: 'percent',
      value: 10,
      perUserLimit: 100,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    shopCoupons.set(i, code);
  }
  platformCoupon = `PLAT${randomBytes(3).toString('hex')}`.toUpperCase();
  const plat = await admin.post('/api/coupons', {
    code: platformCoupon,
    kind: 'fixed',
    value: 700,
    perUserLimit: 100,
  });
  expect(plat.status, JSON.stringify(plat.body)).toBe(201);
  for (let i = 0; i < BUYERS; i += 10)
    buyers.push(
      ...(await Promise.all(Array.from({ length: 10 }, (_, j) => registerUser(urls[(i + j) % 2]!)))),
    );
  for (const buyer of buyers)
    await app.core.membership.earn(buyer.user.id, 50_000, `grant:${buyer.user.id}`, 'Test points');
}, scaled(300_000));

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

/** Deterministic variety: the i-th checkout's shops, quantities, coupon and points. */
function scriptFor(i: number) {
  const a = i % SELLERS;
  const b = (i + 1 + (i % 3)) % SELLERS === a ? (a + 1) % SELLERS : (i + 1 + (i % 3)) % SELLERS;
  const pick = (s: number) => products.filter((p) => p.sellerIndex === s)[i % 3]!;
  const coupon =
    i % 5 === 0 ? platformCoupon : i % 5 === 1 ? (shopCoupons.get(a) ?? shopCoupons.get(b)) : undefined;
  return {
    lines: [pick(a), pick(b)],
    qty: 1 + (i % 3),
    coupon,
    points: i % 4 === 0 ? 500 + (i % 7) * 37 : 0,
  };
}

async function placeCheckout(i: number) {
  const buyer = buyers[i % BUYERS]!;
  const s = scriptFor(i);
  for (const line of s.lines)
    expect((await buyer.post('/api/cart/lines', { sku: line.sku, qty: s.qty })).status).toBe(200);
  const result = await checkoutWith(buyer, { couponCode: s.coupon, points: s.points });
  await pay(buyer, result);
  for (const o of result.orders)
    placed.push({
      orderId: o.id,
      sellerIndex: sellers.findIndex((x) => x.user.id === o.sellerId),
      buyer,
      total: o.total,
    });
}

async function inBatches<T>(items: T[], size: number, run: (item: T, index: number) => Promise<void>) {
  for (let i = 0; i < items.length; i += size)
    await Promise.all(items.slice(i, i + size).map((item, j) => run(item, i + j)));
}

describe('money invariant over 300 orders, two processes', () => {
  it('every day reconciles to the fen; a tampered entry fails its day', LONG_RUN, async () => {
    // Buyers, sellers and their buyers' checkouts are spread over both processes, so each seller's
    // stream is appended from both at once.
    await inBatches(
      Array.from({ length: CHECKOUTS }, (_, i) => i),
      6,
      async (_x, i) => placeCheckout(i),
    );
    expect(placed).toHaveLength(CHECKOUTS * 2);

    const before = placed.filter((_, i) => i % 10 === 3); // full refund before completion (paid → refunded)
    const partialBefore = placed.filter((_, i) => i % 10 === 4); // partial refund, then completion
    await inBatches(before, 8, async (o) => void (await refund(support, o.orderId, null)));
    await inBatches(
      partialBefore,
      8,
      async (o) => void (await refund(support, o.orderId, Math.floor(o.total / 3) || null)),
    );
    const completing = placed.filter((o) => !before.includes(o));
    await inBatches(
      completing,
      8,
      async (o) => void (await deliverAndComplete(sellers[o.sellerIndex]!, o.buyer, o.orderId)),
    );
    // After completion, before release: partial refunds and full refunds.
    const afterPartial = completing.filter((_, i) => i % 7 === 2);
    const afterFull = completing.filter((_, i) => i % 11 === 5 && !afterPartial.includes(completing[i]!));
    await inBatches(
      afterPartial,
      8,
      async (o) => void (await refund(support, o.orderId, Math.max(1, Math.floor(o.total / 4)))),
    );
    await inBatches(afterFull, 8, async (o) => void (await refund(support, o.orderId, null)));

    // The after-sales window closes (this process's clock): every credit is released.
    clock.advance(app.config.afterSales.windowMs + 60_000);
    await app.core.settlement.releaseDue();
    expect(await app.core.settlement.releaseDue()).toEqual({ released: 0 });
    // After release: more partial and full refunds (they hit available).
    const released = completing.filter((o) => !afterFull.includes(o));
    const lateRefunds = released.filter((_, i) => i % 9 === 1);
    const lateFull = released.filter((_, i) => i % 13 === 6 && !lateRefunds.includes(released[i]!));
    await inBatches(
      lateRefunds,
      8,
      async (o) => void (await refund(support, o.orderId, Math.max(1, Math.floor(o.total / 5)))),
    );
    await inBatches(lateFull, 8, async (o) => void (await refund(support, o.orderId, null)));
    // RETURNS: once after-sales (money-aftersales) has landed, script returns here (approve a return →
    // its refund); the reconciliation below must balance them like any other refund.

    // Payouts: the weekly run pays every seller with enough available; one account always fails.
    const minimum = app.config.settlement.payoutMinimumFen;
    const availableBefore = await Promise.all(
      sellers.map(async (seller) => (await seller.get('/api/seller/finance')).body.balance.available),
    );
    const run = await app.core.payouts.runScheduled();
    expect(run.paid).toBe(availableBefore.filter((a) => a >= minimum).length);
    for (const [i, seller] of sellers.entries()) {
      if (availableBefore[i]! < minimum) {
        expect((await seller.get('/api/seller/finance/payouts')).body.items).toEqual([]);
        continue;
      }
      const [payout] = await payoutsSettled(seller);
      expect(payout!.amount).toBe(availableBefore[i]);
      const after = (await seller.get('/api/seller/finance')).body.balance;
      if (i === SELLERS - 1) {
        // The failing account: the payout failed and its money is available again.
        expect(payout!.status).toBe('failed');
        expect(after.available).toBe(availableBefore[i]);
      } else {
        expect(payout!.status).toBe('paid');
        expect(after.available).toBe(0);
      }
    }
    expect(availableBefore[SELLERS - 1]! >= minimum || CHECKOUTS < 150).toBe(true);

    // Every seller: the head's buckets are the sum of the entries, nothing in flight, failed payout back.
    for (const [i, seller] of sellers.entries()) {
      const entries = [];
      let cursor: number | null | undefined;
      do {
        const page = (
          await seller.get(`/api/seller/finance/entries?limit=200${cursor ? `&before=${cursor}` : ''}`)
        ).body;
        entries.push(...page.items);
        cursor = page.nextBefore;
      } while (cursor);
      const summary = (await seller.get('/api/seller/finance')).body.balance;
      expect(
        entries.reduce((s, e) => s + e.amount, 0),
        `seller ${i}`,
      ).toBe(summary.balance);
      expect(summary.pending + summary.available + summary.inFlight).toBe(summary.balance);
      expect(summary.inFlight).toBe(0);
      expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
    }

    // Every day with settlement activity balances.
    const days = new Set<string>();
    for (let t = Date.now() - 86_400_000; t <= clock.now().getTime() + 86_400_000; t += 3_600_000)
      days.add(marketDay(new Date(t), app.config.settlement.timeZone));
    let credited = 0;
    for (const day of days) {
      const result = (await admin.post(`/api/admin/finance/reconcile/${day}`)).body;
      expect(result.status, `${day}: ${JSON.stringify(result)}`).toBe('balanced');
      credited += result.orders;
    }
    expect(credited).toBe(completing.length);

    // Tampering: one credit 1 fen off, then one refund debit missing — each fails its day, with an alert.
    // Both are entries of orders released above, picked from the test's own lists. The release job
    // (settlement.release_due, every 30 s on both processes) only appends for orders still listed in
    // `settlement_release_due`; releasing removed them, a released order is never listed again, and the
    // job never rewrites an entry. So while an entry is tampered with, no job moves its order.
    const entriesCollection = app.database.connection.collection('settlement_entries');
    const credit = (await entriesCollection.findOne({
      kind: 'order_credit',
      orderId: released[0]!.orderId,
    }))!;
    expect(credit, 'the credit of a released order').toBeTruthy();
    expect(await app.core.settlement.releaseDueAt(credit.orderId)).toBeNull();
    await entriesCollection.updateOne({ _id: credit._id }, { $set: { amount: credit.amount + 1 } });
    const off = (await admin.post(`/api/admin/finance/reconcile/${credit.day}`)).body;
    expect(off.status).toBe('failed');
    expect(off.difference).toBe(-1);
    // The order is named, one fen over: its figures are the day's net for the order (a refund the same
    // day is netted in), so only the difference is the credit's.
    const tampered = (off.mismatches as { orderId: string; expected: number; recorded: number }[]).filter(
      (m) => m.orderId === credit.orderId,
    );
    expect(tampered).toHaveLength(1);
    expect(tampered[0]!.recorded - tampered[0]!.expected).toBe(1);
    await entriesCollection.updateOne({ _id: credit._id }, { $set: { amount: credit.amount } });
    expect((await admin.post(`/api/admin/finance/reconcile/${credit.day}`)).body.status).toBe('balanced');

    // A refund after release (`lateRefunds`) is one on a released order.
    const debit = (await entriesCollection.findOne({
      kind: 'refund_debit',
      orderId: lateRefunds[0]!.orderId,
    }))!;
    expect(debit, 'the debit of a refund after release').toBeTruthy();
    expect(await app.core.settlement.releaseDueAt(debit.orderId)).toBeNull();
    // Missing from its day, but not deleted: a hole in the seller's stream would make the next append to
    // it (the hourly settlement catch-up re-settles every order; payouts) stop at the hole and record the
    // refund again or write into the gap. Moved to a day nobody settles on, the stream stays whole.
    await entriesCollection.updateOne({ _id: debit._id }, { $set: { day: '2000-01-01' } });
    const missing = (await admin.post(`/api/admin/finance/reconcile/${debit.day}`)).body;
    expect(missing.status).toBe('failed');
    expect(missing.difference).toBe(debit.amount);
    await entriesCollection.updateOne({ _id: debit._id }, { $set: { day: debit.day } });
    expect((await admin.post(`/api/admin/finance/reconcile/${debit.day}`)).body.status).toBe('balanced');
    const alerts = await app.core.alerts.recent(100);
    expect(alerts.filter((a) => a.kind === 'reconciliation_failed').length).toBeGreaterThanOrEqual(2);

    const overview = (await admin.get('/api/admin/finance')).body;
    if (availableBefore[SELLERS - 1]! >= minimum)
      expect(overview.failed.some((p) => p.sellerId === sellers[SELLERS - 1]!.user.id)).toBe(true);
  });
});
