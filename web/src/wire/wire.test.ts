import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  acceptAndWaitForDelivery,
  courierAt,
  deliveryWhen,
  everyoneOffline,
  near,
  staff,
} from '../../../tests/logistics-helpers';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { ApiClient } from '../../../tests/support/client';
import {
  ADDRESS,
  checkout,
  leafCategory,
  pay,
  registerUser,
  stockedProduct,
} from '../../../tests/support/commerce';
import { waitFor } from '../../../tests/support/process';
import { checkedRoutes, routeFor, wireMismatch } from '../../../tests/support/wire-check';
import { shopPlace } from '@market/core';
import { API_RESPONSES, type ApiRoute } from './routes';

/**
 * The CI check that the wire types (`web/src/wire`) and the API agree:
 * - statically, `tsc` type-checks every handler's `ctx.body` against its route's response schema, and the
 *   Svelte app and the tests against the types inferred from those schemas;
 * - here, the table the typed clients use is the routes' own (same schema objects, same statuses), and
 *   real answers of the main endpoints, driven through a whole shopping journey, parse with their schema
 *   and carry no field it does not declare (the test client checks every answer it gets, in every test).
 */

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ products: 12, env: { RECS_TAIL_SECONDS: '0.3', RECS_HOT_CACHE_SECONDS: '0' } });
});
afterAll(() => app?.close());

describe('the wire types table', () => {
  it('lists every JSON answer the routes declare, with the same schema object, and nothing else', () => {
    const declared = new Map<string, z.ZodType>();
    for (const definition of app.routes.definitions) {
      if (definition.type !== 'route') continue;
      const { method, path, responses } = definition.route;
      for (const [status, response] of Object.entries(responses)) {
        const schema = (response as { content?: Record<string, { schema?: unknown }> }).content?.[
          'application/json'
        ]?.schema;
        if (Number(status) < 300 && schema instanceof z.ZodType)
          declared.set(`${method.toUpperCase()} ${path} ${status}`, schema);
      }
    }
    const listed = new Map<string, z.ZodType>(
      Object.entries(API_RESPONSES).flatMap(([route, answers]) =>
        Object.entries(answers).map(([status, schema]) => [`${route} ${status}`, schema as z.ZodType]),
      ),
    );
    // Answers to the payment and payout providers, not to a client of the API (see routes.ts).
    declared.delete('POST /api/payments/webhooks/sandbox 200');
    declared.delete('POST /api/payouts/webhooks/sandbox 200');

    const missing = [...declared.keys()].filter((k) => !listed.has(k));
    const stale = [...listed.keys()].filter((k) => !declared.has(k));
    const otherSchema = [...declared].filter(([k, schema]) => listed.has(k) && listed.get(k) !== schema);
    expect(missing, 'routes to add to web/src/wire/routes.ts (with their schema, exported)').toEqual([]);
    expect(stale, 'entries of web/src/wire/routes.ts that no route declares').toEqual([]);
    expect(
      otherSchema.map(([k]) => k),
      'routes that declare another schema object than web/src/wire/routes.ts lists',
    ).toEqual([]);
  });

  it('finds the route of a URL as the router does', () => {
    expect(routeFor('GET', '/api/orders/ord_1')?.key).toBe('GET /api/orders/{id}');
    expect(routeFor('GET', '/api/orders/ord_1/delivery')?.key).toBe('GET /api/orders/{id}/delivery');
    expect(routeFor('GET', '/api/orders?status=paid&limit=5')?.key).toBe('GET /api/orders');
    expect(routeFor('POST', '/api/orders/ord_1')).toBeUndefined();
    expect(routeFor('GET', '/api/support/photos/review')?.key).toBe('GET /api/support/photos/review');
  });
});

describe('the check of an answer against its wire type', () => {
  const Schema = z.object({
    id: z.string(),
    at: z.iso.datetime(),
    lines: z.array(z.object({ sku: z.string(), qty: z.number() })),
    note: z.string().nullable(),
  });
  const good = { id: 'a', at: '2026-03-01T08:00:00.000Z', lines: [{ sku: 'X', qty: 1 }], note: null };

  it('passes a body that is exactly what the schema says', () => {
    expect(wireMismatch(Schema, good)).toBeNull();
  });

  it('names a missing field, a field of another type and a date that is not ISO', () => {
    const { note: _note, ...withoutNote } = good;
    expect(wireMismatch(Schema, withoutNote)).toMatch(/^note: /);
    expect(wireMismatch(Schema, { ...good, lines: [{ sku: 'X', qty: '1' }] })).toMatch(/^lines\.0\.qty: /);
    expect(wireMismatch(Schema, { ...good, at: 'Sun Mar 01 2026' })).toMatch(/^at: /);
  });

  it('names fields the schema does not declare, at any depth', () => {
    expect(wireMismatch(Schema, { ...good, secret: 1, lines: [{ sku: 'X', qty: 1, cost: 2 }] })).toBe(
      'fields the schema does not declare: lines.0.cost, secret',
    );
  });
});

