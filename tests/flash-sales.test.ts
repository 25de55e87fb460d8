import Keygrip from 'keygrip';
import { randomBytes } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACES, type FlashRemainingMessage } from '@market/realtime/contract';
import { sessionKeys } from '@market/web/session-keys';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { createTestClock, type TestClock } from './support/clock';
import { deliverAndComplete } from './support/money';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { sampleUntilStopped, waitFor, type AppProcess } from './support/process';
import { startRedis, type TestRedis } from './support/redis';

/**
 * Flash sales over the real API: hundreds of signed-in buyers press "claim" at once for a few units,
 * against two app processes sharing Redis and against one process without Redis. Exactly the sale's
 * quantity is won, nobody wins twice, the held units never leave normal stock negative, and lapsed
 * claims go back to the pool to be won again.
 */

const BUYERS = 500;
const UNITS = 20;
const MINUTE = 60_000;
const PICKUP = { method: 'pickup', pickupPointId: 'pk-sh-jingan' };

interface Buyer {
  id: string;
  cookie: string;
  csrf: string;
}
interface ClaimReply {
  status: number;
  body: { status?: string; token?: string; remaining?: number; error?: { code: string; message: string } };
}

/**
 * Buyers with live sessions, made before the spike: one account registers over the API, the rest are
 * copies of its user document (argon2 hashing 500 passwords would take the test's time, not the sale's).
 */
async function prepareBuyers(app: TestApp, count: number): Promise<Buyer[]> {
  const template = await registerUser(app);
  const users = app.database.connection.collection('users');
  const doc = await users.findOne({ _id: template.user.id } as never);
  if (!doc) throw new Error('template user missing');
  const tag = randomBytes(4).toString('hex');
  const ids = Array.from({ length: count }, (_, i) => `usr_flash_${tag}_${i}`);
  await users.insertMany(
    ids.map((id, i) => ({ ...doc, _id: id, email: `flash-${tag}-${i}@example.com` })) as never[],
  );
  const keys = new Keygrip(sessionKeys(app.config));
  const buyers: Buyer[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const batch = await Promise.all(
      ids.slice(i, i + 50).map(async (id) => {
        const session = await app.core.auth.startSession(id);
        const sig = keys.sign(`sid=${session.token}`);
        return { id, cookie: `sid=${session.token}; sid.sig=${sig}`, csrf: session.csrfToken };
      }),
    );
    buyers.push(...batch);
  }
  return buyers;
}

