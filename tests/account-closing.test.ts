import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationIdFor } from '@market/core';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { ADDRESS, checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Closing an account (PIPL): the export holds the person's own orders and nothing of another buyer's;
 * closing needs the password, signs out everywhere, keeps orders with the buyer anonymised, and frees
 * the email for a new registration.
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ products: 2 });
});
afterAll(() => app?.close());

async function buy(
  buyer: Awaited<ReturnType<typeof registerUser>>,
  seller: Awaited<ReturnType<typeof registerUser>>,
  name: string,
) {
  const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
  expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const res = await checkout(buyer, { delivery: { method: 'courier', address: { ...ADDRESS, name } } });
  expect(res.status).toBe(201);
  await pay(buyer, res.body);
  return res.body.orders[0]!.id;
}

describe('account export and erasure', () => {
  it('exports the person’s own orders and nothing of anyone else; erasure anonymises orders and frees the email', async () => {
    const seller = await registerUser(app, 'seller');
    const alice = await registerUser(app.url, 'shopper');
    const bob = await registerUser(app.url, 'shopper');
    const aliceOrder = await buy(alice, seller, 'Alice Wang');
    const bobOrder = await buy(bob, seller, 'Bob Zhang');
    const paidNotice = notificationIdFor('order_paid', aliceOrder, alice.user.id);
    await waitFor(
      async () => (await alice.get(`/api/notifications/${encodeURIComponent(paidNotice)}`)).status === 200,
      30_000,
      'the paid notice',
    );

    const exported = await alice.get('/api/account/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    expect(exported.body.profile!.email).toBe(alice.email);
    expect(exported.body.orders.map((o) => o.id)).toEqual([aliceOrder]);
    expect(exported.body.notifications.map((n) => n.id)).toContain(paidNotice);
    expect(exported.body.sessions.length).toBeGreaterThanOrEqual(1);
    const text = JSON.stringify(exported.body);
    for (const foreign of [bobOrder, bob.email, bob.user.id, 'Bob Zhang'])
      expect(text).not.toContain(foreign);
    expect(text).not.toContain('passwordHash');

    const wrong = await alice.post('/api/account/close', { password: 'not my password at all' });
    expect(wrong.status).toBe(403);
    const closed = await alice.post('/api/account/close', { password: alice.password });
    expect(closed.status).toBe(200);
    expect((await alice.get('/api/auth/session')).body.user).toBeNull();
    expect(
      (await new ApiClient(app.url).post('/api/auth/login', { email: alice.email, password: alice.password }))
        .status,
    ).toBe(401);

    await waitFor(
      async () => (await app.core.queue.get(closed.body.eraseJobId))?.status === 'completed',
      30_000,
      'the erasure job',
    );
    const kept = await app.core.orders.get(aliceOrder);
    expect(kept.delivery.address!.name).toBe('Closed account');
    expect(kept.delivery.address!.phone).toBe('');
    expect(kept.totals.total).toBeGreaterThan(0);
    // The seller still sees the order, without the buyer.
    const sellerView = await seller.get(`/api/orders/${aliceOrder}`);
    expect(sellerView.status).toBe(200);
    expect(JSON.stringify(sellerView.body)).not.toContain('Alice Wang');
    // Bob's order is untouched.
    expect((await app.core.orders.get(bobOrder)).delivery.address!.name).toBe('Bob Zhang');
    expect(
      await app.database.connection.collection('notifications').countDocuments({ userId: alice.user.id }),
    ).toBe(0);

    const again = await new ApiClient(app.url).post('/api/auth/register', {
      email: alice.email,
      password: 'a fresh start for alice',
      name: 'Alice again',
    });
    expect(again.status).toBe(201);
    expect(again.body.user!.id).not.toBe(alice.user.id);
  });
});
