import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '@market/core/db';
import { ApiClient } from './support/client';
import { coreOn } from './support/accounts';
import { ADDRESS, pay, registerUser } from './support/commerce';
import { insertMiscCategory, restartableEnv, spawnApp, waitFor, type AppProcess } from './support/process';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-checkout-crash-'));
const children: AppProcess[] = [];
afterAll(async () => {
  for (const child of children) child.child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('checkout across a crash', () => {
  it('releases the stock of unpaid checkouts after kill -9 and a restart, losing and duplicating nothing', async () => {
    const env = {
      ...restartableEnv(dataDir, 'crash'),
      RESERVATION_TTL_MINUTES: '0.1', // 6 s
      LOG_LEVEL: 'warn',
    };
    const db = await connectDatabase(env.MONGODB_URI, env.MONGODB_DB);
    await insertMiscCategory(db);
    const first = await spawnApp(env);
    children.push(first);
    const seller = await registerUser({ url: first.url, core: coreOn(db) }, 'seller');
    const sku = `CRASH-${randomBytes(3).toString('hex')}`.toUpperCase();
    const product = await seller.post('/api/products', {
      name: 'Crash test kettle',
      categoryId: 'cat_misc',
      variants: [{ sku, price: 15_000, stock: 6 }],
    });
    expect(product.status).toBe(201);
    const available = async (url: string) =>
      (await new ApiClient(url).get(`/api/products/${product.body.id}`)).body.variants[0]!
        .available as number;

    // Three checkouts complete; one of them is paid. Two more are in flight when the process dies.
    const shoppers = await Promise.all(Array.from({ length: 5 }, () => registerUser(first.url)));
    for (const s of shoppers) expect((await s.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const keys = shoppers.map(() => randomUUID());
    const send = (i: number, url: string) => {
      const client = shoppers[i]!;
      client.baseUrl = url;
      return client.request('POST', '/api/checkout', {
        json: { delivery: { method: 'courier', address: ADDRESS } },
        headers: { 'idempotency-key': keys[i]! },
      });
    };
    const done = await Promise.all([0, 1, 2].map((i) => send(i, first.url)));
    for (const r of done) expect(r.status).toBe(201);
    await pay(shoppers[0]!, done[0]!.body);
    expect(await available(first.url)).toBe(3);

    const inFlight = [3, 4].map((i) => send(i, first.url).catch(() => null));
    await new Promise((r) => setTimeout(r, 40));
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(inFlight);

    const second = await spawnApp(env);
    children.push(second);
    // The checkouts were registered as open before any stock was taken; the expiry job finds them.
    await waitFor(async () => (await available(second.url)) === 5, 60_000, 'unpaid stock back on the shelf');

    const orders = db.connection.collection('orders');
    const paidId = done[0]!.body.orders[0]!.id as string;
    // Every order but the paid one ends cancelled (including any the in-flight requests had created).
    await waitFor(
      async () =>
        (await orders.find({ _id: { $ne: paidId } as never }).toArray()).every(
          (o) => o.status === 'cancelled',
        ),
      30_000,
      'unpaid orders cancelled',
    );
    const checkouts = await db.connection.collection('checkouts').find({}).toArray();
    const allOrders = await orders.find({}).toArray();
    const planned = new Set(checkouts.flatMap((c) => c.orderIds as string[]));
    expect(allOrders.every((o) => planned.has(o._id as unknown as string))).toBe(true);
    shoppers[0]!.baseUrl = second.url;
    expect((await shoppers[0]!.get(`/api/orders/${paidId}`)).body.status).toBe('paid');
    for (const i of [1, 2]) {
      shoppers[i]!.baseUrl = second.url;
      const order = await shoppers[i]!.get(`/api/orders/${done[i]!.body.orders[0]!.id}`);
      expect(order.body.status).toBe('cancelled');
    }

    // A retry of a checkout that completed before the crash returns the same checkout, not a new one.
    const retried = await send(1, second.url);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.checkoutId).toBe(done[1]!.body.checkoutId);
    expect(await orders.countDocuments({})).toBe(allOrders.length);

    const ledger = await db.connection.collection('stock_movements').find({ sku }).toArray();
    const count = (reason: string) => ledger.filter((e) => e.reason === reason).length;
    expect(count('reservation')).toBe(count('release') + 1);
    expect(ledger.every((e) => (e.available as number) >= 0)).toBe(true);

    second.child.kill('SIGTERM');
    await second.exited;
    await db.connection.dropDatabase();
    await db.close();
  }, 120_000);
});
