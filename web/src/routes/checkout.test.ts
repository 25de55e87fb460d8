import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderActions } from '@market/core';
import { ApiClient } from '../../../tests/support/client';
import { waitFor } from '../../../tests/support/process';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { registerUser, staffAccount } from '../../../tests/support/accounts';
import { checkout, leafCategory, pay, stockedProduct, ADDRESS } from '../../../tests/support/commerce';

let app: TestApp;
let category: string;
let sellerA: Awaited<ReturnType<typeof registerUser>>;
let sellerB: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  app = await startTestApp({ products: 20 });
  sellerA = await registerUser(app, 'seller');
  sellerB = await registerUser(app, 'seller');
  category = await leafCategory(sellerA);
});
afterAll(() => app?.close());

const available = async (productId: string) =>
  (await new ApiClient(app.url).get(`/api/products/${productId}`)).body.variants[0]!.available as number;

describe('cart', () => {
  it('keeps a guest cart and merges it into the account cart at login', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    await shopper.post('/api/auth/logout');
    const guest = new ApiClient(app.url);
    const added = await guest.post('/api/cart/lines', { sku: item.sku, qty: 2 });
    expect(added.status).toBe(200);
    expect(added.body.owner).toBe('guest');
    expect(added.body.itemCount).toBe(2);
    await guest.login(shopper.email, shopper.password);
    const merged = await guest.get('/api/cart');
    expect(merged.body.owner).toBe('account');
    expect(merged.body.groups[0]!.lines[0]).toMatchObject({ sku: item.sku, qty: 3 });
  });

  it('reports a price change and a stock shortfall on read, and refuses checkout until seen', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, price: 5000, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 4 });
    await sellerA.patch(`/api/products/${item.productId}/variants/${item.sku}`, { price: 5500 });
    await sellerA.put(`/api/products/${item.productId}/variants/${item.sku}/stock`, { available: 2 });
    const cart = (await shopper.get('/api/cart')).body;
    const line = cart.groups[0]!.lines[0]!;
    expect(line.notices.map((n) => n.code).sort()).toEqual(['insufficient_stock', 'price_changed']);
    expect(line).toMatchObject({ unitPrice: 5500, previousPrice: 5000, purchasable: false });
    const refused = await checkout(shopper);
    expect(refused.status).toBe(409);
    expect(refused.error.code).toBe('cart_changed');
    expect((refused.error.lines as { code: string }[]).map((l) => l.code).sort()).toEqual([
      'insufficient_stock',
      'price_changed',
    ]);
    await shopper.put(`/api/cart/lines/${item.sku}`, { qty: 2 });
    const ok = await checkout(shopper);
    expect(ok.status).toBe(201);
    expect(ok.body.total).toBe(2 * 5500); // over the ¥99 free-shipping threshold
  });

  it('rejects bad input with the field named', async () => {
    const shopper = await registerUser(app.url);
    const res = await shopper.post('/api/cart/lines', { sku: 'NOPE-1', qty: 1000 });
    expect(res.status).toBe(422);
    expect(res.error.fields[0].field).toBe('body.qty');
    expect((await shopper.post('/api/cart/lines', { sku: 'NOPE-1', qty: 1 })).status).toBe(404);
  });
});

