import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { waitFor } from '../../../tests/support/process';

let app: TestApp;
let seller: ApiClient;
let leaf: string;

beforeAll(async () => {
  app = await startTestApp();
  await app.core.categories.createMany([
    { id: 'cat_fashion', slug: 'fashion', name: 'Fashion', nameZh: '服装', parentId: null },
    { id: 'cat_tees', slug: 'tees', name: 'T-shirts', nameZh: 'T恤', parentId: 'cat_fashion' },
  ]);
  leaf = 'tees';
  seller = new ApiClient(app.url);
  const reg = await seller.post('/api/auth/register', {
    email: `importer${Date.now()}@example.com`,
    password: 'long enough',
    name: 'Importer',
    role: 'seller',
    shopName: 'Import Co',
  });
  seller.csrfToken = reg.body.csrfToken;
});
afterAll(() => app?.close());

function upload(csv: string, name = 'products.csv') {
  return seller.request('POST', '/api/seller/imports', {
    body: csv,
    headers: { 'content-type': 'text/csv', 'x-file-name': name },
  });
}

async function finished(id: string) {
  return waitFor(
    async () => {
      const res = await seller.get(`/api/seller/imports/${id}`);
      return ['completed', 'failed'].includes(res.body.status) ? res.body : null;
    },
    60_000,
    'import to finish',
  );
}

describe('CSV import', () => {
  it('lands good rows, groups variants by handle, and reports bad rows by line and field', async () => {
    const csv = [
      'handle,sku,name,name_zh,brand,category,variant_title,price,stock,attributes',
      `tee,TEE-1-M,Crew Tee,圆领T恤,Basics,${leaf},M,79.00,10,size=M`,
      `tee,TEE-1-L,Crew Tee,圆领T恤,Basics,${leaf},L,89.5,4,size=L`,
      `,TEE-2,Polo,,Basics,${leaf},,abc,3,`, // line 4: bad price
      `,TEE-3,Henley,,Basics,nowhere,,59,1,`, // line 5: unknown category
      `,TEE-4,,,Basics,${leaf},,59,1,`, // line 6: missing name
      `,TEE-5,Tank,,Basics,${leaf},,39,-2,`, // line 7: bad stock
      `,TEE-6,Raglan,,Basics,${leaf},,49,0,colour`, // line 8: bad attributes
      `,TEE-7,Ringer,,Basics,${leaf},,49,7,color=White`,
    ].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', totalRows: 8, fileName: 'products.csv' });
    const done = await finished(res.body.id);
    expect(done).toMatchObject({ status: 'completed', processedRows: 8, succeeded: 3, failed: 5 });
    expect(done.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [4, 'price'],
      [5, 'category'],
      [6, 'name'],
      [7, 'stock'],
      [8, 'attributes'],
    ]);

    const own = (await seller.get('/api/seller/products')).body.items;
    const tee = own.find((p) => p.name === 'Crew Tee')!;
    expect(tee.variants.map((v) => [v.sku, v.price, v.available])).toEqual([
      ['TEE-1-M', 7900, 10],
      ['TEE-1-L', 8950, 4],
    ]);
    expect(own.some((p) => p.name === 'Ringer')).toBe(true);
  });

  it('applies a re-upload idempotently (same products, stock set to the file)', async () => {
    const csv = ['sku,name,category,price,stock', `RE-1,Again,${leaf},10,5`].join('\n');
    await finished((await upload(csv)).body.id);
    const second = await finished((await upload(csv.replace(',5', ',8'))).body.id);
    expect(second.succeeded).toBe(1);
    const items = (await seller.get('/api/seller/products?limit=100')).body.items as {
      name: string;
      variants: { available: number }[];
    }[];
    const again = items.filter((p) => p.name === 'Again');
    expect(again).toHaveLength(1);
    expect(again[0]!.variants[0]!.available).toBe(8);
  });

  it('finishes a product whose create was cut short by a crash (claims written, product not)', async () => {
    const shopId = (await seller.get('/api/auth/session')).body.user!.shopId!;
    // What a worker killed between claiming and inserting leaves behind.
    await app.database.connection
      .collection('product_handles')
      .insertOne({ _id: `${shopId}:half` as never, productId: 'prd_half' });
    await app.database.connection
      .collection('sku_claims')
      .insertOne({ _id: 'HALF-1' as never, productId: 'prd_half', shopId });
    const done = await finished(
      (
        await upload(
          ['handle,sku,name,category,price,stock', `half,HALF-1,Half Done,${leaf},20,3`].join('\n'),
        )
      ).body.id,
    );
    expect(done).toMatchObject({ succeeded: 1, failed: 0 });
    const product = (await seller.get('/api/products/prd_half')).body;
    expect(product).toMatchObject({ name: 'Half Done', variants: [{ sku: 'HALF-1', available: 3 }] });
  });

  it('rejects unusable files up front', async () => {
    const missing = await upload('sku,name\nA,B');
    expect(missing.status).toBe(422);
    expect(missing.error.message).toMatch(/missing column\(s\): category, price/);
    expect(missing.error.fields[0].field).toBe('body');
    expect((await upload('sku,name,category,price')).status).toBe(422);
    const notCsv = await seller.request('POST', '/api/seller/imports', {
      body: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect([415, 422]).toContain(notCsv.status);
  });

  it('refuses files over the size limit with 413', async () => {
    const big = 'sku,name,category,price\n' + 'A,B,tees,1\n'.repeat(2_200_000);
    const res = await upload(big);
    expect(res.status).toBe(413);
  });

  it('keeps imports private to their seller', async () => {
    const csv = ['sku,name,category,price', `PRIV-1,Private,${leaf},10`].join('\n');
    const id = (await upload(csv)).body.id;
    const other = new ApiClient(app.url);
    const reg = await other.post('/api/auth/register', {
      email: `o${Date.now()}@example.com`,
      password: 'long enough',
      name: 'O',
      role: 'seller',
      shopName: 'Other',
    });
    other.csrfToken = reg.body.csrfToken;
    expect((await other.get(`/api/seller/imports/${id}`)).status).toBe(404);
    expect((await new ApiClient(app.url).get('/api/seller/imports')).status).toBe(401);
  });
});
