import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, staffAccount, uniqueName, type SignedIn } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import type { ApiClient } from './support/client';
import { waitFor } from './support/process';
import { ApiClient as Client } from './support/client';
import { checkout, leafCategory, stockedProduct } from './support/commerce';

/** Verifies `phone` as the person's login phone with the code the sandbox SMS provider kept. */
async function verifyPhone(person: SignedIn, phone: string): Promise<void> {
  expect((await person.post('/api/account/phone/code', { phone })).status).toBe(202);
  const text = await waitFor(
    async () =>
      (await new Client(app.url).get(`/api/dev/sms?to=${encodeURIComponent(phone)}`)).body.items[0]?.text,
    30_000,
    'the verification text',
  );
  expect((await person.post('/api/account/phone', { phone, code: /(\d{6})/.exec(text)![1]! })).status).toBe(
    200,
  );
}

/** People in the back office over the real API: search and paging, a person's page, roles and who may change them. */

let app: TestApp;
let admin: SignedIn;
let support: SignedIn;

beforeAll(async () => {
  app = await startTestApp();
  admin = await staffAccount(app, 'admin', { name: 'People Admin' });
  support = await staffAccount(app, 'support', { name: 'People Support' });
});
afterAll(() => app?.close());

async function allPages(client: ApiClient, q: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/admin/users?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await client.get(url);
    expect(res.status).toBe(200);
    const body = res.body as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
  } while (cursor);
  return ids;
}

describe('people search', () => {
  it('finds new accounts by email, name word or id prefix, any case, and pages without repeats or gaps', async () => {
    const tag = uniqueName('zq')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        registerUser(app.url, 'shopper', { name: `Quinn ${tag}${i}`, email: `${tag}${i}@example.com` }),
      ),
    );
    await app.core.userDirectory.settled();
    const ids = made.map((m) => m.user.id).sort();
    expect((await allPages(admin, tag.toUpperCase(), 5)).sort()).toEqual(ids);
    expect((await allPages(admin, `quinn ${tag}1`, 3)).length).toBe(3); // 1, 10, 11
    expect(await allPages(admin, made[3]!.user.id, 10)).toEqual([made[3]!.user.id]);

    // Support looks people up with masked contact details; admins only see the admin search.
    const lookup = await support.get(`/api/support/people?q=${tag}3`);
    expect(lookup.body.items).toEqual([
      {
        id: made[3]!.user.id,
        name: `Quinn ${tag}3`,
        maskedEmail: `${tag[0]}***@example.com`,
        roles: ['shopper'],
        blocked: false,
      },
    ]);
    expect((await support.get(`/api/admin/users?q=${tag}`)).status).toBe(403);
    expect((await admin.get('/api/admin/users?cursor=garbage')).status).toBe(422);
  });

  it('shows a person page with account, sessions, orders, points, coupons and an after-sales slot', async () => {
    const shopper = await registerUser(app.url);
    const res = await admin.get(`/api/admin/users/${shopper.user.id}/overview`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      account: { id: shopper.user.id, roles: ['shopper'], blocked: null },
      shop: null,
      sessions: { active: 1 },
      orders: [],
      points: { balance: 0 },
      afterSales: null,
    });
    expect((await support.get(`/api/admin/users/${shopper.user.id}/overview`)).status).toBe(403);
  });
});

