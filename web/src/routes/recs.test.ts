import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@market/core';
import { dayOf, RECS_RETENTION_JOB } from '@market/recommender/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { registerUser, staffAccount } from '../../../tests/support/accounts';
import { checkout, pay } from '../../../tests/support/commerce';
import { waitFor } from '../../../tests/support/process';
import { startMarketplace, type Marketplace } from '../marketplace';
import type { ProductCard, ProductDetail, Recommended, SearchHit } from '../wire';

let app: TestApp;
let admin: ApiClient;
let products: ProductCard[];
const DAY = 86_400_000;

const ids = (res: { body: { items: Recommended[] } }) => idsOf(res.body);
const idsOf = (list: { items: Recommended[] }) => list.items.map((i) => i.product.id);

/** A new anonymous visitor (its own cookie jar). */
const visitor = (base = app.url) => new ApiClient(base);

async function send(client: ApiClient, events: Record<string, unknown>[]) {
  const res = await client.post('/api/events', { events });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body as { accepted: number; duplicates: number };
}

/** A second app process on the same database (own HTTP port, own recommender, own data folder). */
async function startSecondNode(): Promise<Marketplace & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-node2-'));
  const node = await startMarketplace(
    { ...app.config, dataDir, http: { ...app.config.http, port: 0 } },
    createLogger(process.env.LOG_LEVEL ?? 'warn', 'node-2'),
  );
  await node.recs.ready();
  return Object.assign(node, {
    async dispose() {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

async function waitForJob(jobId: string) {
  return waitFor(
    async () => {
      const job = await app.core.queue.get(jobId);
      if (job?.status === 'dead') throw new Error(`job ${job.type} died: ${job.lastError}`);
      return job?.status === 'completed' ? job : null;
    },
    30_000,
    `job ${jobId}`,
  );
}

/** Two in-stock products of one category and one of another (the n-th such pair). */
function pickProducts(n = 0) {
  const stocked = products.filter((p) => p.inStock);
  const pairs = stocked.flatMap((a) =>
    stocked.filter((b) => b.categoryId === a.categoryId && b.id > a.id).map((b) => ({ a, b })),
  );
  const { a, b } = pairs[n]!;
  const other = stocked.find((p) => p.categoryId !== a.categoryId)!;
  return { a, b, other };
}

beforeAll(async () => {
  app = await startTestApp({
    products: 60,
    env: { RECS_TAIL_SECONDS: '0.3', RECS_HOT_CACHE_SECONDS: '0', RECS_EVENTS_PER_MINUTE: '200' },
  });
  await app.recs.ready();
  await app.core.listings.settled();
  products = (await visitor().get('/api/products?limit=100')).body.items;
  expect(products.length).toBe(60);
  admin = await staffAccount(app, 'admin');
});
afterAll(() => app?.close());

describe('interaction events', () => {
  it('moves a product to the top of the hot list as visitors look at it, globally and in its category', async () => {
    const target = products[17]!;
    expect(ids(await visitor().get('/api/rankings/hot?limit=5'))).not.toContain(target.id);
    for (let k = 0; k < 4; k++) {
      await send(visitor(), [
        { type: 'view', productId: target.id },
        { type: 'click', productId: target.id, id: randomUUID() },
      ]);
    }
    await app.recs.settled();
    const hot = await visitor().get('/api/rankings/hot?limit=5');
    expect(hot.status).toBe(200);
    expect(ids(hot)[0]).toBe(target.id);
    expect(hot.body.items[0]!.reasons[0]).toEqual({ kind: 'hot' });
    expect(hot.body.items[0]!.product).toMatchObject({ id: target.id, inStock: true, currency: 'CNY' });
    expect(ids(await visitor().get(`/api/rankings/hot?category=${target.categoryId}&limit=3`))[0]).toBe(
      target.id,
    );
    const other = products.find((p) => p.categoryId !== target.categoryId)!;
    expect(ids(await visitor().get(`/api/rankings/hot?category=${other.categoryId}`))).not.toContain(
      target.id,
    );
  });

  it('refuses bad batches naming the field: 422 for content, 413 for size, 429 past the rate limit', async () => {
    const client = visitor();
    const p = products[0]!.id;
    const bad = async (events: unknown, status: number, field: string) => {
      const res = await client.post('/api/events', { events });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.error.fields.map((f) => f.field)).toContain(field);
    };
    await bad([{ type: 'purchase', productId: p }], 422, 'body.events.0.type');
    await bad([{ type: 'view' }], 422, 'body.events.0.productId');
    await bad([{ type: 'search', q: '' }], 422, 'body.events.0.q');
    await bad(
      [
        { type: 'view', productId: p },
        { type: 'view', productId: 'nope' },
      ],
      422,
      'body.events.1.productId',
    );
    await bad([{ type: 'view', productId: p, at: 'yesterday' }], 422, 'body.events.0.at');
    await bad([], 422, 'body.events');
    await bad(
      Array.from({ length: 51 }, () => ({ type: 'view', productId: p })),
      413,
      'body.events',
    );
    const notJson = await client.request('POST', '/api/events', {
      body: '{"events": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);

    // 200 events a minute per actor (RECS_EVENTS_PER_MINUTE): the fifth batch of 50 is one too many.
    const batch = Array.from({ length: 50 }, (_, k) => ({ type: 'search', q: `query ${k}` }));
    for (let k = 0; k < 4; k++)
      expect((await client.post('/api/events', { events: batch })).status).toBe(202);
    const limited = await client.post('/api/events', { events: batch });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another visitor is not affected.
    expect((await visitor().post('/api/events', { events: batch.slice(0, 1) })).status).toBe(202);
  });

  it('counts the same event once: within the window, and by client id across processes', async () => {
    const shopper = await registerUser(app.url);
    const [p1, p2] = [products[30]!.id, products[31]!.id];
    expect(await send(shopper, [{ type: 'view', productId: p1 }])).toEqual({ accepted: 1, duplicates: 0 });
    expect(await send(shopper, [{ type: 'view', productId: p1 }])).toEqual({ accepted: 0, duplicates: 1 });
    const clicks = [
      { type: 'click', productId: p2, id: 'click-0001' },
      { type: 'click', productId: p1, id: 'click-0002' },
    ];
    expect(await send(shopper, clicks)).toEqual({ accepted: 2, duplicates: 0 });
    await app.recs.settled();
    expect((await shopper.get('/api/me/profile')).body.events).toBe(3);

    // A retried beacon reaching another process: that process has not seen it, the store has.
    const node2 = await startSecondNode();
    try {
      const sameSession = Object.assign(new ApiClient(node2.url), shopper, { baseUrl: node2.url });
      expect(await send(sameSession, clicks)).toEqual({ accepted: 2, duplicates: 0 });
      await node2.recs.settled();
      await app.recs.settled();
      expect((await sameSession.get('/api/me/profile')).body.events).toBe(3);
      expect((await shopper.get('/api/me/profile')).body.events).toBe(3);
      expect(await app.recs.store.countEventsOf(shopper.user.id)).toBe(3);
    } finally {
      await node2.dispose();
    }
  });

  it('reaches every app process: events sent to one move the rankings of another', async () => {
    const node2 = await startSecondNode();
    try {
      const target = products[44]!;
      for (let k = 0; k < 20; k++) await send(visitor(), [{ type: 'view', productId: target.id }]);
      await app.recs.settled();
      const here = ids(await visitor().get('/api/rankings/hot?limit=5'));
      expect(here[0]).toBe(target.id);
      await waitFor(
        async () =>
          JSON.stringify(ids(await visitor(node2.url).get('/api/rankings/hot?limit=5'))) ===
          JSON.stringify(here),
        10_000,
        'the second process to rank as the first',
      );
    } finally {
      await node2.dispose();
    }
  });
});

describe('API documentation', () => {
  it('documents the recommender routes in the OpenAPI document', async () => {
    const doc = (await visitor().get('/api/openapi.json')).body;
    for (const path of [
      '/api/events',
      '/api/rankings/hot',
      '/api/products/{id}/similar',
      '/api/products/{id}/bought-together',
      '/api/recs/feed',
      '/api/me/profile',
      '/api/admin/users/{id}/profile',
      '/api/admin/recs/status',
      '/api/admin/recs/rebuild',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(Object.keys(doc.paths['/api/me/profile'] ?? {})).toEqual(['get', 'delete']);
    // One branch per set of required fields: view and click need a product, search needs its text.
    const clientEvent = doc.components.schemas.ClientEvent as unknown as {
      oneOf: Array<{ properties: { type: { enum?: string[]; const?: string } } }>;
    };
    const branches = clientEvent.oneOf;
    expect(branches.flatMap((b) => b.properties.type.enum ?? [b.properties.type.const])).toEqual([
      'view',
      'click',
      'search',
    ]);
  });
});

describe('server-side events, profiles and recommendations', () => {
  it('learns from product pages, cart adds and paid orders', async () => {
    const { a, b, other } = pickProducts();
    const shopper = await registerUser(app.url);
    // Reading a product to refresh its stock is not interest; opening its page is.
    expect((await shopper.get(`/api/products/${other.id}`)).status).toBe(200);
    expect((await shopper.get(`/api/products/${a.id}?view=1`)).status).toBe(200);
    const detailA = (await shopper.get(`/api/products/${a.id}`)).body;
    const detailB = (await shopper.get(`/api/products/${b.id}?view=1`)).body;
    const skuOf = (d: ProductDetail) => d.variants.find((v) => v.available > 0)!.sku;
    expect((await shopper.post('/api/cart/lines', { sku: skuOf(detailA), qty: 1 })).status).toBe(200);
    expect((await shopper.post('/api/cart/lines', { sku: skuOf(detailB), qty: 1 })).status).toBe(200);
    await app.recs.settled();

    let profile = (await shopper.get('/api/me/profile')).body;
    expect(profile.events).toBe(4);
    expect(profile.recentlyViewed.map((p) => p.id)).toEqual([b.id, a.id]);
    expect(profile.categories[0]).toMatchObject({ id: a.categoryId, weight: 1 });
    expect(profile.categories[0]!.name).toEqual(expect.any(String));
    expect(profile.purchased).toEqual([]);

    const placed = await checkout(shopper);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await pay(shopper, placed.body);
    await waitFor(
      async () => (await shopper.get('/api/me/profile')).body.purchased.length === 2,
      15_000,
      'purchases in the profile',
    );
    profile = (await shopper.get('/api/me/profile')).body;
    expect(profile.purchased.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    expect(profile.events).toBe(6);

    // Bought together, both ways; and the feed never offers what the shopper already bought.
    const together = await visitor().get(`/api/products/${a.id}/bought-together`);
    expect(together.status).toBe(200);
    expect(together.body.items[0]).toMatchObject({
      product: { id: b.id },
      reasons: [{ kind: 'bought_with', itemId: a.id }],
    });
    expect(together.body.items[0]!.reasons[0]!.name).toEqual(expect.any(String));
    const feed = (await shopper.get('/api/recs/feed?limit=20')).body;
    expect(feed.personal).toBe(true);
    expect(idsOf(feed)).not.toContain(a.id);
    expect(idsOf(feed)).not.toContain(b.id);
  });

  it('finds products viewed together, and personalises the feed ("because you viewed …")', async () => {
    const stocked = products.filter((p) => p.inStock);
    const [x, y, z] = [stocked[20]!, stocked[21]!, stocked[22]!];
    for (let k = 0; k < 3; k++) {
      const browsing = visitor();
      await send(browsing, [{ type: 'view', productId: x.id }]);
      await send(browsing, [{ type: 'view', productId: y.id }]);
    }
    await app.recs.settled();
    const similar = await visitor().get(`/api/products/${x.id}/similar?limit=5`);
    expect(similar.status, JSON.stringify(similar.body)).toBe(200);
    expect(ids(similar)[0]).toBe(y.id);
    expect(similar.body.items[0]!.reasons[0]).toMatchObject({ kind: 'similar_to', itemId: x.id });

    const fresh = visitor();
    const anonymousFeed = (await fresh.get('/api/recs/feed')).body;
    expect(anonymousFeed.personal).toBe(false);
    expect(anonymousFeed.becauseYouViewed).toBeNull();
    expect(anonymousFeed.items.every((i) => i.reasons[0]?.kind === 'hot')).toBe(true);

    await send(fresh, [{ type: 'view', productId: z.id }]);
    await send(fresh, [{ type: 'view', productId: x.id }]);
    await app.recs.settled();
    const feed = (await fresh.get('/api/recs/feed?limit=12')).body;
    expect(feed.personal).toBe(true);
    expect(idsOf(feed)).toContain(y.id);
    expect(idsOf(feed)).not.toContain(x.id);
    const why = feed.items.find((i) => i.product.id === y.id)!.reasons[0];
    expect(why).toMatchObject({ kind: 'similar_to', itemId: x.id });
    // "Because you viewed x": more of x's neighbours, none the feed already shows or the visitor saw.
    expect(feed.becauseYouViewed?.product.id).toBe(x.id);
    const because = idsOf(feed.becauseYouViewed!);
    expect(because.length).toBeGreaterThanOrEqual(3);
    expect(because.filter((id) => [x.id, z.id, ...idsOf(feed)].includes(id))).toEqual([]);
    expect(feed.becauseYouViewed!.items[0]!.reasons[0]).toMatchObject({ kind: 'similar_to', itemId: x.id });
  });

  it('keeps sold-out and deleted products out of every list', async () => {
    const seller = await registerUser(app, 'seller');
    const created = await seller.post('/api/products', {
      name: 'Hot little item',
      categoryId: products[0]!.categoryId,
      variants: [{ sku: `HOT-${Date.now()}`, price: 4900, stock: 3 }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const sku = created.body.variants[0]!.sku as string;
    const sellerId = seller.user.id;
    await app.core.listings.settled();
    for (let k = 0; k < 30; k++) await send(visitor(), [{ type: 'view', productId: id }]);
    await app.recs.settled();
    const ofSeller = async () => ids(await visitor().get(`/api/rankings/hot?seller=${sellerId}`));
    const everywhere = async () => ids(await visitor().get('/api/rankings/hot?limit=50'));
    expect(await ofSeller()).toEqual([id]);
    expect((await everywhere())[0]).toBe(id);

    expect((await seller.put(`/api/products/${id}/variants/${sku}/stock`, { available: 0 })).status).toBe(
      200,
    );
    await waitFor(async () => (await ofSeller()).length === 0, 5000, 'sold out to leave the list');
    expect(await everywhere()).not.toContain(id);
    expect((await seller.put(`/api/products/${id}/variants/${sku}/stock`, { available: 5 })).status).toBe(
      200,
    );
    await waitFor(async () => (await ofSeller())[0] === id, 5000, 'restocked to come back');
    expect((await seller.delete(`/api/products/${id}`)).status).toBe(204);
    await waitFor(async () => (await ofSeller()).length === 0, 5000, 'deleted to leave the list');
    expect(await everywhere()).not.toContain(id);
    expect((await visitor().get(`/api/products/${id}/similar`)).status).toBe(404);
  });

  it('gives the account what the visitor did before logging in', async () => {
    const shopper = await registerUser(app.url);
    await shopper.post('/api/auth/logout');
    const browsing = visitor();
    const p = products[9]!;
    await send(browsing, [{ type: 'view', productId: p.id }]);
    await browsing.login(shopper.email, shopper.password);
    await app.recs.settled();
    const profile = (await browsing.get('/api/me/profile')).body;
    expect(profile.actorId).toBe(shopper.user.id);
    expect(profile.recentlyViewed.map((x) => x.id)).toEqual([p.id]);
    await app.recs.settled();
    expect((await browsing.get('/api/me/profile')).body.events).toBe(1);
  });
});

describe('search', () => {
  it('records searches, and lifts results a logged-in shopper has an affinity for, within the page', async () => {
    await app.indexer.settled();
    // A word many product names share, so one page of results spans several categories.
    const counts = new Map<string, number>();
    for (const p of products)
      for (const w of new Set(p.name.toLowerCase().match(/[a-z]{4,}/g) ?? []))
        counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].sort((x, y) => y[1] - x[1]).map(([w]) => w);
    const shopper = await registerUser(app.url);
    let plan: { q: string; before: SearchHit[]; lifted: SearchHit } | null = null;
    for (const q of words.slice(0, 15)) {
      const before = (await shopper.get(`/api/search?q=${q}&pageSize=20`)).body.hits;
      // A hit just below one of another category, close enough for a light boost to pass it.
      const k = before.findIndex(
        (h, n) =>
          n > 0 &&
          h.document.categoryId !== before[n - 1]!.document.categoryId &&
          before[n - 1]!.score < h.score * 1.1,
      );
      if (k > 0) {
        plan = { q, before, lifted: before[k]! };
        break;
      }
    }
    if (!plan) throw new Error('no query in the demo catalog gives close results across categories');
    const { q, before, lifted } = plan;
    const rankOf = (hits: SearchHit[]) => hits.findIndex((h) => h.id === lifted.id);

    const liked = products.filter((p) => p.categoryId === lifted.document.categoryId && p.id !== lifted.id);
    await send(
      shopper,
      (liked.length ? liked : [lifted.document]).slice(0, 3).map((p) => ({ type: 'view', productId: p.id })),
    );
    await app.recs.settled();
    const after = await shopper.get(`/api/search?q=${q}&pageSize=20`);
    expect(after.status).toBe(200);
    const hits = after.body.hits;
    expect(rankOf(hits)).toBeLessThan(rankOf(before));
    expect(hits.map((h) => h.id).sort()).toEqual(before.map((h) => h.id).sort());
    // Anonymous search is not re-ranked; and the shopper's searches are in their profile.
    expect((await visitor().get(`/api/search?q=${q}&pageSize=20`)).body.hits.map((h) => h.id)).toEqual(
      before.map((h) => h.id),
    );
    expect((await shopper.get('/api/me/profile')).body.recentSearches[0]!.q).toBe(q);
  });
});

describe('jobs', () => {
  it('drops event buckets older than the retention period, and keeps the rest', async () => {
    const store = app.recs.store;
    const old = new Date(Date.now() - 120 * DAY);
    const recent = new Date(Date.now() - 3 * DAY);
    const page = (at: Date, seq: number) => ({
      _id: `retention-test:${seq}`,
      node: 'retention-test',
      seq,
      at,
      events: [{ a: 'anon_retention', t: 'view' as const, i: products[1]!.id, at: at.getTime() }],
    });
    await store.writePage(page(old, 1));
    await store.writePage(page(recent, 2));
    expect(await store.eventDays()).toContain(dayOf(old.getTime()));
    const job = await app.core.queue.enqueue(RECS_RETENTION_JOB, {});
    const done = await waitForJob(job.id);
    expect(done.result).toMatchObject({ eventDays: 1 });
    const days = await store.eventDays();
    expect(days).not.toContain(dayOf(old.getTime()));
    expect(days).toContain(dayOf(recent.getTime()));
    expect(await store.countEventsOf('anon_retention')).toBe(1);
  });

  it('rebuilds every process from the event store, with progress for admins', async () => {
    // Scores, not ids: items that tie may come out in another order from a fresh engine. (Before any
    // profile reset: erased events no longer count in the rebuilt hot counters.)
    const scores = async () =>
      (await visitor().get('/api/rankings/hot?limit=10')).body.items.map((i) =>
        Number(i.score.toPrecision(3)),
      );
    const hotBefore = await scores();
    const started = await admin.post('/api/admin/recs/rebuild');
    expect(started.status).toBe(202);
    const job = await waitForJob(started.body.jobId);
    expect(job.result).toMatchObject({ nodes: 1 });
    const status = (await admin.get('/api/admin/recs/status')).body;
    expect(status.generation).toBe((job.result as { generation: number }).generation);
    expect(status.rebuild).toMatchObject({ jobId: started.body.jobId, status: 'completed' });
    const self = status.nodes.find((n) => n.id === status.thisNode);
    expect(self).toMatchObject({ live: true, state: 'ready', progress: 1, generation: status.generation });
    expect(self?.loadedEvents).toBeGreaterThan(0);
    expect(await scores()).toEqual(hotBefore);
  });
});

describe('privacy and reset', () => {
  it('shows a profile only to its owner and to admins', async () => {
    const owner = await registerUser(app.url);
    const someoneElse = await registerUser(app.url);
    await send(owner, [{ type: 'view', productId: products[5]!.id }]);
    await app.recs.settled();
    expect((await visitor().get('/api/me/profile')).status).toBe(401);
    expect((await visitor().delete('/api/me/profile')).status).toBe(401);
    expect((await visitor().get(`/api/admin/users/${owner.user.id}/profile`)).status).toBe(401);
    expect((await someoneElse.get(`/api/admin/users/${owner.user.id}/profile`)).status).toBe(403);
    expect((await someoneElse.get('/api/admin/recs/status')).status).toBe(403);
    const own = await owner.get('/api/me/profile');
    const seenByAdmin = await admin.get(`/api/admin/users/${owner.user.id}/profile`);
    expect(seenByAdmin.status).toBe(200);
    expect(seenByAdmin.body).toEqual(own.body);
    expect(seenByAdmin.body.recentlyViewed.map((p) => p.id)).toEqual([products[5]!.id]);
    expect((await admin.get('/api/admin/users/usr_nobody/profile')).status).toBe(404);
  });

  it('forgets on reset: profile, stored events and personal recommendations — also after a restart', async () => {
    const shopper = await registerUser(app.url);
    const { a, b } = pickProducts(1);
    await send(shopper, [
      { type: 'view', productId: a.id },
      { type: 'search', q: 'private words' },
    ]);
    await send(shopper, [{ type: 'view', productId: b.id }]);
    await app.recs.settled();
    const before = (await shopper.get('/api/me/profile')).body;
    expect(before.events).toBe(2);
    expect(before.recentSearches.map((s) => s.q)).toEqual(['private words']);
    expect((await shopper.get('/api/recs/feed')).body.personal).toBe(true);
    expect(await app.recs.store.countEventsOf(shopper.user.id)).toBe(3);

    const reset = await shopper.delete('/api/me/profile');
    expect(reset.status).toBe(200);
    const empty = (await shopper.get('/api/me/profile')).body;
    expect(empty).toMatchObject({
      events: 0,
      categories: [],
      brands: [],
      priceBands: [],
      recentlyViewed: [],
      purchased: [],
      recentSearches: [],
    });
    const feed = (await shopper.get('/api/recs/feed')).body;
    expect(feed.personal).toBe(false);
    expect(feed.items.every((i) => i.reasons[0]?.kind === 'hot')).toBe(true);
    await waitForJob(reset.body.eraseJobId);
    expect(await app.recs.store.countEventsOf(shopper.user.id)).toBe(0);

    // A full load (another process starting, or a restart) must not bring anything back.
    const node2 = await startSecondNode();
    try {
      const again = Object.assign(new ApiClient(node2.url), shopper, { baseUrl: node2.url });
      expect((await again.get('/api/me/profile')).body.events).toBe(0);
      expect((await again.get('/api/recs/feed')).body.personal).toBe(false);
      // New behaviour after the reset counts again.
      await send(again, [{ type: 'view', productId: b.id }]);
      await node2.recs.settled();
      expect((await again.get('/api/me/profile')).body.recentlyViewed.map((p) => p.id)).toEqual([b.id]);
    } finally {
      await node2.dispose();
    }
  });
});
