import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../tests/support/client';
import { startTestApp, type TestApp } from '../../tests/support/app';
import { waitFor } from '../../tests/support/process';
import type { SearchQuery } from './types';

let app: TestApp;
let seller: ApiClient;
let leaf: string;

const query = (q: string, extra: Partial<SearchQuery> = {}): SearchQuery => ({
  q,
  filters: {},
  sort: 'relevance',
  page: 1,
  pageSize: 20,
  ...extra,
});

beforeAll(async () => {
  app = await startTestApp({ products: 60 });
  seller = new ApiClient(app.url);
  await seller.login(app.catalog!.sellers[0]!.email, app.password);
  leaf = app.catalog!.products.find((p) => p.sellerId === app.catalog!.sellers[0]!.id)!.categoryId;
});
afterAll(() => app?.close());

describe('search indexer (embedded engine, real FerretDB, real API)', () => {
  it('indexes the seeded catalog', async () => {
    await waitFor(async () => (await app.search.stats()).documents === 60, 20_000, 'seeded products indexed');
    const sample = app.catalog!.products[7]!;
    const result = await app.search.search(query(sample.name));
    expect(result.hits.map((h) => h.id)).toContain(sample.id);
  });

  it('makes a new product, a rename, a stock change and a deletion searchable (latency: npm run bench:search)', async () => {
    const created = await seller.post('/api/products', {
      name: 'Zephyrine Quartz Kettle',
      nameZh: '风铃石英水壶',
      brand: 'Zephyrine',
      categoryId: leaf,
      variants: [{ sku: `ZQK-${Date.now()}`, price: 25_900, stock: 3 }],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const found = async (q: string) => (await app.search.search(query(q))).hits.find((h) => h.id === id);

    await waitFor(() => found('zephyrine kettle'), 5_000, 'new product in search');

    await seller.patch(`/api/products/${id}`, { name: 'Zephyrine Obsidian Teapot' });
    await waitFor(() => found('obsidian teapot'), 5_000, 'renamed product in search');
    expect(await found('quartz kettle')).toBeUndefined();

    await seller.put(`/api/products/${id}/variants/${created.body.variants[0]!.sku}/stock`, { available: 0 });
    await waitFor(
      async () => (await found('obsidian teapot'))?.document.inStock === false,
      5_000,
      'stock change in search',
    );
    const inStockOnly = await app.search.search(query('obsidian teapot', { filters: { inStock: true } }));
    expect(inStockOnly.hits.map((h) => h.id)).not.toContain(id);

    await seller.delete(`/api/products/${id}`);
    await waitFor(async () => !(await found('obsidian teapot')), 5_000, 'deleted product gone from search');
  });

  it('catches up on start with changes it missed', async () => {
    const product = app.catalog!.products.find((p) => p.sellerId === app.catalog!.sellers[0]!.id)!;
    await app.search.remove([product.id]); // as if the index had lost it
    const result = await app.indexer.catchUp();
    expect(result.indexed).toBeGreaterThanOrEqual(1);
    await app.search.refresh();
    expect((await app.search.search(query(product.name))).hits.map((h) => h.id)).toContain(product.id);
  });

  it('serves the HTTP search and suggest endpoints with validated parameters', async () => {
    const product = app.catalog!.products[3]!;
    const res = await seller.get(`/api/search?q=${encodeURIComponent(product.name)}&pageSize=5`);
    expect(res.status).toBe(200);
    expect(res.body.hits.map((h: { id: string }) => h.id)).toContain(product.id);
    expect(res.body.facets.brand.length).toBeGreaterThan(0);
    const suggest = await seller.get(
      `/api/search/suggest?q=${encodeURIComponent(product.brand.slice(0, 4))}`,
    );
    expect(suggest.status).toBe(200);
    expect(suggest.body.suggestions.length).toBeGreaterThan(0);
    for (const [q, field] of [
      ['pageSize=0', 'query.pageSize'],
      ['sort=best', 'query.sort'],
      ['price=cheap', 'query.price.0'],
      ['rating=9', 'query.rating'],
      ['q=' + 'x'.repeat(201), 'query.q'],
    ] as const) {
      const bad = await seller.get(`/api/search?${q}`);
      expect(bad.status, q).toBe(422);
      expect(
        bad.error.fields.map((f: { field: string }) => f.field),
        q,
      ).toContain(field);
    }
  });
});