describe('support sees people', () => {
  it('finds orders by the buyer’s email or name and lists them with the buyer’s name and masked email', async () => {
    const seller = await registerUser(app, 'seller');
    const buyer = await registerUser(app.url, 'shopper', { name: 'Olive Ordering' });
    const item = await stockedProduct(seller, { stock: 3, categoryId: await leafCategory(seller) });
    expect((await buyer.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
    const placed = await checkout(buyer);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    await app.core.userDirectory.settled();
    for (const q of [buyer.email.toUpperCase(), 'olive ord']) {
      const res = await support.get(`/api/support/orders?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((o) => [o.buyerId, o.buyerName, o.buyerContact]),
        q,
      ).toEqual([[buyer.user.id, 'Olive Ordering', `${buyer.email[0]}***@example.com`]]);
    }
  });
});

describe('names, not ids', () => {
  it('shows support an order’s buyer and seller by name with masked contacts and names each timeline actor; the buyer’s view names nobody', async () => {
    const seller = await registerUser(app, 'seller', { name: 'Sam Seller' });
    const buyer = await registerUser(app.url, 'shopper', { name: 'Nora Named' });
    const phone = `+86136${String(Date.now() % 1e8).padStart(8, '0')}`;
    await verifyPhone(buyer, phone);
    const item = await stockedProduct(seller, { stock: 3, categoryId: await leafCategory(seller) });
    expect((await buyer.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
    const placed = await checkout(buyer);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orders[0]!.id;
    const cancelled = await support.post(`/api/orders/${orderId}/cancel`, { reason: 'Asked by phone' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);

    const seen = await support.get(`/api/orders/${orderId}`);
    expect(seen.body.people).toEqual({
      buyer: {
        id: buyer.user.id,
        name: 'Nora Named',
        email: `${buyer.email[0]}***@example.com`,
        phone: `${phone.slice(3, 6)}****${phone.slice(-4)}`,
      },
      seller: {
        id: seller.user.id,
        name: 'Sam Seller',
        email: `${seller.email[0]}***@example.com`,
        phone: null,
      },
    });
    expect(JSON.stringify(seen.body.people)).not.toContain(phone.slice(6, 10));
    const byActor = seen.body.timeline.map((e) => [e.actorRole, e.actorName]);
    expect(byActor).toContainEqual(['buyer', 'Nora Named']);
    expect(byActor).toContainEqual(['support', 'People Support']);

    const own = await buyer.get(`/api/orders/${orderId}`);
    expect(own.body.people).toBeNull();
    expect(own.body.timeline.every((e) => e.actorName === null)).toBe(true);

    // The people index follows the verified phone: found by the digits people type, +86 or not.
    await app.core.userDirectory.settled();
    for (const q of [phone.slice(3, 10), phone]) {
      const found = await admin.get(`/api/admin/users?q=${encodeURIComponent(q)}`);
      expect(
        found.body.items.map((u) => u.id),
        q,
      ).toEqual([buyer.user.id]);
    }
  });
});

describe('roles', () => {
  it('lets only admins change roles, never their own admin role, and a removed role ends the sessions', async () => {
    const person = await registerUser(app.url);
    expect(
      (await support.put(`/api/admin/users/${person.user.id}/roles`, { roles: ['support'] })).status,
    ).toBe(403);
    const own = await admin.put(`/api/admin/users/${admin.user.id}/roles`, { roles: ['shopper'] });
    expect(own.status).toBe(403);

    const promoted = await admin.put(`/api/admin/users/${person.user.id}/roles`, {
      roles: ['support'],
      reason: 'Joined the support team',
    });
    expect(promoted.body.roles.sort()).toEqual(['shopper', 'support']);
    // Taking effect on the next request, same session.
    expect((await person.get('/api/support/orders')).status).toBe(200);

    const demoted = await admin.put(`/api/admin/users/${person.user.id}/roles`, {
      roles: ['shopper'],
      reason: 'Left the team',
    });
    expect(demoted.body.roles).toEqual(['shopper']);
    await waitFor(
      async () => (await person.get('/api/auth/session')).body.user === null,
      10_000,
      'session ended',
    );

    const audit = await admin.get(`/api/admin/audit?targetId=${person.user.id}&action=user.roles_changed`);
    expect(audit.body.items.map((e: { before: unknown; after: unknown }) => [e.before, e.after])).toEqual([
      [{ roles: ['shopper', 'support'] }, { roles: ['shopper'] }],
      [{ roles: ['shopper'] }, { roles: ['shopper', 'support'] }],
    ]);
  });
});
