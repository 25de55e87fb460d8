import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NAMESPACES, type NamespaceName, type OrderStatusMessage } from '@market/realtime/contract';
import { startTestApp, type TestApp } from './support/app';
import { assertUiBuilt, launchBrowser, openPage, screenshot } from './support/browser';
import { ApiClient } from './support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { spawnApp, waitFor, type AppProcess } from './support/process';
import { startRedis, type TestRedis } from './support/redis';

/**
 * Two app nodes sharing one FerretDB and one real redis-server: node A runs in this process, node B is
 * a separate `web/src/main.ts` process. Events produced on one node reach clients of the other exactly
 * once, through the Redis event bus and the Socket.IO Redis streams adapter.
 */

const SECRET = randomBytes(32).toString('hex');
const UI_TIMEOUT = 20_000;
const LOGIN_ATTEMPTS = 4;
/** Searches one address may make per 10 s, shared by both nodes through Redis. */
const SEARCHES_PER_IP = 8;
/**
 * Sessions stay in each node's memory far longer than any wait below, so a node that stops honouring an
 * ended session or a changed user can only have learnt it from the other node's event.
 */
const SESSION_CACHE_SECONDS = 300;

let redis: TestRedis;
let a: TestApp;
let b: AppProcess;
let browser: Browser;
const sockets: Socket[] = [];