async function claim(url: string, buyer: Buyer, saleId: string): Promise<ClaimReply> {
  const res = await fetch(`${url}/api/flash-sales/${saleId}/claim`, {
    method: 'POST',
    headers: { cookie: buyer.cookie, 'x-csrf-token': buyer.csrf, 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, body: (await res.json()) as ClaimReply['body'] };
}

/** Every buyer presses claim once, all at once; buyer i talks to `urls[i % urls.length]`. */
async function spike(urls: string[], buyers: Buyer[], saleId: string) {
  const replies = await Promise.all(buyers.map((b, i) => claim(urls[i % urls.length]!, b, saleId)));
  const failed = replies.filter((r) => r.status !== 200);
  expect(failed.slice(0, 3)).toEqual([]);
  const winners = buyers.filter((_, i) => replies[i]!.body.status === 'won');
  const losers = buyers.filter((_, i) => replies[i]!.body.status !== 'won');
  for (const r of replies) expect(['won', 'queued', 'sold_out']).toContain(r.body.status);
  return { winners, losers, replies };
}

async function createSale(
  seller: ApiClient,
  sku: string,
  clock: TestClock,
  opts: { quantity?: number; startsInMs?: number; salePrice?: number } = {},
) {
  const start = clock.now().getTime() + (opts.startsInMs ?? -1000);
  const res = await seller.post('/api/seller/flash-sales', {
    sku,
    salePrice: opts.salePrice ?? 1_990,
    quantity: opts.quantity ?? UNITS,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 60 * MINUTE).toISOString(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; quantity: number; salePrice: number };
}

async function remainingOf(client: ApiClient, saleId: string): Promise<number | undefined> {
  const list = await client.get('/api/flash-sales');
  expect(list.status).toBe(200);
  expect(Number.isNaN(Date.parse(list.body.serverNow))).toBe(false);
  return list.body.items.find((s: { id: string }) => s.id === saleId)?.remaining;
}

function flashSaleSuite(mode: 'redis' | 'memory') {
  const SECRET = randomBytes(32).toString('hex');
  const clock = createTestClock();
  let redis: TestRedis | null = null;
  let app: TestApp;
  let second: AppProcess | null = null;
  let seller: Awaited<ReturnType<typeof registerUser>>;
  let category: string;
  let buyers: Buyer[];
  let urls: string[];

  beforeAll(async () => {
    if (mode === 'redis') redis = await startRedis();
    const env: Record<string, string> = {
      SESSION_SECRET: SECRET,
      // Far longer than any wait below: a sale that shows or leaves in time did so by its event.
      FLASH_LIST_CACHE_SECONDS: '600',
      ...(redis && { REDIS_URL: redis.url }),
    };
    app = await startTestApp({ env, clock: clock.now });
    if (mode === 'redis') second = await spawnSecondNode(app, env);
    urls = second ? [app.url, second.url] : [app.url];
    seller = await registerUser(app, 'seller');
    category = await leafCategory(seller);
    buyers = await prepareBuyers(app, BUYERS);
  }, 240_000);

  afterAll(async () => {
    second?.child.kill('SIGTERM');
    await second?.exited;
    await app?.close();
    await redis?.stop();
  });

  const level = async (sku: string, productId: string) =>
    (await app.core.inventory.getLevel({ sku, productId, sellerId: seller.user.id })).available;

  it(`${BUYERS} buyers, ${UNITS} units: exactly ${UNITS} win, once each; lapsed claims are won again; cancel returns the rest once`, async () => {
    const { sku, productId } = await stockedProduct(seller, {
      stock: 50,
      price: 5_000,
      categoryId: category,
    });
    const sale = await createSale(seller, sku, clock);
    expect(await level(sku, productId)).toBe(50 - UNITS);

    const lowest = sampleUntilStopped(() => level(sku, productId), Math.min, Infinity, 5);
    const first = await spike(urls, buyers, sale.id);
    expect(first.winners).toHaveLength(UNITS);
    expect(new Set(first.winners.map((w) => w.id)).size).toBe(UNITS);
    // Units all claimed but not paid: the others are told to wait, not that it is over.
    expect(first.replies.filter((r) => r.body.status === 'queued')).toHaveLength(BUYERS - UNITS);
    expect(await lowest.stop()).toBe(50 - UNITS);
    expect(await remainingOf(seller, sale.id)).toBe(0);

    // A winner pressing again wins nothing more.
    const again = await claim(urls[1 % urls.length]!, first.winners[0]!, sale.id);
    expect(again.body.status).toBe('already_claimed');

    // Nobody pays: past the claim window the units go back to the pool (the sweep publishes it) …
    clock.advance(6 * MINUTE);
    await app.core.flashSales.sweep();
    expect(await remainingOf(seller, sale.id)).toBe(UNITS);
    // … and other buyers win them, exactly as many again (through the node whose clock moved).
    const second = await spike([app.url], first.losers, sale.id);
    expect(second.winners).toHaveLength(UNITS);
    expect(second.winners.every((w) => !first.winners.some((f) => f.id === w.id))).toBe(true);
    expect(await level(sku, productId)).toBe(50 - UNITS);

    // Cancelled with nothing paid: all 20 go back to normal stock, and only once however often it runs.
    const cancelled = await seller.post(`/api/seller/flash-sales/${sale.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('closed');
    expect(await level(sku, productId)).toBe(50);
    await app.core.flashSales.sweep();
    expect((await seller.post(`/api/seller/flash-sales/${sale.id}/cancel`)).status).toBe(409);
    expect(await level(sku, productId)).toBe(50);
    expect((await claim(app.url, first.losers[0]!, sale.id)).status).toBe(409);
  }, 240_000);

  it('winners check out at the sale price from the hold, once per claim; an unpaid checkout gives its unit back to be won again; closing returns exactly the rest', async () => {
    const { sku, productId } = await stockedProduct(seller, {
      stock: 30,
      price: 5_000,
      categoryId: category,
    });
    const sale = await createSale(seller, sku, clock, { quantity: 3, salePrice: 1_990 });
    expect(await level(sku, productId)).toBe(27);
    const alice = await registerUser(app);
    const bob = await registerUser(app);
    const carol = await registerUser(app);
    const dave = await registerUser(app);
    const claimOf = (buyer: ApiClient) => buyer.post(`/api/flash-sales/${sale.id}/claim`, {});
    const win = async (buyer: ApiClient) => {
      const res = await claimOf(buyer);
      expect(res.body.status, JSON.stringify(res.body)).toBe('won');
      return res.body.token as string;
    };
    const flashCheckout = (buyer: ApiClient, token: string) =>
      checkout(buyer, { delivery: PICKUP, flashClaim: { saleId: sale.id, token } });
    const refusesToken = (res: Awaited<ReturnType<typeof checkout>>) => {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.error.fields.map((f) => f.field)).toEqual(['body.flashClaim.token']);
    };

    // Alice wins and pays the sale price; her cart's own line stays in her cart, normal stock unchanged.
    const aliceToken = await win(alice);
    expect((await alice.post('/api/cart/lines', { sku, qty: 2 })).status).toBe(200);
    const placed = await flashCheckout(alice, aliceToken);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.total).toBe(1_990);
    expect(placed.body.orders.map((o) => o.total)).toEqual([1_990]);
    expect(await level(sku, productId)).toBe(27);
    refusesToken(await flashCheckout(alice, aliceToken));
    refusesToken(await flashCheckout(bob, aliceToken));
    await pay(alice, placed.body);
    const order = await alice.get(`/api/orders/${placed.body.orders[0]!.id}`);
    expect(order.body.lines).toEqual([
      expect.objectContaining({ sku, qty: 1, unitPrice: 1_990, lineTotal: 1_990, flashSaleId: sale.id }),
    ]);
    expect(order.body.totals).toMatchObject({ items: 1_990, shipping: 0, total: 1_990 });
    // Completed, the seller is credited the sale price less its commission (on the sale price).
    await deliverAndComplete(seller, alice, order.body.id);
    const earnings = (await seller.get(`/api/orders/${order.body.id}`)).body.earnings!;
    expect(earnings.sellerEarning).toBe(1_990 - earnings.commission);
    const credit = await waitFor(async () =>
      (await seller.get('/api/seller/finance/entries?limit=200')).body.items.find(
        (e) => e.orderId === order.body.id && e.kind === 'order_credit',
      ),
    );
    expect(credit.amount).toBe(earnings.sellerEarning);
    expect((await alice.get('/api/cart')).body.groups[0]?.lines[0]).toMatchObject({ sku, qty: 2 });
    refusesToken(await flashCheckout(alice, aliceToken));
    expect(await level(sku, productId)).toBe(27);

    // Bob wins and checks out without paying; Carol wins the last unit and never checks out.
    const bobPlaced = await flashCheckout(bob, await win(bob));
    expect(bobPlaced.status).toBe(201);
    // His payment is declined: the order still waits for payment (he may retry), the unit stays his.
    await pay(bob, bobPlaced.body, 'fail');
    const carolToken = await win(carol);
    expect((await claimOf(dave)).body.status).toBe('queued');

    // Past the claim window: Carol's unit lapses back to the pool, Bob's stays with his checkout.
    clock.advance(6 * MINUTE);
    await app.core.flashSales.sweep();
    expect(await remainingOf(seller, sale.id)).toBe(1);
    refusesToken(await flashCheckout(carol, carolToken));
    // Past Bob's checkout deadline: his order is cancelled and his unit goes back, once, to be won again.
    clock.advance(10 * MINUTE);
    await app.core.checkout.expireDue();
    await app.core.checkout.expireDue();
    const bobOrder = await bob.get(`/api/orders/${bobPlaced.body.orders[0]!.id}`);
    expect(bobOrder.body.status).toBe('cancelled');
    expect(await remainingOf(seller, sale.id)).toBe(2);
    const davePlaced = await flashCheckout(dave, await win(dave));
    expect(davePlaced.status).toBe(201);
    expect(await level(sku, productId)).toBe(27);
    // Erin wins the other and cancels her unpaid order: the unit is back in the pool at once, once.
    const erin = await registerUser(app);
    const erinPlaced = await flashCheckout(erin, await win(erin));
    expect(erinPlaced.status).toBe(201);
    expect(await remainingOf(seller, sale.id)).toBe(0);
    const erinOrder = erinPlaced.body.orders[0]!.id;
    expect((await erin.post(`/api/orders/${erinOrder}/cancel`, { reason: 'changed my mind' })).status).toBe(
      200,
    );
    expect(await remainingOf(seller, sale.id)).toBe(1);
    await app.core.checkout.expire(erinPlaced.body.checkoutId);
    expect(await remainingOf(seller, sale.id)).toBe(1);
    expect(await level(sku, productId)).toBe(27);

    // Closing: one unit sold (Alice), one in an unpaid checkout (Dave): exactly the one other returns.
    expect((await seller.post(`/api/seller/flash-sales/${sale.id}/cancel`)).status).toBe(200);
    expect(await level(sku, productId)).toBe(28);
    // Dave never pays: his unit goes to normal stock, once; Alice's stays sold.
    clock.advance(16 * MINUTE);
    await app.core.checkout.expireDue();
    await app.core.flashSales.sweep();
    expect((await dave.get(`/api/orders/${davePlaced.body.orders[0]!.id}`)).body.status).toBe('cancelled');
    expect(await level(sku, productId)).toBe(29);
    await app.core.checkout.expireDue();
    expect(await level(sku, productId)).toBe(29);
  }, 180_000);

  it('a product page lists its sale on every node from a cached list, and a sale ended on one node leaves the others within seconds', async () => {
    const { sku, productId } = await stockedProduct(seller, {
      stock: 10,
      price: 5_000,
      categoryId: category,
    });
    const other = urls[urls.length - 1]!;
    const ofProduct = async (url: string) => {
      const res = await fetch(`${url}/api/flash-sales?product=${encodeURIComponent(productId)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { id: string; productId: string }[] }).items;
    };
    // The other node holds a fresh copy without the sale: its creation must reach that copy.
    expect(await ofProduct(other)).toEqual([]);
    const sale = await createSale(seller, sku, clock, { quantity: 5 });
    expect((await ofProduct(app.url)).map((s) => s.id)).toEqual([sale.id]);
    await waitFor(async () => (await ofProduct(other)).some((s) => s.id === sale.id), 10_000, 'the new sale');
    expect((await ofProduct(other)).every((s) => s.productId === productId)).toBe(true);

    const cancelled = await seller.post(`/api/seller/flash-sales/${sale.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(await ofProduct(app.url)).toEqual([]);
    await waitFor(async () => (await ofProduct(other)).length === 0, 10_000, 'the ended sale to leave');
  }, 60_000);

  it('normal checkout cannot take the held units', async () => {
    const { sku, productId } = await stockedProduct(seller, {
      stock: 25,
      price: 5_000,
      categoryId: category,
    });
    await createSale(seller, sku, clock);
    expect(await level(sku, productId)).toBe(5);
    // Six of the 25 would need a held unit: refused. Five, the normal stock left, go through.
    const greedy = await registerUser(app);
    expect((await greedy.post('/api/cart/lines', { sku, qty: 6 })).status).toBe(200);
    expect((await checkout(greedy)).status).toBe(409);
    expect(await level(sku, productId)).toBe(5);
    const shopper = await registerUser(app);
    expect((await shopper.post('/api/cart/lines', { sku, qty: 5 })).status).toBe(200);
    expect((await checkout(shopper)).status).toBe(201);
    expect(await level(sku, productId)).toBe(0);
    const other = await registerUser(app);
    expect((await other.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    expect((await checkout(other)).status).toBe(409);
  }, 120_000);

  it('a sale cannot hold more than is in stock, and the stock is untouched then', async () => {
    const { sku, productId } = await stockedProduct(seller, { stock: 3, price: 5_000, categoryId: category });
    const start = clock.now().getTime();
    const res = await seller.post('/api/seller/flash-sales', {
      sku,
      salePrice: 100,
      quantity: 4,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + MINUTE).toISOString(),
    });
    expect(res.status).toBe(422);
    expect(res.error.fields[0].field).toBe('body.quantity');
    expect(await level(sku, productId)).toBe(3);
  });
}

describe('flash sales, two app processes sharing Redis', () => flashSaleSuite('redis'));
describe('flash sales, one process without Redis', () => flashSaleSuite('memory'));

describe('flash sale errors', () => {
  const clock = createTestClock();
  let app: TestApp;
  let seller: Awaited<ReturnType<typeof registerUser>>;
  let sku: string;
  let productId: string;

  beforeAll(async () => {
    app = await startTestApp({ clock: clock.now });
    seller = await registerUser(app, 'seller');
    ({ sku, productId } = await stockedProduct(seller, {
      stock: 10,
      price: 5_000,
      categoryId: await leafCategory(seller),
    }));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('401 anonymous, 404 unknown sale, 409 before the start and after the end', async () => {
    const sale = await createSale(seller, sku, clock, { quantity: 2, startsInMs: 10 * MINUTE });
    expect((await new ApiClient(app.url).post(`/api/flash-sales/${sale.id}/claim`, {})).status).toBe(401);
    const buyer = await registerUser(app);
    const unknown = await buyer.post('/api/flash-sales/fls_nope/claim', {});
    expect(unknown.status).toBe(404);
    const early = await buyer.post(`/api/flash-sales/${sale.id}/claim`, {});
    expect(early.status).toBe(409);
    clock.advance(11 * MINUTE);
    expect((await buyer.post(`/api/flash-sales/${sale.id}/claim`, {})).body.status).toBe('won');
    clock.advance(61 * MINUTE);
    expect(
      (await registerUser(app).then((b) => b.post(`/api/flash-sales/${sale.id}/claim`, {}))).status,
    ).toBe(409);
    // The sweep closes the ended sale and both units go back to normal stock.
    await app.core.flashSales.sweep();
    await waitFor(
      async () => (await seller.get('/api/seller/flash-sales')).body.items[0]?.status === 'closed',
    );
  });

  it('422 naming the field for bad input; 403 for another seller’s SKU', async () => {
    const start = clock.now().getTime();
    const base = {
      sku,
      salePrice: 1_000,
      quantity: 2,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + MINUTE).toISOString(),
    };
    const field = async (body: object) => {
      const res = await seller.post('/api/seller/flash-sales', body);
      expect(res.status).toBe(422);
      return res.error.fields.map((f) => f.field);
    };
    expect(await field({ ...base, salePrice: 5_000 })).toEqual(['body.salePrice']);
    expect(await field({ ...base, quantity: 0 })).toEqual(['body.quantity']);
    expect(await field({ ...base, sku: 'NO-SUCH-SKU' })).toEqual(['body.sku']);
    expect(await field({ ...base, endsAt: base.startsAt })).toEqual(['body.endsAt']);
    const other = await registerUser(app, 'seller');
    expect((await other.post('/api/seller/flash-sales', base)).status).toBe(403);
    expect((await registerUser(app).then((s) => s.post('/api/seller/flash-sales', base))).status).toBe(403);
  });

  it('pushes the units still to win to pages watching the product (Socket.IO)', async () => {
    const sale = await createSale(seller, sku, clock, { quantity: 3 });
    const socket = connect(`${app.url}${NAMESPACES.shop}`, { transports: ['websocket'], forceNew: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await new Promise((resolve) => socket.emit('products:watch', [productId], resolve));
      const heard: FlashRemainingMessage[] = [];
      socket.on('flash.remaining', (m: FlashRemainingMessage) => heard.push(m));
      const buyer = await registerUser(app);
      expect((await buyer.post(`/api/flash-sales/${sale.id}/claim`, {})).body.status).toBe('won');
      const pushed = await waitFor(async () => heard.find((m) => m.saleId === sale.id));
      expect(pushed).toMatchObject({ productId, sku, remaining: 2 });
    } finally {
      socket.disconnect();
    }
  });

  it('a sale whose creation died before its hold admits nobody and is closed without touching stock', async () => {
    const { sku: other, productId: otherId } = await stockedProduct(seller, {
      stock: 4,
      price: 5_000,
      categoryId: await leafCategory(seller),
    });
    const now = clock.now();
    // The record a create writes before it holds the units, as a crash right there leaves it.
    await app.database.connection.collection('flash_sales').insertOne({
      _id: 'fls_cut_short',
      sku: other,
      productId: otherId,
      sellerId: seller.user.id,
      salePrice: 100,
      normalPrice: 5_000,
      quantity: 2,
      perPersonLimit: 1,
      startsAt: now,
      endsAt: new Date(now.getTime() + 60 * MINUTE),
      status: 'open',
      cancelled: false,
      unsold: null,
      createdBy: seller.user.id,
      createdAt: now,
    } as never);
    const buyer = await registerUser(app);
    expect((await buyer.post('/api/flash-sales/fls_cut_short/claim', {})).status).toBe(409);
    expect((await buyer.get('/api/flash-sales')).body.items.some((s) => s.id === 'fls_cut_short')).toBe(
      false,
    );
    clock.advance(2 * MINUTE);
    await app.core.flashSales.sweep();
    const mine = (await seller.get('/api/seller/flash-sales')).body.items.find(
      (s) => s.id === 'fls_cut_short',
    );
    expect(mine).toMatchObject({ status: 'closed', cancelled: true });
    const level = await app.core.inventory.getLevel({
      sku: other,
      productId: otherId,
      sellerId: seller.user.id,
    });
    expect(level.available).toBe(4);
  });
});

describe('the demo marketplace’s offers', () => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('flash sales (two live, one upcoming, each its own shop, units out of normal stock), group deals and promotions', async () => {
    app = await startTestApp({ products: 200, offers: true });
    const { serverNow, items } = (await new ApiClient(app.url).get('/api/flash-sales')).body;
    expect(items).toHaveLength(3);
    const now = Date.parse(serverNow);
    expect(items.filter((s) => Date.parse(s.startsAt) <= now)).toHaveLength(2);
    expect(items.filter((s) => Date.parse(s.startsAt) > now)).toHaveLength(1);
    expect(new Set(items.map((s) => s.sellerId)).size).toBe(3);
    for (const sale of items) {
      expect(sale).toMatchObject({ quantity: 20, remaining: 20, perPersonLimit: 1, status: 'open' });
      expect(sale.salePrice).toBeLessThan(sale.normalPrice);
      const seeded = app.catalog!.products.find((p) => p.id === sale.productId)!;
      const variant = seeded.variants.find((v) => v.sku === sale.sku)!;
      const level = await app.core.inventory.getLevel({
        sku: sale.sku,
        productId: sale.productId,
        sellerId: sale.sellerId,
      });
      expect(level.available).toBe(variant.stock - 20);
    }

    // Four group deals, each on its own shop's product, none of them on a flash sale, open to shoppers.
    const deals = await app.core.groupBuying.listManaged({
      id: 'usr_test_admin',
      roles: ['admin'],
      shopId: null,
    });
    expect(deals).toHaveLength(4);
    expect(new Set(deals.map((d) => d.sellerId)).size).toBe(4);
    const onSale = new Set(items.map((s) => s.productId));
    for (const deal of deals) {
      expect(onSale.has(deal.productId)).toBe(false);
      const offered = (await new ApiClient(app.url).get(`/api/products/${deal.productId}/group-deals`)).body;
      expect(offered.items.map((d) => d.id)).toContain(deal.id);
    }

    // Two live promotions: the platform's spend-and-save and the first shop's 10 % off.
    const promotions = await app.core.autoPromotions.list({
      id: 'usr_test_admin',
      roles: ['admin'],
      shopId: null,
    });
    expect(promotions.filter((p) => p.live).map((p) => [p.kind, p.funding])).toEqual(
      expect.arrayContaining([
        ['spend_and_save', 'platform'],
        ['percent_off', 'seller'],
      ]),
    );
    expect(promotions).toHaveLength(2);
  });
});
