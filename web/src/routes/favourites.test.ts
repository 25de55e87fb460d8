import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, FANOUT_BATCH, FAVOURITE_PRICE_DROP_JOB, type DomainEvents } from '@market/core';
import { ApiClient } from '../../../tests/support/client';
import { waitFor } from '../../../tests/support/process';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { registerUser } from '../../../tests/support/accounts';
import { leafCategory, stockedProduct } from '../../../tests/support/commerce';

let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;
const drops: DomainEvents['favourite.price_dropped'][] = [];
const restocks: DomainEvents['favourite.back_in_stock'][] = [];

beforeAll(async () => {
  app = await startTestApp({ products: 5 });
  app.bus.subscribe('favourite.price_dropped', (e) => void drops.push(e));
  app.bus.subscribe('favourite.back_in_stock', (e) => void restocks.push(e));
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});
afterAll(() => app?.close());

const setPrice = (productId: string, sku: string, price: number) =>
  seller.patch(`/api/products/${productId}/variants/${sku}`, { price });
const setStock = (productId: string, sku: string, stock: number) =>
  seller.put(`/api/products/${productId}/variants/${sku}/stock`, { available: stock });
const dropsOf = (sku: string) => drops.filter((e) => e.sku === sku);
const restocksOf = (sku: string) => restocks.filter((e) => e.sku === sku);

