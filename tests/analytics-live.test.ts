import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { registerUser, staffAccount, type SignedIn } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { checkout, leafCategory, pay, stockedProduct } from './support/commerce';
import { spawnApp, waitFor, type AppProcess } from './support/process';
import { startRedis, type TestRedis } from './support/redis';

/**
 * The analytics live view over two app nodes sharing one FerretDB and one Redis: an order paid through
 * node A and visits recorded on node A show on node B's live view of the shop and of the platform, and
 * never on another shop's.
 */

const SECRET = randomBytes(32).toString('hex');
let redis: TestRedis;
let a: TestApp;
let b: AppProcess;
let sellerA: SignedIn;
let sellerB: SignedIn;
let admin: SignedIn;

interface Live {
  visitors: number;
  perMinute: Array<{ minute: string; orders: number; paid: number }>;
  feed: Array<{ orderId: string; total: number; units: number; city: string; shopName: string }>;
}

async function liveOn(url: string, who: SignedIn, prefix: string): Promise<Live> {
  const client = new ApiClient(url);
  await client.login(who.email, who.password);
  const res = await client.get(`${prefix}/live`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Live;
}

beforeAll(async () => {
  redis = await startRedis();
  a = await startTestApp({ products: 1, env: { SESSION_SECRET: SECRET, REDIS_URL: redis.url } });
  b = await spawnApp({
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: a.config.mongo.dbName,
    SESSION_SECRET: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    REDIS_URL: redis.url,
    DATA_DIR: a.config.dataDir + '-b',
  });
  sellerA = await registerUser(a, 'seller');
  sellerB = await registerUser(a, 'seller');
  admin = await staffAccount(a, 'admin');
}, 180_000);

afterAll(async () => {
  if (b && b.child.exitCode === null) {
    b.child.kill('SIGTERM');
    await b.exited;
  }
  await a?.close();
  await redis?.stop();
});

describe('analytics live view', () => {
  it("shows a payment and visits made through one node on the other node's live view, for that shop only", async () => {
    const { sku, productId } = await stockedProduct(sellerA, {
      price: 4_200,
      stock: 10,
      categoryId: await leafCategory(sellerA),
    });
    const before = await liveOn(b.url, sellerA, '/api/seller/analytics');
    expect(before.feed).toEqual([]);
    expect(before.perMinute).toHaveLength(60);

    const shopper = await registerUser(a.url, 'shopper');
    expect((await shopper.get(`/api/products/${productId}?view=1`)).status).toBe(200);
    expect((await shopper.post('/api/cart/lines', { sku, qty: 3 })).status).toBe(200);
    const placed = await checkout(shopper);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await pay(shopper, placed.body);
    const orderId = placed.body.orders[0]!.id;
    const total = placed.body.orders[0]!.total;

    const seller = await waitFor(
      async () => {
        const live = await liveOn(b.url, sellerA, '/api/seller/analytics');
        return live.feed.length && live.visitors ? live : null;
      },
      60_000,
      "the order and the visit on node B's live view",
    );
    expect(seller.feed).toEqual([expect.objectContaining({ orderId, total, units: 3 })]);
    expect(seller.perMinute.reduce((sum, m) => sum + m.orders, 0)).toBe(1);
    expect(seller.perMinute.reduce((sum, m) => sum + m.paid, 0)).toBe(total);
    expect(seller.visitors).toBe(1);

    const platform = await liveOn(b.url, admin, '/api/admin/analytics');
    expect(platform.feed.map((o) => o.orderId)).toContain(orderId);
    const other = await liveOn(b.url, sellerB, '/api/seller/analytics');
    expect(other.feed).toEqual([]);
    expect(other.visitors).toBe(0);

    // Sellers and shoppers do not read the platform's; the anonymous read nobody's.
    const asSeller = new ApiClient(b.url);
    await asSeller.login(sellerA.email, sellerA.password);
    expect((await asSeller.get('/api/admin/analytics/live')).status).toBe(403);
    expect((await new ApiClient(b.url).get('/api/seller/analytics/live')).status).toBe(401);
  });
});
