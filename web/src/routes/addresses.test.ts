import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_BOOK_LIMIT } from '@market/core';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { registerUser } from '../../../tests/support/accounts';
import { leafCategory, stockedProduct } from '../../../tests/support/commerce';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ products: 5 });
});
afterAll(() => app?.close());

const HOME = {
  name: '李雷',
  phone: '+86 138-0013-8000',
  province: '上海市',
  city: '上海市',
  district: '浦东新区',
  line1: '世纪大道 88 号',
  line2: '20 楼',
  postcode: '200120',
};

describe('address book', () => {
  it('refuses bad addresses with 422 naming each field, and guests with 401', async () => {
    const shopper = await registerUser(app.url);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ ...HOME, phone: '12345' }, ['body.phone']],
      [{ ...HOME, phone: '+1 415 555 0100' }, ['body.phone']],
      [{ ...HOME, phone: '12800138000' }, ['body.phone']],
      [{ ...HOME, postcode: '20012' }, ['body.postcode']],
      [{ ...HOME, postcode: 'SW1A 1AA' }, ['body.postcode']],
      [{ ...HOME, name: '  ' }, ['body.name']],
      [{ ...HOME, district: '' }, ['body.district']],
      [{ ...HOME, province: undefined, city: '' }, ['body.province', 'body.city']],
      [{ ...HOME, line1: 'x'.repeat(201) }, ['body.line1']],
      [{ ...HOME, country: 'CN' }, ['body']],
    ];
    for (const [input, fields] of cases) {
      const res = await shopper.post('/api/me/addresses', input);
      expect(res.status, JSON.stringify(input)).toBe(422);
      expect(res.error.fields.map((f) => f.field).sort()).toEqual([...fields].sort());
    }
    expect((await shopper.get('/api/me/addresses')).body.items).toEqual([]);
    expect((await new ApiClient(app.url).get('/api/me/addresses')).status).toBe(401);
  });

  it('stores the phone as 11 digits, makes the first address the default and moves it on request', async () => {
    const shopper = await registerUser(app.url);
    const home = await shopper.post('/api/me/addresses', HOME);
    expect(home.status).toBe(201);
    expect(home.body).toMatchObject({ ...HOME, phone: '13800138000', isDefault: true });
    const work = await shopper.post('/api/me/addresses', {
      ...HOME,
      line1: '南京西路 1699 号',
      district: '静安区',
    });
    expect(work.body.isDefault).toBe(false);

    let book = (await shopper.post(`/api/me/addresses/${work.body.id}/default`)).body;
    expect(book.defaultId).toBe(work.body.id);
    expect(book.items.map((a) => [a.id, a.isDefault])).toEqual([
      [work.body.id, true],
      [home.body.id, false],
    ]);

    const edited = await shopper.put(`/api/me/addresses/${home.body.id}`, {
      ...HOME,
      line2: '',
      makeDefault: true,
    });
    expect(edited.body).toMatchObject({ line2: '', isDefault: true });

    // Deleting the default hands it to the newest remaining address.
    book = (await shopper.delete(`/api/me/addresses/${home.body.id}`)).body;
    expect(book.items.map((a) => a.id)).toEqual([work.body.id]);
    expect(book.defaultId).toBe(work.body.id);
    book = (await shopper.delete(`/api/me/addresses/${work.body.id}`)).body;
    expect(book).toMatchObject({ items: [], defaultId: null });
  });

  it('keeps every address and exactly one default when two tabs change the book at once', async () => {
    const shopper = await registerUser(app.url);
    const added = await Promise.all(
      Array.from({ length: 8 }, (_, i) => shopper.post('/api/me/addresses', { ...HOME, line2: `Room ${i}` })),
    );
    expect(added.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = added.map((r) => r.body.id);
    const defaults = await Promise.all(ids.map((id) => shopper.post(`/api/me/addresses/${id}/default`)));
    expect(defaults.every((r) => r.status === 200)).toBe(true);
    const book = (await shopper.get('/api/me/addresses')).body;
    expect(book.items.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(book.items.filter((a) => a.isDefault)).toHaveLength(1);
    expect(ids).toContain(book.defaultId);
    // One entry per change: 8 additions and 8 "make default"s, none lost.
    expect(book.version).toBe(16);
  });

  it(`holds at most ${ADDRESS_BOOK_LIMIT} addresses`, async () => {
    const shopper = await registerUser(app.url);
    for (let i = 0; i < ADDRESS_BOOK_LIMIT; i++)
      expect((await shopper.post('/api/me/addresses', { ...HOME, line2: `Room ${i}` })).status).toBe(201);
    const full = await shopper.post('/api/me/addresses', HOME);
    expect(full.status).toBe(409);
    expect(full.error.reason).toBe('address_book_full');
  });

  it("answers 404 for another shopper's address, and refuses it at checkout", async () => {
    const owner = await registerUser(app.url);
    const other = await registerUser(app.url);
    const mine = (await owner.post('/api/me/addresses', HOME)).body;
    expect((await other.put(`/api/me/addresses/${mine.id}`, HOME)).status).toBe(404);
    expect((await other.delete(`/api/me/addresses/${mine.id}`)).status).toBe(404);
    expect((await other.post(`/api/me/addresses/${mine.id}/default`)).status).toBe(404);
    expect((await other.get('/api/me/addresses')).body.items).toEqual([]);
    const quote = await other.post('/api/checkout/quote', {
      delivery: { method: 'courier', addressId: mine.id },
    });
    expect(quote.status).toBe(422);
    expect(quote.error.fields[0].field).toBe('body.delivery.addressId');
    // Still the owner's, unchanged.
    expect((await owner.get('/api/me/addresses')).body.items).toMatchObject([
      { id: mine.id, line1: HOME.line1 },
    ]);
  });

  it('checks out to a saved address; the order keeps its copy when the book changes later', async () => {
    const seller = await registerUser(app, 'seller');
    const item = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const shopper = await registerUser(app.url);
    const saved = (await shopper.post('/api/me/addresses', HOME)).body;
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const res = await shopper.request('POST', '/api/checkout', {
      json: { delivery: { method: 'courier', addressId: saved.id } },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(res.status).toBe(201);
    const orderId = res.body.orders[0]!.id;
    const copy = {
      name: HOME.name,
      phone: '13800138000',
      province: HOME.province,
      city: HOME.city,
      district: HOME.district,
      line1: HOME.line1,
      line2: HOME.line2,
      postcode: HOME.postcode,
    };
    expect((await shopper.get(`/api/orders/${orderId}`)).body.delivery.address).toEqual(copy);

    await shopper.put(`/api/me/addresses/${saved.id}`, { ...HOME, line1: '人民路 1 号' });
    await shopper.delete(`/api/me/addresses/${saved.id}`);
    expect((await shopper.get(`/api/orders/${orderId}`)).body.delivery.address).toEqual(copy);
  });
});