describe('favourites', () => {
  it('adds and removes idempotently under concurrent clicks, and counts favouriters', async () => {
    const item = await stockedProduct(seller, { stock: 3, categoryId: category });
    const [a, b] = [await registerUser(app.url), await registerUser(app.url)];
    const path = `/api/me/favourites/product/${item.productId}` as const;
    const adds = await Promise.all(Array.from({ length: 12 }, () => a.put(path, {})));
    expect(adds.every((r) => r.status === 200 && r.body.favourited)).toBe(true);
    await b.put(path, {});
    expect((await new ApiClient(app.url).get(`/api/favourites/product/${item.productId}`)).body).toEqual({
      kind: 'product',
      targetId: item.productId,
      favourited: false,
      count: 2,
    });
    const removes = await Promise.all(Array.from({ length: 12 }, () => a.delete(path)));
    expect(removes.every((r) => r.status === 200 && !r.body.favourited)).toBe(true);
    expect((await a.get(`/api/favourites/product/${item.productId}`)).body).toMatchObject({
      favourited: false,
      count: 1,
    });
    // Favourite again after removing: counted again.
    expect((await a.put(path, {})).body).toMatchObject({ favourited: true, count: 2 });
  });

  it('refuses guests, unknown targets and unknown kinds', async () => {
    const shopper = await registerUser(app.url);
    expect((await new ApiClient(app.url).put('/api/me/favourites/product/prd_x', {})).status).toBe(401);
    expect((await shopper.put('/api/me/favourites/product/prd_nope', {})).status).toBe(404);
    expect((await shopper.put('/api/me/favourites/shop/shp_nope', {})).status).toBe(404);
    const bad = await shopper.put('/api/me/favourites/brand/x', {});
    expect(bad.status).toBe(422);
    expect(bad.error.fields[0].field).toBe('params.kind');
  });

  it('pages products newest first with their cards, and lists shops', async () => {
    const shopper = await registerUser(app.url);
    const items = [];
    for (let i = 0; i < 5; i++) {
      const item = await stockedProduct(seller, { stock: 1, categoryId: category });
      await shopper.put(`/api/me/favourites/product/${item.productId}`, {});
      items.push(item);
    }
    await app.core.listings.settled();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await shopper.get(`/api/me/favourites?kind=product&limit=2${query}`)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const f of page.items) {
        expect(f.product?.id).toBe(f.targetId);
        seen.push(f.targetId);
      }
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items.map((i) => i.productId).reverse());

    const shopId = (await seller.get('/api/auth/session')).body.user!.shopId!;
    await shopper.put(`/api/me/favourites/shop/${shopId}`, {});
    const shops = (await shopper.get('/api/me/favourites?kind=shop')).body.items;
    expect(shops).toMatchObject([{ kind: 'shop', targetId: shopId, shop: { id: shopId }, product: null }]);
  });

  it('publishes one favourite.price_dropped per favouriter per drop: none for a raise or a re-save', async () => {
    const item = await stockedProduct(seller, { price: 10_000, stock: 3, categoryId: category });
    const fans = await Promise.all([registerUser(app.url), registerUser(app.url), registerUser(app.url)]);
    for (const fan of fans) await fan.put(`/api/me/favourites/product/${item.productId}`, {});

    expect((await setPrice(item.productId, item.sku, 8_000)).status).toBe(200);
    await waitFor(async () => dropsOf(item.sku).length === 3, 30_000);
    expect((await setPrice(item.productId, item.sku, 9_000)).status).toBe(200); // a raise
    expect((await setPrice(item.productId, item.sku, 9_000)).status).toBe(200); // the same price again
    expect((await setPrice(item.productId, item.sku, 7_500)).status).toBe(200); // a second drop
    await waitFor(async () => dropsOf(item.sku).length >= 6, 30_000);
    // Every job of this SKU has finished, so nothing more is on its way.
    await waitFor(async () => {
      const jobs = await app.core.queue.list({ type: FAVOURITE_PRICE_DROP_JOB, limit: 1000 });
      return jobs
        .filter((j) => (j.payload as { sku: string }).sku === item.sku)
        .every((j) => j.status === 'completed');
    }, 30_000);

    const got = dropsOf(item.sku);
    expect(got).toHaveLength(6);
    expect(new Set(got.map((e) => e.id)).size).toBe(6);
    for (const fan of fans) {
      const mine = got
        .filter((e) => e.userId === fan.user.id)
        .sort((x, y) => x.priceVersion - y.priceVersion);
      expect(mine.map((e) => [e.oldPrice, e.newPrice])).toEqual([
        [10_000, 8_000],
        [9_000, 7_500],
      ]);
      expect(mine[0]!.id).toBe(`pricedrop:${item.sku}:${mine[0]!.priceVersion}:${fan.user.id}`);
    }
    // The favourites page shows the latest drop.
    const page = (await fans[0]!.get('/api/me/favourites?kind=product')).body;
    expect(page.items[0]).toMatchObject({
      targetId: item.productId,
      priceDrop: { oldPrice: 9_000, newPrice: 7_500 },
    });
    // A fan-out that runs again (a retried job) inserts nobody twice.
    const first = (await app.core.queue.list({ type: FAVOURITE_PRICE_DROP_JOB, limit: 1000 })).find(
      (j) => (j.payload as { sku: string }).sku === item.sku,
    )!;
    const rerun = await app.core.jobHandlers[FAVOURITE_PRICE_DROP_JOB]!(first.payload, {
      jobId: first.id,
      attempt: 1,
      maxAttempts: 5,
      signal: new AbortController().signal,
      heartbeat: async () => undefined,
      log: createLogger('warn', 'favourites-test'),
    });
    expect(rerun).toMatchObject({ favouriters: 3, published: 0 });
  });

  it('publishes favourite.back_in_stock once per restock (0 → more), not for more stock on top', async () => {
    const item = await stockedProduct(seller, { stock: 0, categoryId: category });
    const fan = await registerUser(app.url);
    await fan.put(`/api/me/favourites/product/${item.productId}`, {});
    expect((await setStock(item.productId, item.sku, 5)).status).toBe(200);
    await waitFor(async () => restocksOf(item.sku).length === 1, 30_000);
    await setStock(item.productId, item.sku, 7); // more on top: no alert
    await setStock(item.productId, item.sku, 0);
    await setStock(item.productId, item.sku, 2); // back again: a second alert
    await waitFor(async () => restocksOf(item.sku).length >= 2, 30_000);
    const got = restocksOf(item.sku);
    expect(got.map((e) => e.available)).toEqual([5, 2]);
    expect(
      got.every(
        (e) => e.userId === fan.user.id && e.id === `restock:${item.sku}:${e.stockVersion}:${fan.user.id}`,
      ),
    ).toBe(true);
    const alerts = (await fan.get('/api/me/favourites/alerts')).body.items;
    expect(alerts.map((a) => a.type)).toEqual(['back_in_stock', 'back_in_stock']);
  });

  it(`fans a drop out to 2,000 favouriters through the job queue, ${FANOUT_BATCH} per job`, async () => {
    const item = await stockedProduct(seller, { price: 5_000, stock: 3, categoryId: category });
    const fan = await registerUser(app.url);
    await fan.put(`/api/me/favourites/product/${item.productId}`, {});
    // 1,999 more favouriters, written straight into the store (registering them would only slow the test).
    const at = new Date();
    await app.database.connection.collection('favourites').insertMany(
      Array.from({ length: 1_999 }, (_, i) => {
        const userId = `usr_bulk${String(i).padStart(5, '0')}`;
        return {
          _id: `${userId}:product:${item.productId}`,
          userId,
          kind: 'product',
          targetId: item.productId,
          addId: `bulk${i}`,
          createdAt: at,
        } as never;
      }),
    );
    const started = Date.now();
    expect((await setPrice(item.productId, item.sku, 4_000)).status).toBe(200);
    const requestMs = Date.now() - started;
    await waitFor(async () => dropsOf(item.sku).length >= 2_000, 120_000);
    await waitFor(async () => {
      const jobs = (await app.core.queue.list({ type: FAVOURITE_PRICE_DROP_JOB, limit: 1000 })).filter(
        (j) => (j.payload as { sku: string }).sku === item.sku,
      );
      // A full batch queues the next one, so 2,000 = 4 × 500 ends with a fifth job that finds nobody.
      return (
        jobs.length === Math.floor(2_000 / FANOUT_BATCH) + 1 && jobs.every((j) => j.status === 'completed')
      );
    }, 60_000);
    const got = dropsOf(item.sku);
    expect(got).toHaveLength(2_000);
    expect(new Set(got.map((e) => e.userId)).size).toBe(2_000);
    expect(got.some((e) => e.userId === fan.user.id)).toBe(true);
    console.info(`price change request with 2,000 favouriters: ${requestMs} ms`);
  });
});
