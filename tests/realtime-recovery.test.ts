import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NAMESPACES, type StockChangedMessage } from '@market/realtime/contract';
import type { RealtimeSocket } from '@market/web/ui/realtime/socket';
import { StockSubscriptions } from '@market/web/ui/realtime/stock-subscriptions';
import { startTestApp, type TestApp } from './support/app';
import { assertUiBuilt, launchBrowser, openPage, screenshot } from './support/browser';
import { ApiClient } from './support/client';
import { freePort, spawnApp, waitFor, type AppProcess } from './support/process';
import { startRedis, type TestRedis } from './support/redis';

/**
 * What connection-state recovery promises, tested rather than assumed (README, "Realtime"). Node B (in
 * this process) changes stock through its API, one change after another; node A (a separate process)
 * serves the watching clients; both share FerretDB and Redis (the streams adapter). Node A then goes
 * away and a new process takes its address.
 *
 * - Graceful stop (SIGTERM): every client comes back `recovered === true` with every event it missed.
 * - `kill -9`: no session was written for the dead node's clients, so they come back
 *   `recovered === false` — and then read their state again, as the app does.
 * - In both: a client marked recovered has every event published while it was away.
 */

const SECRET = randomBytes(32).toString('hex');
const CLIENTS = 6;
let redis: TestRedis;
let b: TestApp;
let browser: Browser | undefined;
const nodes: AppProcess[] = [];
const sockets: Socket[] = [];

function nodeEnv(extra: Record<string, string> = {}) {
  return {
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: b.config.mongo.dbName,
    SESSION_SECRET: SECRET,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: `${b.config.dataDir}-a`,
    ...extra,
  };
}

async function stopNode(node: AppProcess, signal: NodeJS.Signals) {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill(signal);
  await node.exited;
}

beforeAll(async () => {
  redis = await startRedis();
  b = await startTestApp({ products: 4, env: { SESSION_SECRET: SECRET, REDIS_URL: redis.url } });
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await browser?.close();
  for (const node of nodes) await stopNode(node, 'SIGTERM');
  await b?.close();
  await redis?.stop();
});

/**
 * A client built from the storefront's own pieces: the socket.io client and `StockSubscriptions`, which
 * watches again and tells its `onReconnect` listeners to re-read after a connection that was not
 * recovered (what ProductPage does with it).
 */
