import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoWeek } from '@market/core';
import { startTestApp, type TestApp } from './support/app';
import { ROOT, waitFor } from './support/process';

/**
 * `kill -9` during a payout batch: a separate process runs the weekly batch over 40 sellers and is
 * killed once a few payouts exist; the batch then runs again (as the retried job would after a restart).
 * Nobody is paid twice — one payout, one debit, one bank transfer per seller — and nobody is left out.
 * The orders behind the balances are made through the order and payment services (the checkout's own
 * paths are the subject of other tests); the after-sales window is a second, so credits release quickly.
 */

const SELLERS = 40;
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    env: { AFTERSALES_WINDOW_DAYS: '0.00001', PAYOUT_SANDBOX_DELAY_MS: '50', PAYOUT_MINIMUM_FEN: '100' },
  });
}, 120_000);
afterAll(() => app?.close());

async function completedOrder(i: number) {
  const core = app.core;
  const id = `crash_ord_${i}`;
  const sellerId = `crash_seller_${i}`;
  const price = 5_000 + i * 13;
  const lines = [
    {
      sku: `CRASH${i}`,
      productId: `p_${i}`,
      name: 'Item',
      nameZh: '商品',
      variantTitle: '',
      image: null,
      unitPrice: price,
      qty: 1,
      lineTotal: price,
    },
  ];
  const totals = { items: price, shipping: 0, discount: 0, points: 0, total: price };
  await core.orders.createOrders([
    {
      _id: id,
      number: `CRASH-${i}`,
      checkoutId: `ck_${id}`,
      buyerId: `crash_buyer_${i}`,
      sellerId,
      shopId: `shop_${i}`,
      shopName: 'Shop',
      lines,
      delivery: { method: 'pickup', address: null, pickupPoint: { id: 'pp', name: 'pp', address: 'pp' } },
      totals,
      coupon: null,
      commission: await core.commission.linesFor({ shopId: `shop_${i}`, lines, sellerDiscount: 0 }),
      paymentId: `pay_${id}`,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  ]);
  const payment = await core.payments.open({
    paymentId: `pay_${id}`,
    checkoutId: `ck_${id}`,
    buyerId: `crash_buyer_${i}`,
    orderIds: [id],
    amount: totals.total,
    description: 'crash test',
    returnUrl: '/',
  });
  await core.payments.setStatus(payment, { status: 'succeeded' });
  await core.orders.transition(id, 'paid', { id: null, role: 'system' });
  for (const to of ['accepted', 'shipped', 'delivered'] as const)
    await core.orders.transition(id, to, { id: sellerId, role: 'seller' });
  await core.orders.transition(id, 'completed', { id: null, role: 'system' });
  await core.payouts.setAccount(sellerId, { type: 'alipay', holder: 'Seller', number: `s${i}@example.com` });
  return sellerId;
}

describe('kill -9 during a payout batch', () => {
  it('after a restart nothing is paid twice and nothing is lost', async () => {
    const sellers: string[] = [];
    for (let i = 0; i < SELLERS; i += 8)
      sellers.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(8, SELLERS - i) }, (_, j) => completedOrder(i + j)),
        )),
      );
    await waitFor(
      async () =>
        (await app.core.settlement.releaseDue()).released === 0 &&
        (await app.core.settlement.balanceOf(sellers.at(-1)!)).pending === 0,
    );
    const owed = new Map<string, number>();
    for (const s of sellers) owed.set(s, (await app.core.settlement.balanceOf(s)).available);
    expect([...owed.values()].every((v) => v > 0)).toBe(true);

    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/payout-batch-process.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        MONGO_URI: app.config.mongo.uri!,
        DB_NAME: app.config.mongo.dbName,
        PAYOUT_MINIMUM_FEN: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const payouts = app.database.connection.collection<{
      _id: string;
      sellerId: string;
      status: string;
      amount: number;
    }>('payouts');
    await waitFor(
      async () => (await payouts.countDocuments({})) >= 5 || out.includes('"done"'),
      120_000,
      'the batch to start paying',
    );
    child.kill('SIGKILL');
    await exited;
    const before = await payouts.countDocuments({});
    expect(out).not.toContain('"done"'); // killed half-way, not after it finished
    expect(before).toBeLessThan(SELLERS);

    // The restart: the batch runs again and finishes what was cut short.
    await app.core.payouts.runScheduled();
    await waitFor(
      async () => (await payouts.countDocuments({ status: 'paid' })) === SELLERS,
      120_000,
      'every payout paid',
    );

    const week = isoWeek(new Date(), app.config.settlement.timeZone);
    const all = await payouts.find({}).toArray();
    expect(all).toHaveLength(SELLERS);
    expect(new Set(all.map((p) => p.sellerId)).size).toBe(SELLERS);
    for (const p of all) expect(p._id).toBe(`po_${p.sellerId}_${week}`);
    const transfers = app.database.connection.collection('sandbox_bank_transfers');
    expect(await transfers.countDocuments({})).toBe(SELLERS);
    const entries = app.database.connection.collection<{ kind: string; sellerId: string }>(
      'settlement_entries',
    );
    for (const kind of ['payout_debit', 'payout_paid'])
      expect(await entries.countDocuments({ kind })).toBe(SELLERS);
    for (const s of sellers) {
      const balance = await app.core.settlement.balanceOf(s);
      expect(balance).toMatchObject({ available: 0, inFlight: 0, paidOut: owed.get(s) });
      expect(all.find((p) => p.sellerId === s)!.amount).toBe(owed.get(s));
    }
  }, 600_000);

  it('a bank transfer whose sender died before queueing its settlement is settled when the payout is sent again', async () => {
    // What a kill between the bank's insert and its job leaves: the transfer, and no job to settle it.
    const payoutId = 'po_orphaned_transfer';
    const db = app.database.connection;
    const transfers = db.collection<{
      _id: string;
      providerRef: string;
      amount: number;
      accountToken: string;
      createdAt: Date;
    }>('sandbox_bank_transfers');
    await transfers.insertOne({
      _id: payoutId,
      providerRef: 'sbxtr_orphan',
      amount: 1_234,
      accountToken: 'sbxacct_orphan',
      createdAt: new Date(),
    });
    const again = await app.core.payoutBank.provider.send({
      payoutId,
      amount: 1_234,
      currency: 'CNY',
      accountToken: 'sbxacct_orphan',
      description: 'resent after a crash',
    });
    expect(again.providerRef).toBe('sbxtr_orphan');
    const outcomes = db.collection<{ _id: string; status: string }>('sandbox_bank_outcomes');
    await waitFor(async () => !!(await outcomes.findOne({ _id: payoutId })), 120_000, 'the bank to settle');
    expect((await outcomes.findOne({ _id: payoutId }))!.status).toBe('paid');
  }, 180_000);
});
