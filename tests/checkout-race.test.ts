import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import type { ApiClient } from './support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { sampleUntilStopped, type AppProcess } from './support/process';

/**
 * Overselling races: many shoppers check out the same SKU at once, against one app process and against
 * two app processes sharing one FerretDB (an in-process lock would pass the first and fail the second).
 */

const SHOPPERS = 200;
const SECRET = randomBytes(32).toString('hex');

let app: TestApp;
let second: AppProcess;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ products: 12, env: { SESSION_SECRET: SECRET } });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
  });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

/** `count` shoppers, each with `qty` of `sku` in their cart; shopper i talks to `urls[i % urls.length]`. */
async function shoppersWith(sku: string, count: number, urls: string[]) {
  const shoppers: (ApiClient & { user: { id: string } })[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async (_, j) => {
        const shopper = await registerUser(urls[(i + j) % urls.length]!);
        const added = await shopper.post('/api/cart/lines', { sku, qty: 1 });
        expect(added.status).toBe(200);
        return shopper;
      }),
    );
    shoppers.push(...batch);
  }
  return shoppers;
}

/** Polls the ledger head during a race and remembers the lowest available count it saw. */
function watchStock(sku: string, productId: string) {
  return sampleUntilStopped(
    async () => (await app.core.inventory.getLevel({ sku, productId, sellerId: seller.user.id })).available,
    Math.min,
    Infinity,
    5,
  );
}

async function ledgerOf(sku: string) {
  return app.core.inventory.history(sku, 10_000);
}

describe.each([
  ['one app process', () => [app.url]],
  ['two app processes sharing one FerretDB', () => [app.url, second.url]],
])('checkout races on %s', (_name, urls) => {
  it(`sells exactly 10 units to ${SHOPPERS} concurrent checkouts of a SKU with 10 in stock`, async () => {
    const item = await stockedProduct(seller, { stock: 10, price: 4900, categoryId: category });
    const shoppers = await shoppersWith(item.sku, SHOPPERS, urls());
    const watch = watchStock(item.sku, item.productId);
    const results = await Promise.all(shoppers.map((s) => checkout(s)));
    const lowest = await watch.stop();

    const placed = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status !== 201);
    expect(placed).toHaveLength(10);
    expect(new Set(refused.map((r) => `${r.status} ${r.error.code}`))).toEqual(
      new Set(['409 insufficient_stock']),
    );
    expect(lowest).toBeGreaterThanOrEqual(0);

    await Promise.all(placed.map((r) => pay(shoppers[results.indexOf(r)]!, r.body)));
    const level = await app.core.inventory.getLevel({
      sku: item.sku,
      productId: item.productId,
      sellerId: seller.user.id,
    });
    expect(level.available).toBe(0);
    const ledger = await ledgerOf(item.sku);
    expect(ledger.every((e) => e.available >= 0)).toBe(true);
    expect(ledger.filter((e) => e.reason === 'reservation')).toHaveLength(10);
    expect(ledger.filter((e) => e.reason === 'release')).toHaveLength(0);
    const orders = await app.core.orders.getMany(placed.map((r) => r.body.orders[0]!.id));
    expect(orders.map((o) => o.status)).toEqual(Array(10).fill('paid'));
  }, 180_000);

  it(`redeems a coupon limited to 5 uses exactly 5 times under ${SHOPPERS} concurrent checkouts`, async () => {
    const item = await stockedProduct(seller, { stock: 1000, price: 10_000, categoryId: category });
    const code = `RACE${randomBytes(3).toString('hex').toUpperCase()}`;
    const coupon = await app.core.promotions.createCoupon(
      { id: 'usr_race_admin', roles: ['admin'], shopId: null },
      { code, kind: 'fixed', value: 1000, usageLimit: 5, perUserLimit: 1 },
    );
    const shoppers = await shoppersWith(item.sku, SHOPPERS, urls());
    const results = await Promise.all(shoppers.map((s) => checkout(s, { couponCode: code })));
    const placed = results.filter((r) => r.status === 201);
    expect(placed).toHaveLength(5);
    for (const r of placed) expect(r.body.total).toBe(10_000 - 1000);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect([409, 422]).toContain(r.status);
      expect(JSON.stringify(r.error)).toContain('couponCode');
    }
    expect(await app.core.promotions.redemptionCount(coupon.id)).toBe(5);
    // Only the 5 winners took stock; whatever a refused checkout had taken came back.
    const level = await app.core.inventory.getLevel({
      sku: item.sku,
      productId: item.productId,
      sellerId: seller.user.id,
    });
    expect(level.available).toBe(1000 - 5);
  }, 180_000);
});
