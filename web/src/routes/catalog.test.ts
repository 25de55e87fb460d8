import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSeller, registerUser, staffAccount } from '../../../tests/support/accounts';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { waitFor } from '../../../tests/support/process';

let app: TestApp;
let alice: ApiClient; // seller
let bob: ApiClient; // another seller
let leafCategory: string;

const sku = (tag: string) => `${tag}-${Math.random().toString(36).slice(2, 8)}`.toUpperCase();

function productBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Trail Runner 2',
    nameZh: '越野跑鞋 2',
    brand: 'Anta',
    categoryId: leafCategory,
    variants: [
      { sku: sku('TR'), title: '42', price: 39900, attributes: { size: '42' }, stock: 5 },
      { sku: sku('TR'), title: '43', price: 41900, attributes: { size: '43' }, stock: 0 },
    ],
    ...overrides,
  };
}

beforeAll(async () => {
  app = await startTestApp({ products: 50 });
  alice = await registerSeller(app, { name: 'alice' });
  bob = await registerSeller(app, { name: 'bob' });
  const categories = (await alice.get('/api/categories')).body.items as {
    id: string;
    parentId: string | null;
  }[];
  leafCategory = categories.find((c) => !categories.some((d) => d.parentId === c.id))!.id;
});
afterAll(() => app?.close());

describe('catalog API', () => {
  it('lets a seller create a product with variants and stock, readable by anyone', async () => {
    const created = await alice.post('/api/products', productBody());
    expect(created.status).toBe(201);
    expect(created.body.variants.map((v: { available: number }) => v.available)).toEqual([5, 0]);
    const read = await new ApiClient(app.url).get(`/api/products/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body.name).toBe('Trail Runner 2');
    expect(read.body.breadcrumbs.at(-1)!.id).toBe(leafCategory);
  });

  it('forbids a seller from changing another shop’s product, and changes nothing', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const first = created.variants[0]!;
    const attempts = [
      await bob.patch(`/api/products/${created.id}`, { name: 'Hijacked' }),
      await bob.put(`/api/products/${created.id}/variants/${first.sku}/stock`, { available: 999 }),
      await bob.delete(`/api/products/${created.id}`),
      await bob.patch(`/api/products/${created.id}/variants/${first.sku}`, { price: 1 }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(403);
      expect(res.error.code).toBe('forbidden');
    }
    const after = (await alice.get(`/api/products/${created.id}`)).body;
    expect(after.name).toBe(created.name);
    expect(after.version).toBe(created.version);
    expect(after.variants[0]).toMatchObject({ price: first.price, available: first.available });
  });

  it('requires a login (401) and the seller role (403) to write', async () => {
    expect((await new ApiClient(app.url).post('/api/products', productBody())).status).toBe(401);
    const shopper = await registerUser(app.url, 'shopper');
    expect((await shopper.post('/api/products', productBody())).status).toBe(403);
  });

  it('lets the admin edit any product', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const admin = await staffAccount(app, 'admin');
    const res = await admin.patch(`/api/products/${created.id}`, { name: 'Fixed by admin' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Fixed by admin');
  });

  it('names the offending fields of a bad product', async () => {
    const res = await alice.post('/api/products', {
      ...productBody(),
      variants: [{ sku: 'BAD SKU', price: 12.5 }],
      extra: true,
    });
    expect(res.status).toBe(422);
    const fields = res.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.variants.0.sku', 'body.variants.0.price', 'body']));
    const badCategory = await alice.post('/api/products', productBody({ categoryId: 'cat_nope' }));
    expect(badCategory.status).toBe(422);
    expect(badCategory.error.fields[0].field).toBe('body.categoryId');
  });

  it('rejects a SKU already used by another shop with 409, leaving no partial product', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const taken = created.variants[0]!.sku;
    const before = await app.core.catalog.count();
    const fresh = sku('NEW');
    const res = await bob.post(
      '/api/products',
      productBody({
        variants: [
          { sku: fresh, price: 100 },
          { sku: taken, price: 100 },
        ],
      }),
    );
    expect(res.status).toBe(409);
    expect(res.error.fields[0].field).toBe('body.variants.1.sku');
    expect(await app.core.catalog.count()).toBe(before);
    // The compensation released the first SKU again.
    const retry = await bob.post('/api/products', productBody({ variants: [{ sku: fresh, price: 100 }] }));
    expect(retry.status).toBe(201);
  });

  it('sets stock through the ledger and the listing follows', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const { sku: first } = created.variants[0]!;
    const res = await alice.put(`/api/products/${created.id}/variants/${first}/stock`, { available: 17 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku: first, available: 17 });
    const negative = await alice.put(`/api/products/${created.id}/variants/${first}/stock`, {
      available: -1,
    });
    expect(negative.status).toBe(422);
    expect(negative.error.fields[0].field).toBe('body.available');
    await waitFor(
      async () => (await app.core.listings.getListing(created.id))?.available === 17,
      5000,
      'listing update',
    );
    const history = await app.core.inventory.history(first);
    expect(history.map((h) => h.available)).toEqual([17, 5]);
  });

  it('keeps the ledger exact under concurrent stock changes', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const owner = { sku: created.variants[0]!.sku, productId: created.id, sellerId: created.sellerId };
    await app.core.inventory.setStock(owner, 100, null);
    const results = await Promise.all(
      Array.from({ length: 25 }, () => app.core.inventory.adjustStock(owner, -7, null)),
    );
    const ok = results.filter((r) => r.ok).length;
    expect(ok).toBe(14); // 100 / 7: the 15th would go below zero
    expect((await app.core.inventory.getLevel(owner)).available).toBe(100 - 14 * 7);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'insufficient_stock')).toBe(true);
  });

  it('deletes a product: gone from reads and listings', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    expect((await alice.delete(`/api/products/${created.id}`)).status).toBe(204);
    expect((await alice.get(`/api/products/${created.id}`)).status).toBe(404);
    await waitFor(async () => !(await app.core.listings.getListing(created.id)), 5000, 'listing removal');
  });

  it('manages variants', async () => {
    const created = (await alice.post('/api/products', productBody())).body;
    const added = await alice.post(`/api/products/${created.id}/variants`, {
      sku: sku('ADD'),
      price: 50000,
      title: '44',
      stock: 3,
    });
    expect(added.status).toBe(201);
    expect(added.body.variants).toHaveLength(3);
    expect(added.body.variants[2]!.available).toBe(3);
    const renamed = await alice.patch(`/api/products/${created.id}/variants/${created.variants[0]!.sku}`, {
      price: 35900,
    });
    expect(renamed.body.variants[0]!.price).toBe(35900);
    const removed = await alice.delete(`/api/products/${created.id}/variants/${created.variants[1]!.sku}`);
    expect(removed.body.variants).toHaveLength(2);
    const wrongMethod = await alice.get(`/api/products/${created.id}/variants`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.error.code).toBe('method_not_allowed');
  });

  it('answers unknown ids and routes with a JSON 404', async () => {
    const res = await alice.get('/api/products/prd_missing');
    expect(res.status).toBe(404);
    expect(res.error.code).toBe('not_found');
    expect((await alice.get('/api/nothing-here')).error.code).toBe('not_found');
  });

  it('serves the OpenAPI document and docs page', async () => {
    const doc = await alice.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/products', '/api/products/{id}', '/api/seller/imports']),
    );
    const page = await alice.get('/api/docs');
    expect(page.body).toContain('swagger-ui-bundle.js');
    expect((await alice.get('/api/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});