describe('real answers of the main endpoints', () => {
  /** Every route of these areas is answered at least once below (and checked by the client). */
  const MAIN: ApiRoute[] = [
    'GET /api/categories',
    'GET /api/products',
    'GET /api/products/{id}',
    'POST /api/products',
    'PATCH /api/products/{id}',
    'POST /api/products/{id}/variants',
    'PATCH /api/products/{id}/variants/{sku}',
    'DELETE /api/products/{id}/variants/{sku}',
    'PUT /api/products/{id}/variants/{sku}/stock',
    'GET /api/seller/products',
    'GET /api/seller/imports',
    'GET /api/seller/products/{id}/photos',
    'GET /api/search',
    'GET /api/search/suggest',
    'GET /api/cart',
    'POST /api/cart/lines',
    'PUT /api/cart/lines/{sku}',
    'POST /api/cart/acknowledge',
    'GET /api/pickup-points',
    'POST /api/checkout/quote',
    'POST /api/checkout',
    'GET /api/checkouts/{id}',
    'POST /api/checkouts/{id}/retry-payment',
    'GET /api/sandbox-psp/sessions/{id}',
    'POST /api/sandbox-psp/sessions/{id}/complete',
    'GET /api/orders',
    'GET /api/orders/{id}',
    'POST /api/orders/{id}/accept',
    'POST /api/orders/{id}/complete',
    'POST /api/orders/{id}/cancel',
    'GET /api/seller/orders',
    'GET /api/support/orders',
    'GET /api/products/{id}/reviews',
    'POST /api/products/{id}/reviews',
    'PUT /api/reviews/{id}/reply',
    'POST /api/reviews/{id}/hide',
    'POST /api/reviews/{id}/unhide',
    'GET /api/me/reviewable',
    'GET /api/support/reviews',
    'GET /api/coupons',
    'POST /api/coupons',
    'POST /api/coupons/{id}/deactivate',
    'POST /api/coupons/{id}/activate',
    'GET /api/me/coupons',
    'GET /api/me/points',
    'GET /api/membership/tiers',
    'GET /api/orders/{id}/delivery',
    'GET /api/deliveries/{id}',
    'GET /api/seller/deliveries',
    'GET /api/support/deliveries',
    'GET /api/support/deliveries/{id}',
    'GET /api/support/couriers',
    'GET /api/support/alerts',
    'GET /api/courier/me',
    'PUT /api/courier/availability',
    'GET /api/courier/deliveries',
    'POST /api/courier/deliveries/{id}/accept',
    'POST /api/courier/deliveries/{id}/picked-up',
    'POST /api/courier/deliveries/{id}/in-transit',
    'POST /api/courier/deliveries/{id}/deliver',
    'POST /api/events',
    'GET /api/rankings/hot',
    'GET /api/products/{id}/similar',
    'GET /api/products/{id}/bought-together',
    'GET /api/recs/feed',
    'GET /api/me/profile',
    'GET /api/admin/users/{id}/profile',
    'GET /api/admin/recs/status',
    'DELETE /api/me/profile',
    'GET /api/auth/session',
    'POST /api/auth/register',
    'POST /api/auth/login',
  ];

  it('match their wire types through a whole shopping journey', async () => {
    const visitor = new ApiClient(app.url);
    expect((await visitor.get('/api/auth/session')).status).toBe(200);
    await app.core.listings.settled();
    await app.indexer.settled();

    // Catalog, search and the seller centre.
    const seller = await registerUser(app, 'seller');
    const categoryId = await leafCategory(seller);
    const item = await stockedProduct(seller, { price: 25_000, stock: 20, categoryId });
    const product = `/api/products/${item.productId}` as const;
    expect((await seller.patch(product, { brand: 'Wire Co' })).status).toBe(200);
    const extraSku = `${item.sku}-B`;
    expect((await seller.post(`${product}/variants`, { sku: extraSku, price: 100, stock: 1 })).status).toBe(
      201,
    );
    expect((await seller.patch(`${product}/variants/${extraSku}`, { price: 200 })).status).toBe(200);
    expect((await seller.put(`${product}/variants/${extraSku}/stock`, { available: 2 })).status).toBe(200);
    expect((await seller.delete(`${product}/variants/${extraSku}`)).status).toBe(200);
    expect((await seller.get('/api/seller/products?limit=5')).status).toBe(200);
    expect((await seller.get('/api/seller/imports')).status).toBe(200);
    expect((await seller.get(`/api/seller/products/${item.productId}/photos`)).status).toBe(200);
    const listed = (await visitor.get('/api/products?limit=5&sort=price_desc')).body.items;
    expect(listed.length).toBeGreaterThan(0);
    expect((await visitor.get(`${product}?view=1`)).body.variants[0]?.sku).toBe(item.sku);
    const word = listed[0]!.name.split(/\s+/)[0]!;
    expect((await visitor.get(`/api/search?q=${encodeURIComponent(word)}`)).status).toBe(200);
    expect((await visitor.get(`/api/search/suggest?q=${encodeURIComponent(word.slice(0, 3))}`)).status).toBe(
      200,
    );
    expect((await visitor.get('/api/membership/tiers')).status).toBe(200);
    expect((await visitor.get('/api/pickup-points')).body.items.length).toBeGreaterThan(0);

    // Staff: an admin (coupons, recommender), support and a courier by the shop.
    const adminEmail = `wire-admin-${randomBytes(4).toString('hex')}@example.test`;
    await app.core.users.createUser({
      email: adminEmail,
      name: 'Admin',
      password: 'admin password 1',
      roles: ['admin'],
    });
    const admin = new ApiClient(app.url);
    await admin.login(adminEmail, 'admin password 1');
    const support = await staff(app, 'support');
    await everyoneOffline(app);

    const couponCode = `WIRE${randomBytes(3).toString('hex').toUpperCase()}`;
    const coupon = await admin.post('/api/coupons', {
      code: couponCode,
      kind: 'fixed',
      value: 1_000,
      minSpend: 10_000,
      endsAt: '2099-01-01T00:00:00Z',
    });
    expect(coupon.status, JSON.stringify(coupon.body)).toBe(201);
    expect((await admin.post(`/api/coupons/${coupon.body.id}/deactivate`)).status).toBe(200);
    expect((await admin.post(`/api/coupons/${coupon.body.id}/activate`)).status).toBe(200);
    expect((await admin.get('/api/coupons')).status).toBe(200);

    // A shopper's cart, checkout with the coupon, payment and orders.
    const shopper = await registerUser(app.url);
    expect(
      (await shopper.post('/api/events', { events: [{ type: 'view', productId: item.productId }] })).status,
    ).toBe(202);
    expect((await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
    expect((await shopper.put(`/api/cart/lines/${item.sku}`, { qty: 2 })).status).toBe(200);
    expect((await shopper.post('/api/cart/acknowledge')).status).toBe(200);
    expect((await shopper.get('/api/cart')).body.itemCount).toBe(2);
    expect((await shopper.get('/api/me/coupons')).body.items.map((c) => c.code)).toContain(couponCode);
    const delivery = { method: 'courier', address: ADDRESS };
    const quote = await shopper.post('/api/checkout/quote', { delivery, couponCode });
    expect(quote.body.discount).toBe(1_000);
    const placed = await checkout(shopper, { delivery, couponCode });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const orderId = placed.body.orders[0]!.id;
    const sessionId = placed.body.payment.redirectUrl.split('/').pop()!;
    expect((await shopper.get(`/api/sandbox-psp/sessions/${sessionId}`)).body.status).toBe('open');
    await pay(shopper, placed.body);
    expect((await shopper.get(`/api/checkouts/${placed.body.checkoutId}`)).body.paymentStatus).toBe(
      'succeeded',
    );
    expect((await shopper.get('/api/orders')).body.items.map((o) => o.id)).toContain(orderId);
    const order = (await shopper.get(`/api/orders/${orderId}`)).body;
    expect(order.coupon?.code).toBe(couponCode);
    expect((await shopper.get('/api/me/points')).status).toBe(200);

    // The delivery: the seller accepts, the nearest courier carries it, the shopper's code is the proof.
    const courier = await courierAt(app, near(shopPlace(order.shopName, ''), 100));
    expect((await courier.get('/api/courier/me')).body.availability).toBe('online');
    const paid = { seller, shopper, orderId, order };
    const created = await acceptAndWaitForDelivery(app, paid);
    await deliveryWhen(courier, created.id, (d) => d.status === 'assigned');
    // The courier's list reads the open-deliveries copy, which may trail the stream for a moment.
    await waitFor(
      async () => (await courier.get('/api/courier/deliveries')).body.items.some((d) => d.id === created.id),
      20_000,
      "the offer in the courier's list",
    );
    expect((await courier.post(`/api/courier/deliveries/${created.id}/accept`)).status).toBe(200);
    const code = (await shopper.get(`/api/orders/${orderId}/delivery`)).body!.deliveryCode!;
    expect((await courier.post(`/api/courier/deliveries/${created.id}/picked-up`, {})).status).toBe(200);
    expect((await courier.post(`/api/courier/deliveries/${created.id}/in-transit`, {})).status).toBe(200);
    expect((await courier.post(`/api/courier/deliveries/${created.id}/deliver`, { code })).status).toBe(200);
    expect((await shopper.get(`/api/deliveries/${created.id}`)).body.status).toBe('delivered');
    expect((await seller.get('/api/seller/deliveries')).body.items.map((d) => d.id)).toContain(created.id);
    expect((await support.get('/api/support/deliveries')).status).toBe(200);
    expect((await support.get(`/api/support/deliveries/${created.id}`)).body.deliveryCode).toBe(code);
    expect((await support.get('/api/support/couriers')).status).toBe(200);
    expect((await support.get('/api/support/alerts')).status).toBe(200);
    expect((await courier.put('/api/courier/availability', { availability: 'offline' })).status).toBe(200);
    await waitFor(async () => (await shopper.get(`/api/orders/${orderId}`)).body.status === 'delivered');
    expect((await shopper.post(`/api/orders/${orderId}/complete`)).body.status).toBe('completed');
    expect((await seller.get('/api/seller/orders')).body.items.map((o) => o.id)).toContain(orderId);
    expect((await support.get(`/api/support/orders?q=${orderId}`)).body.items.map((o) => o.id)).toEqual([
      orderId,
    ]);

    // A review, the seller's reply, support's moderation.
    const reviewable = (await shopper.get('/api/me/reviewable')).body.items;
    expect(reviewable.map((r) => r.productId)).toContain(item.productId);
    const review = await shopper.post(`${product}/reviews`, { orderId, rating: 4, title: 'Does the job' });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    const reviewUrl = `/api/reviews/${encodeURIComponent(review.body.id)}` as const;
    expect((await seller.put(`${reviewUrl}/reply`, { body: 'Thank you!' })).body.reply?.body).toBe(
      'Thank you!',
    );
    expect((await support.post(`${reviewUrl}/hide`, { reason: 'checking the wire' })).body.hidden).toBe(true);
    expect((await support.post(`${reviewUrl}/unhide`)).body.hidden).toBe(false);
    expect((await visitor.get(`${product}/reviews`)).body.summary.count).toBe(1);
    expect((await support.get('/api/support/reviews')).status).toBe(200);

    // A checkout whose payment fails: a new payment page, then the shopper cancels.
    expect((await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 })).status).toBe(200);
    const unpaid = await checkout(shopper);
    expect(unpaid.status, JSON.stringify(unpaid.body)).toBe(201);
    await pay(shopper, unpaid.body, 'fail');
    expect((await shopper.post(`/api/checkouts/${unpaid.body.checkoutId}/retry-payment`)).status).toBe(200);
    const cancelled = await shopper.post(`/api/orders/${unpaid.body.orders[0]!.id}/cancel`, {
      reason: 'changed my mind',
    });
    expect(cancelled.body.status).toBe('cancelled');

    // Recommendations, then the profile's reset.
    await app.recs.settled();
    expect((await visitor.get('/api/rankings/hot?limit=5')).status).toBe(200);
    expect((await visitor.get(`${product}/similar?limit=5`)).status).toBe(200);
    expect((await visitor.get(`${product}/bought-together?limit=5`)).status).toBe(200);
    expect((await shopper.get('/api/recs/feed?limit=5')).status).toBe(200);
    expect((await shopper.get('/api/me/profile')).body.purchased.map((p) => p.id)).toContain(item.productId);
    expect((await admin.get(`/api/admin/users/${shopper.user.id}/profile`)).status).toBe(200);
    expect((await admin.get('/api/admin/recs/status')).status).toBe(200);
    expect((await shopper.delete('/api/me/profile')).body.reset).toBe(true);

    expect(MAIN.filter((route) => !checkedRoutes.has(route))).toEqual([]);
  });
});