function open(url: string, name: NamespaceName, cookie?: string): Promise<Socket> {
  const socket = connect(`${url}${NAMESPACES[name]}`, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

beforeAll(async () => {
  assertUiBuilt();
  redis = await startRedis();
  a = await startTestApp({
    products: 12,
    env: {
      SESSION_SECRET: SECRET,
      REDIS_URL: redis.url,
      LOGIN_MAX_ATTEMPTS: String(LOGIN_ATTEMPTS),
      RATE_LIMIT_SEARCH_PER_IP: String(SEARCHES_PER_IP),
      SESSION_CACHE_SECONDS: String(SESSION_CACHE_SECONDS),
    },
  });
  b = await spawnApp({
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: a.config.mongo.dbName,
    SESSION_SECRET: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    REDIS_URL: redis.url,
    LOGIN_MAX_ATTEMPTS: String(LOGIN_ATTEMPTS),
    RATE_LIMIT_SEARCH_PER_IP: String(SEARCHES_PER_IP),
    SESSION_CACHE_SECONDS: String(SESSION_CACHE_SECONDS),
    DATA_DIR: a.config.dataDir + '-b',
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  if (process.env.DEBUG_B) console.log(b?.output());
  sockets.forEach((s) => s.close());
  await browser?.close();
  if (b && b.child.exitCode === null) {
    b.child.kill('SIGTERM');
    await b.exited;
  }
  await a?.close();
  await redis?.stop();
});

describe('realtime across two nodes', () => {
  it('shows a stock change made on node A in a browser connected to node B', async () => {
    const product = a.catalog!.products[0]!;
    const variant = product.variants[0]!;
    const { page, context, errors } = await openPage(browser, `${b.url}/p/${product.id}`);
    try {
      await page.locator('[data-testid="live-indicator"][data-live="true"]').waitFor({ timeout: UI_TIMEOUT });
      const seller = new ApiClient(a.url);
      await seller.login(a.catalog!.sellers.find((s) => s.id === product.sellerId)!.email, a.password);
      const res = await seller.put(
        `/api/products/${product.id}/variants/${encodeURIComponent(variant.sku)}/stock`,
        { available: 3 },
      );
      expect(res.status).toBe(200);
      const badge = page.locator(`[data-testid="stock-badge"][data-sku="${variant.sku}"]`);
      await expect.poll(() => badge.getAttribute('data-available'), { timeout: UI_TIMEOUT }).toBe('3');
      await screenshot(page, 'multinode-stock');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('delivers an order status change to the shopper, the seller and support exactly once', async () => {
    const seller = await registerUser(a, 'seller');
    const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const buyer = await registerUser(b.url);
    expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const support = new ApiClient(a.url);
    await support.login('support@bazaar.test', a.password);

    // Sockets on both nodes; the buyer has two tabs, one per node, and follows the order in one.
    const listeners = {
      buyerOnB: await open(b.url, 'shop', buyer.cookieHeader()),
      buyerOnA: await open(a.url, 'shop', buyer.cookieHeader()),
      sellerOnA: await open(a.url, 'seller', seller.cookieHeader()),
      supportOnA: await open(a.url, 'support', support.cookieHeader()),
      supportOnB: await open(b.url, 'support', support.cookieHeader()),
    };
    const got = Object.fromEntries(Object.keys(listeners).map((k) => [k, [] as OrderStatusMessage[]]));
    for (const [name, socket] of Object.entries(listeners))
      socket.on('order.status_changed', (m: OrderStatusMessage) => got[name]!.push(m));

    const placed = await checkout(buyer); // on node B
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0]!.id as string;
    expect(await listeners.buyerOnB.emitWithAck('order:watch', orderId)).toEqual({ ok: true });
    await pay(buyer, placed.body); // the webhook lands on node B too

    // The seller accepts on node A.
    const accepted = await seller.post(`/api/orders/${orderId}/accept`, {});
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);

    const statuses = (name: string) =>
      got[name]!.filter((m) => m.orderId === orderId && m.event === 'status').map((m) => m.status);
    await waitFor(
      async () => Object.keys(listeners).every((name) => statuses(name).includes('accepted')),
      15_000,
      'accepted everywhere',
    );
    await new Promise((r) => setTimeout(r, 500)); // room for duplicates to show up
    for (const name of Object.keys(listeners)) {
      const seen = statuses(name);
      expect(
        seen.filter((s) => s === 'paid'),
        name,
      ).toHaveLength(1);
      expect(
        seen.filter((s) => s === 'accepted'),
        name,
      ).toHaveLength(1);
    }
  });

  it("refuses and logs a shopper trying to join the support feed or another shopper's order", async () => {
    const seller = await registerUser(a, 'seller');
    const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const owner = await registerUser(a.url);
    await owner.post('/api/cart/lines', { sku, qty: 1 });
    const orderId = (await checkout(owner)).body.orders[0]!.id as string;

    const intruder = await registerUser(b.url);
    const refused = await open(b.url, 'support', intruder.cookieHeader()).then(
      () => null,
      (err: Error & { data?: { status?: number } }) => err.data?.status,
    );
    expect(refused).toBe(403);
    const shop = await open(b.url, 'shop', intruder.cookieHeader());
    expect(await shop.emitWithAck('order:watch', orderId)).toMatchObject({ ok: false });
    await waitFor(
      async () =>
        b.output().includes('realtime connection refused') &&
        b.output().includes('realtime join refused') &&
        b.output().includes(intruder.user.id),
      5_000,
      'refusals in the log',
    );
  });

  it('counts failed logins across nodes, so more nodes do not mean more guesses', async () => {
    const victim = await registerUser(a.url);
    for (let i = 0; i < LOGIN_ATTEMPTS; i++) {
      const res = await new ApiClient(i % 2 ? b.url : a.url).post('/api/auth/login', {
        email: victim.user.email,
        password: `wrong guess ${i}`,
      });
      expect(res.status).toBe(401);
    }
    for (const url of [a.url, b.url]) {
      const res = await new ApiClient(url).post('/api/auth/login', {
        email: victim.user.email,
        password: victim.password,
      });
      expect(res.status, url).toBe(429);
    }
  });

  it('a logged-out socket stops receiving order events on both nodes of a Redis pair', async () => {
    const seller = await registerUser(a, 'seller');
    const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const buyer = await registerUser(b.url);
    expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
    const placed = await checkout(buyer);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0]!.id;
    // The same shopper in another browser: a second session, the positive control.
    const otherBrowser = new ApiClient(a.url);
    await otherBrowser.login(buyer.user.email, 'long enough password');

    const loggedOut = {
      onA: await open(a.url, 'shop', buyer.cookieHeader()),
      onB: await open(b.url, 'shop', buyer.cookieHeader()),
    };
    const stays = await open(b.url, 'shop', otherBrowser.cookieHeader());
    for (const socket of [loggedOut.onA, loggedOut.onB, stays])
      expect(await socket.emitWithAck('order:watch', orderId)).toEqual({ ok: true });
    const got = { onA: [] as string[], onB: [] as string[], stays: [] as string[] };
    const record = (list: string[]) => (m: OrderStatusMessage) => {
      if (m.orderId === orderId) list.push(m.status);
    };
    loggedOut.onA.on('order.status_changed', record(got.onA));
    loggedOut.onB.on('order.status_changed', record(got.onB));
    stays.on('order.status_changed', record(got.stays));
    const reasons = Promise.all(
      [loggedOut.onA, loggedOut.onB].map((s) => new Promise((resolve) => s.once('disconnect', resolve))),
    );
    const oldCookie = buyer.cookieHeader();

    // Logged out through node A: the socket on node B goes too, through the Redis adapter.
    buyer.baseUrl = a.url;
    expect((await buyer.post('/api/auth/logout')).status).toBe(204);
    expect(await reasons).toEqual(['io server disconnect', 'io server disconnect']);
    expect(stays.connected).toBe(true);

    // A new join with the old cookie is refused on either node.
    for (const url of [a.url, b.url]) {
      const again = await open(url, 'shop', oldCookie);
      expect(await again.emitWithAck('order:watch', orderId), url).toMatchObject({ ok: false });
    }

    // The order moves on: the other session hears it, the logged-out sockets hear nothing.
    await pay(otherBrowser, placed.body);
    await waitFor(async () => got.stays.includes('paid'), 15_000, 'paid on the staying session');
    expect(got.onA).toEqual([]);
    expect(got.onB).toEqual([]);
  });

  it('recovers a live session across the pair, and refuses to recover one that ended meanwhile', async () => {
    const recover = async (endWhileAway: boolean) => {
      const shopper = await registerUser(a.url);
      const socket = connect(`${b.url}${NAMESPACES.shop}`, {
        transports: ['websocket'],
        extraHeaders: { cookie: shopper.cookieHeader() },
        forceNew: true,
        reconnection: false,
      });
      sockets.push(socket);
      // The hello broadcast carries the first offset to resume from (it comes back through the stream).
      const hello = new Promise<void>((resolve) => socket.once('server:hello', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      await hello;
      const kept = async () => (await a.redis!.keys('sio:session:*')).length;
      const before = await kept();
      socket.io.engine.close(); // a network blip; node B keeps the recovery session in Redis
      await waitFor(async () => (await kept()) > before, 10_000, 'recovery session stored');
      if (endWhileAway) expect((await shopper.post('/api/auth/logout')).status).toBe(204); // via node A
      const back = new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      socket.connect();
      await back;
      return socket.recovered;
    };
    expect(await recover(false)).toBe(true);
    expect(await recover(true)).toBe(false);
  });

  it("ends a blocked account's sockets on both nodes", async () => {
    const victim = await registerUser(a.url);
    const sockets = [
      await open(a.url, 'shop', victim.cookieHeader()),
      await open(b.url, 'shop', victim.cookieHeader()),
    ];
    const gone = Promise.all(sockets.map((s) => new Promise((resolve) => s.once('disconnect', resolve))));
    const admin = new ApiClient(b.url);
    await admin.login('admin@bazaar.test', a.password);
    expect(
      (await admin.post(`/api/admin/users/${victim.user.id}/block`, { reason: 'stolen card use' })).status,
    ).toBe(200);
    expect(await gone).toEqual(['io server disconnect', 'io server disconnect']);
  });

  it('a session node B answers from memory ends there when node A logs it out, blocks the user or changes their roles', async () => {
    const admin = new ApiClient(a.url);
    await admin.login('admin@bazaar.test', a.password);
    /** What node B says the cookie's session is (it resolved, and so cached, it on the first call). */
    const seenOnB = async (client: ApiClient) => {
      const res = await fetch(`${b.url}/api/auth/session`, { headers: { cookie: client.cookieHeader() } });
      return ((await res.json()) as { user: { roles: string[] } | null }).user;
    };
    const [loggingOut, blocked, promoted] = await Promise.all([
      registerUser(a.url),
      registerUser(a.url),
      registerUser(a.url),
    ]);
    for (const client of [loggingOut, blocked, promoted]) expect(await seenOnB(client)).not.toBeNull();

    expect((await loggingOut.post('/api/auth/logout')).status).toBe(204);
    await waitFor(async () => (await seenOnB(loggingOut)) === null, 10_000, 'logout reaches node B');

    const block = await admin.post(`/api/admin/users/${blocked.user.id}/block`, { reason: 'card testing' });
    expect(block.status).toBe(200);
    await waitFor(async () => (await seenOnB(blocked)) === null, 10_000, 'block reaches node B');

    expect((await seenOnB(promoted))?.roles).toEqual(['shopper']);
    const roles = await admin.put(`/api/admin/users/${promoted.user.id}/roles`, {
      roles: ['shopper', 'support'],
      reason: 'joins the support team',
    });
    expect(roles.status, JSON.stringify(roles.body)).toBe(200);
    await waitFor(
      async () => (await seenOnB(promoted))?.roles.includes('support') ?? false,
      10_000,
      'new roles reach node B',
    );
  });

  it('shares search budgets between the nodes, so more nodes do not mean more requests', async () => {
    for (let i = 0; i < SEARCHES_PER_IP; i++) {
      const res = await fetch(`${i % 2 ? b.url : a.url}/api/search?q=budget${i}`);
      expect(res.status, `search ${i}`).toBe(200);
    }
    for (const url of [a.url, b.url]) {
      const res = await fetch(`${url}/api/search?q=one-more`);
      expect(res.status, url).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('tells its clients to reconnect elsewhere when a node shuts down', async () => {
    const socket = await open(b.url, 'shop');
    const draining = new Promise<{ reconnectAfterMs: number }>((resolve) =>
      socket.once('server:draining', resolve),
    );
    b.child.kill('SIGTERM');
    expect((await draining).reconnectAfterMs).toBeGreaterThan(0);
    expect(await b.exited).toBe(0);
  });
});
