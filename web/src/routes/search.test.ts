import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { until } from '../../../tests/support/poll';

let app: TestApp;
let api: ApiClient;

beforeAll(async () => {
  app = await startTestApp({ products: 60 });
  api = new ApiClient(app.url);
  await until(
    async () => (await api.get('/api/search?q=&pageSize=1')).body.total >= 60,
    60_000,
    'the demo products to be searchable',
    250,
  );
});
afterAll(async () => {
  await app?.close();
});

describe('GET /api/search', () => {
  it('answers with what a result card needs, not the whole search document', async () => {
    const res = await api.get('/api/search?q=&pageSize=5');
    expect(res.status).toBe(200);
    const doc = res.body.hits[0]!.document;
    expect(Object.keys(doc).sort()).toEqual(
      [
        'attributes',
        'available',
        'brand',
        'categoryId',
        'id',
        'inStock',
        'name',
        'nameZh',
        'popularity',
        'priceMax',
        'priceMin',
        'rating',
        'shopId',
        'shopName',
        'urlHandle',
      ].sort(),
    );
    expect(res.body.ignored).toEqual([]);
    expect(res.body.correctedQuery).toBeNull();
  });

  it('says which word it left out when nothing matches it', async () => {
    const product = app.catalog!.products[0]!;
    const word = product.name.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w))!;
    const res = await api.get(`/api/search?q=${encodeURIComponent(`${word} 诺基亚`)}`);
    expect(res.status).toBe(200);
    expect(res.body.ignored).toEqual(['诺基亚']);
    expect(res.body.total).toBeGreaterThan(0);
  });
});