function watchingClient(url: string, productId: string, sku: string) {
  const socket = connect(`${url}${NAMESPACES.shop}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  sockets.push(socket);
  const subscriptions = new StockSubscriptions(socket as unknown as RealtimeSocket);
  subscriptions.watch(productId);
  const client = {
    socket,
    received: new Set<number>(),
    /** `recovered` at each connect after the first. */
    reconnects: [] as boolean[],
    refetches: 0,
    latest: { version: 0, available: -1 },
    apply(version: number, available: number) {
      if (version >= client.latest.version) client.latest = { version, available };
    },
  };
  let connects = 0;
  socket.on('connect', () => {
    if (connects++ > 0) client.reconnects.push(socket.recovered);
  });
  socket.on('stock.changed', (m: StockChangedMessage) => {
    if (m.sku !== sku) return;
    client.received.add(m.version);
    client.apply(m.version, m.available);
  });
  subscriptions.onReconnect(() => {
    client.refetches++;
    void new ApiClient(url).get(`/api/products/${productId}`).then((res) => {
      const variant = (
        res.body as { variants: { sku: string; available: number; stockVersion: number }[] }
      ).variants.find((v) => v.sku === sku)!;
      client.apply(variant.stockVersion, variant.available);
    });
  });
  return client;
}

/** Changes the stock over and over through node B, keeping each change's ledger version. */
function produce(seller: ApiClient, productId: string, sku: string) {
  const published: { version: number; available: number }[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 1; running; i++) {
      const res = await seller.put(`/api/products/${productId}/variants/${encodeURIComponent(sku)}/stock`, {
        available: 1000 + i,
      });
      expect(res.status).toBe(200);
      published.push({ version: res.body.version as number, available: 1000 + i });
    }
  })();
  return {
    published,
    async stop() {
      running = false;
      await loop;
      return published;
    },
  };
}

async function seller(productSellerId: string) {
  const client = new ApiClient(b.url);
  await client.login(b.catalog!.sellers.find((s) => s.id === productSellerId)!.email, b.password);
  return client;
}

async function replaceNode(signal: NodeJS.Signals) {
  const port = await freePort();
  const a = await spawnApp(nodeEnv({ REDIS_URL: redis.url }), 120_000, port);
  nodes.push(a);
  const product = b.catalog!.products[signal === 'SIGKILL' ? 0 : 1]!;
  const sku = product.variants[0]!.sku;
  const clients = Array.from({ length: CLIENTS }, () => watchingClient(a.url, product.id, sku));
  const producer = produce(await seller(product.sellerId), product.id, sku);
  await waitFor(async () => clients.every((c) => c.received.size > 0), 20_000, 'every client receiving');

  const goneAt = producer.published.length;
  await stopNode(a, signal);
  await waitFor(async () => producer.published.length >= goneAt + 10, 20_000, 'changes while A is away');
  const replacement = await spawnApp(nodeEnv({ REDIS_URL: redis.url }), 120_000, port);
  nodes.push(replacement);
  await waitFor(async () => clients.every((c) => c.reconnects.length > 0), 30_000, 'every client back');
  const reconnectedAt = producer.published.length;
  await waitFor(async () => producer.published.length >= reconnectedAt + 5, 20_000, 'changes after');
  const published = await producer.stop();
  const last = published.at(-1)!;
  await waitFor(
    async () => clients.every((c) => c.latest.version === last.version),
    20_000,
    'every client at the last change',
  );

  for (const c of clients) {
    expect(c.latest.available).toBe(last.available);
    // The invariant in both cases: recovered means nothing was missed.
    if (c.reconnects.every((r) => r)) {
      const missing = published.filter((p) => !c.received.has(p.version));
      expect(missing).toEqual([]);
    }
  }
  clients.forEach((c) => c.socket.close());
  await stopNode(replacement, 'SIGTERM');
  return clients;
}

describe('realtime recovery when a node goes away', () => {
  it('recovers every client with every missed event after a graceful stop (Redis streams adapter)', async () => {
    const clients = await replaceNode('SIGTERM');
    for (const c of clients) {
      expect(c.reconnects).toEqual([true]);
      expect(c.refetches).toBe(0);
    }
  }, 240_000);

  it('after kill -9, marks no client recovered, and each one reads its state again', async () => {
    const clients = await replaceNode('SIGKILL');
    for (const c of clients) {
      expect(c.reconnects).toEqual([false]);
      expect(c.refetches).toBe(1);
    }
  }, 240_000);

  it('shows a change made while its node was dead in an open product page (browser, one node)', async () => {
    assertUiBuilt();
    browser = await launchBrowser();
    const port = await freePort();
    const env = nodeEnv({ DATA_DIR: `${b.config.dataDir}-c` }); // no Redis: in-memory sessions only
    const c = await spawnApp(env, 120_000, port);
    nodes.push(c);
    const product = b.catalog!.products[2]!;
    const variant = product.variants[0]!;
    const { page, context } = await openPage(browser, `${c.url}/p/${product.id}`);
    try {
      const live = page.locator('[data-testid="live-indicator"][data-live="true"]');
      await live.waitFor({ timeout: 20_000 });
      await stopNode(c, 'SIGKILL');
      await page.locator('[data-testid="live-indicator"][data-live="false"]').waitFor({ timeout: 20_000 });
      const res = await (
        await seller(product.sellerId)
      ).put(`/api/products/${product.id}/variants/${encodeURIComponent(variant.sku)}/stock`, {
        available: 4321,
      });
      expect(res.status).toBe(200);
      nodes.push(await spawnApp(env, 120_000, port));
      const badge = page.locator(`[data-testid="stock-badge"][data-sku="${variant.sku}"]`);
      await expect.poll(() => badge.getAttribute('data-available'), { timeout: 30_000 }).toBe('4321');
      await live.waitFor({ timeout: 20_000 });
      await screenshot(page, 'recovery-after-kill');
    } finally {
      await context.close();
    }
  }, 240_000);
});