describe('checkout and payment', () => {
  it('turns a two-seller cart into two orders and one payment, paid live through the sandbox', async () => {
    const a = await stockedProduct(sellerA, { stock: 3, price: 12_000, categoryId: category });
    const b = await stockedProduct(sellerB, { stock: 3, price: 3000, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: a.sku, qty: 1 });
    await shopper.post('/api/cart/lines', { sku: b.sku, qty: 2 });
    const res = await checkout(shopper);
    expect(res.status).toBe(201);
    expect(res.body.orders).toHaveLength(2);
    // Free shipping over ¥99 for members: seller A's ¥120 order ships free, seller B's ¥60 order does not.
    expect(res.body.total).toBe(12_000 + 6000 + 800);
    expect(res.body.payment.amount).toBe(res.body.total);
    expect(await available(a.productId)).toBe(2);
    expect((await shopper.get('/api/cart')).body.itemCount).toBe(0);

    await pay(shopper, res.body);
    const orders = (await shopper.get('/api/orders')).body.items;
    expect(orders.filter((o) => o.checkoutId === res.body.checkoutId)).toHaveLength(2);
    const order = (await shopper.get(`/api/orders/${res.body.orders[0]!.id}`)).body;
    expect(order.timeline.map((t) => t.status)).toEqual(['pending_payment', 'paid']);
    expect(await available(a.productId)).toBe(2);
  });

  it('walks the order lifecycle with the right people, and lets support refund', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, price: 20_000, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(shopper)).body;
    await pay(shopper, placed);
    const id = placed.orders[0]!.id;
    expect((await shopper.post(`/api/orders/${id}/accept`)).status).toBe(403);
    expect((await sellerB.post(`/api/orders/${id}/accept`)).status).toBe(404);
    expect((await sellerA.post(`/api/orders/${id}/accept`)).status).toBe(200);
    const shipped = await sellerA.post(`/api/orders/${id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF1234567',
    });
    expect(shipped.body.tracking).toEqual({ carrier: 'SF Express', number: 'SF1234567' });
    expect(
      (await sellerA.post(`/api/orders/${id}/ship`, { carrier: 'SF', trackingNumber: 'SF99999' })).status,
    ).toBe(409);
    expect((await sellerA.post(`/api/orders/${id}/deliver`)).status).toBe(200);
    const done = await shopper.post(`/api/orders/${id}/complete`);
    expect(done.body.status).toBe('completed');
    const points = (await shopper.get('/api/me/points')).body;
    expect(points.account.balance).toBe(200); // 1 point per yuan of ¥200

    const support = await staffAccount(app, 'support');
    expect((await shopper.post(`/api/orders/${id}/refunds`, { amount: 100, reason: 'x' })).status).toBe(403);
    const partial = await support.post(`/api/orders/${id}/refunds`, {
      amount: 5000,
      reason: 'Scratched lid',
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({ status: 'completed', refunded: 5000 });
    const tooMuch = await support.post(`/api/orders/${id}/refunds`, { amount: 20_000, reason: 'x' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.error.fields[0].field).toBe('body.amount');
    const rest = await support.post(`/api/orders/${id}/refunds`, { reason: 'Returned' });
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: 20_000 });
    // A full refund after completion takes back the points the order earned.
    expect((await shopper.get('/api/me/points')).body.account.balance).toBe(0);
  });

  it('completes a delivered order the buyer never confirms after the configured days, earning its points', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, price: 30_000, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(shopper)).body;
    await pay(shopper, placed);
    const id = placed.orders[0]!.id;
    await sellerA.post(`/api/orders/${id}/accept`);
    await sellerA.post(`/api/orders/${id}/ship`, { carrier: 'ZTO', trackingNumber: 'ZTO12345' });
    await sellerA.post(`/api/orders/${id}/deliver`);
    const actions = (days: number) =>
      createOrderActions({
        orders: app.core.orders,
        payments: app.core.payments,
        groups: app.core.groupBuying,
        autoCompleteDays: 7,
        clock: () => new Date(Date.now() + days * 86_400_000),
      });
    await actions(6).autoComplete();
    expect((await shopper.get(`/api/orders/${id}`)).body.status).toBe('delivered');
    await actions(8).autoComplete();
    const order = (await shopper.get(`/api/orders/${id}`)).body;
    expect(order.status).toBe('completed');
    expect(order.timeline.at(-1)).toMatchObject({ actorRole: 'system', status: 'completed' });
    expect((await shopper.get('/api/me/points')).body.account.balance).toBe(300);
  });

  it('lets a shopper pay again after a failure, and never through the page it replaced (a second tab)', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(shopper)).body;
    const first = String(placed.payment.redirectUrl).split('/').pop();
    const declined = await shopper.post(`/api/sandbox-psp/sessions/${first}/complete`, {
      method: 'card',
      outcome: 'succeed',
      cardNumber: '4000 0000 0000 0002',
    });
    expect(declined.body).toMatchObject({ status: 'failed', failureReason: 'Card declined by the issuer' });
    const state = async () => (await shopper.get(`/api/checkouts/${placed.checkoutId}`)).body;
    await waitFor(async () => (await state()).paymentStatus === 'failed', 20_000, 'the failure webhook');
    expect((await state()).failureReason).toBe('Card declined by the issuer');

    const retry = await shopper.post(`/api/checkouts/${placed.checkoutId}/retry-payment`);
    expect(retry.status).toBe(200);
    const second = String(retry.body.redirectUrl).split('/').pop();
    expect(second).not.toBe(first);
    // The old page, still open in another tab, can no longer take money.
    const stale = await shopper.post(`/api/sandbox-psp/sessions/${first}/complete`, {
      method: 'alipay',
      outcome: 'succeed',
    });
    expect(stale.status).toBe(409);
    await pay(shopper, { ...placed, payment: { redirectUrl: retry.body.redirectUrl } });
    expect((await state()).paymentStatus).toBe('succeeded');
    expect((await shopper.post(`/api/checkouts/${placed.checkoutId}/retry-payment`)).status).toBe(409);
  });

  it('names the delivery field that is wrong', async () => {
    const item = await stockedProduct(sellerA, { stock: 5, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const cases: [Record<string, unknown>, string][] = [
      [{ delivery: { method: 'pickup', pickupPointId: 'pk-nowhere' } }, 'body.delivery.pickupPointId'],
      [{ delivery: { method: 'courier' } }, 'body.delivery.address'],
      [
        { delivery: { method: 'courier', address: { ...ADDRESS, phone: 'call me' } } },
        'body.delivery.address.phone',
      ],
      [{ delivery: { method: 'drone' } }, 'body.delivery.method'],
      [{ delivery: { method: 'courier', address: ADDRESS }, pointsToRedeem: 5 }, 'body.pointsToRedeem'],
    ];
    for (const [body, field] of cases) {
      const res = await shopper.request('POST', '/api/checkout', {
        json: body,
        headers: { 'idempotency-key': `bad-${field}` },
      });
      expect(res.status, field).toBe(422);
      expect(res.error.fields.map((f) => f.field)).toContain(field);
    }
    expect(await available(item.productId)).toBe(5);
    expect((await shopper.get('/api/orders')).body.items).toHaveLength(0);
  });

  it('answers a retried checkout with the first response', async () => {
    const item = await stockedProduct(sellerA, { stock: 50, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const key = `retry-${Date.now()}`;
    const responses = await Promise.all(Array.from({ length: 20 }, () => checkout(shopper, {}, key)));
    expect(new Set(responses.map((r) => JSON.stringify([r.status, r.body]))).size).toBe(1);
    expect(responses[0]!.status).toBe(201);
    expect(await available(item.productId)).toBe(49);
    const mine = (await shopper.get('/api/orders')).body;
    expect(mine.items).toHaveLength(1);
    expect(mine.nextCursor).toBeNull();
    expect((await app.core.payments.get(responses[0]!.body.payment.id)).orderIds).toHaveLength(1);
    const other = await checkout(shopper, { couponCode: 'X' }, key);
    expect(other.status).toBe(422);
    expect(other.error.fields[0].field).toBe('header.idempotency-key');
    const missing = await shopper.post('/api/checkout', {
      delivery: { method: 'courier', address: ADDRESS },
    });
    expect(missing.status).toBe(400);
  });

  it('releases the stock of a checkout that is never paid', async () => {
    const item = await stockedProduct(sellerA, { stock: 4, categoryId: category });
    const shopper = await registerUser(app.url);
    await shopper.post('/api/cart/lines', { sku: item.sku, qty: 3 });
    const placed = (await checkout(shopper)).body;
    expect(await available(item.productId)).toBe(1);
    await app.core.checkout.expire(placed.checkoutId);
    expect(await available(item.productId)).toBe(4);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('cancelled');
  });
});

describe('authorization', () => {
  it("keeps one shopper out of another's orders, checkouts and cart, and sellers out of other shops' orders", async () => {
    const item = await stockedProduct(sellerA, { stock: 5, categoryId: category });
    const owner = await registerUser(app.url);
    const stranger = await registerUser(app.url);
    await owner.post('/api/cart/lines', { sku: item.sku, qty: 1 });
    const placed = (await checkout(owner)).body;
    const id = placed.orders[0]!.id;
    for (const res of [
      await stranger.get(`/api/orders/${id}`),
      await stranger.post(`/api/orders/${id}/cancel`, { reason: 'mine now' }),
      await stranger.post(`/api/orders/${id}/complete`),
      await stranger.get(`/api/checkouts/${placed.checkoutId}`),
      await stranger.post(`/api/checkouts/${placed.checkoutId}/retry-payment`),
      await sellerB.get(`/api/orders/${id}`),
    ])
      expect(res.status).toBe(404);
    expect((await stranger.get('/api/orders')).body.items).toHaveLength(0);
    // Carts belong to the session: the stranger's cart is their own, empty one.
    expect((await stranger.get('/api/cart')).body.itemCount).toBe(0);
    expect((await stranger.post('/api/orders/' + id + '/refunds', { reason: 'x' })).status).toBe(404);
    expect((await sellerA.post(`/api/orders/${id}/refunds`, { reason: 'x' })).status).toBe(403);
    const sellerBOrders = (await sellerB.get('/api/seller/orders')).body.items;
    expect(sellerBOrders.some((o) => o.id === id)).toBe(false);
    expect((await sellerA.get('/api/seller/orders')).body.items.some((o) => o.id === id)).toBe(true);
    // Paging through seller A's orders one at a time visits each once, newest first.
    const seen: string[] = [];
    for (let cursor = ''; ;) {
      const res = (await sellerA.get(`/api/seller/orders?limit=1${cursor && `&cursor=${cursor}`}`)).body;
      seen.push(...res.items.map((o) => o.id));
      if (!res.nextCursor) break;
      cursor = encodeURIComponent(res.nextCursor);
    }
    const all = (await sellerA.get('/api/seller/orders?limit=200')).body.items.map((o) => o.id);
    expect(seen).toEqual(all);
    expect((await sellerA.get('/api/seller/orders?cursor=yesterday')).status).toBe(422);
    expect((await owner.get('/api/support/orders')).status).toBe(403);
    const order = (await owner.get(`/api/orders/${id}`)).body;
    expect(order.status).toBe('pending_payment');
    expect(order.timeline).toHaveLength(1);
  });
});
