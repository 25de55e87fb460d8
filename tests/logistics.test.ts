import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { shopPlace, type DomainEvents } from '@market/core';
import type { Delivery, Order } from '@market/web/wire';
import {
  acceptAndWaitForDelivery,
  courierAt,
  deliveryWhen,
  everyoneOffline,
  near,
  paidOrder,
  staff,
} from './logistics-helpers';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { registerUser } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Logistics through the HTTP API on a real FerretDB: assignment to the nearest courier, decline and
 * timeout, capacity under concurrent accepts, the courier's steps with proof, self-pickup, position rate
 * limits and fan-out, late and silent alerts, and who may do what.
 *
 * The app reads the time from a test clock: offers (60 s), silences (120 s) and rate windows keep their
 * real lengths and never run out on their own while a slow machine works through a test; the tests that
 * are about them hold the clock still and move it past the limit.
 */
let app: TestApp;
let support: Awaited<ReturnType<typeof staff>>;
const clock = createTestClock();

beforeAll(async () => {
  app = await startTestApp({
    products: 10,
    clock: clock.now,
    env: { LOGISTICS_COURIER_CAPACITY: '1', LOGISTICS_LATE_GRACE_SECONDS: '0' },
  });
  support = await staff(app, 'support');
});
afterAll(() => app?.close());
afterEach(() => clock.resume());

/** The position rate window (two intervals of the realtime contract's one second). */
const RATE_WINDOW_MS = 2_000;

const shopOf = (o: { order: Order }) => shopPlace(o.order.shopName, '');
const offersOf = async (courier: ApiClient) =>
  (await courier.get('/api/courier/deliveries')).body.items.filter((d) => d.status === 'assigned');

describe('assignment', () => {
  it('offers a new delivery to the nearest available courier, then the next nearest on decline and on timeout', async () => {
    clock.freeze();
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const shop = shopOf(o);
    const nearest = await courierAt(app, near(shop, 300), 'online', 'Nearest');
    const second = await courierAt(app, near(shop, -1500, 800), 'online', 'Second');
    const third = await courierAt(app, near(shop, 4000), 'online', 'Third');
    const nearerButBusy = await courierAt(app, near(shop, 50), 'busy');
    const nearerButOffline = await courierAt(app, near(shop, 80), 'offline');

    const delivery = await acceptAndWaitForDelivery(app, o);
    expect(delivery).toMatchObject({ method: 'courier', yourRole: 'seller', deliveryCode: null });
    expect(delivery.trackingNumber).toMatch(/^BZX[0-9A-F]{10}$/);
    const offered = await deliveryWhen(support, delivery.id, (d) => d.status === 'assigned');
    expect(offered.offer?.courierId).toBe(nearest.user.id);
    expect(await offersOf(nearerButBusy)).toEqual([]);
    expect(await offersOf(nearerButOffline)).toEqual([]);
    const [offer] = await offersOf(nearest);
    expect(offer).toMatchObject({ id: delivery.id, offerCourierId: nearest.user.id });
    expect(new Date(offer!.offerExpiresAt!).getTime()).toBe(
      clock.now().getTime() + app.config.logistics.offerTimeoutMs,
    );

    // Declined: the next nearest gets it.
    expect(
      (await nearest.post(`/api/courier/deliveries/${delivery.id}/decline`, { reason: 'flat tyre' })).status,
    ).toBe(204);
    const reoffered = await deliveryWhen(support, delivery.id, (d) => d.offer?.courierId === second.user.id);
    expect(reoffered.timeline.map((e) => e.event).slice(0, 3)).toEqual(['offered', 'declined', 'offered']);

    // Not answered in time: the sweep (the 30-s job) passes it on, never back to a decliner.
    clock.advance(app.config.logistics.offerTimeoutMs - 1);
    await app.core.logistics.sweep();
    expect((await support.get(`/api/deliveries/${delivery.id}`)).body.offer?.courierId).toBe(second.user.id);
    clock.advance(1);
    await app.core.logistics.sweep();
    const third1 = await deliveryWhen(support, delivery.id, (d) => d.offer?.courierId === third.user.id);
    expect(third1.timeline[1]).toMatchObject({ event: 'offer_expired', actorRole: 'system' });
    const late = await second.post(`/api/courier/deliveries/${delivery.id}/accept`);
    expect(late.status).toBe(403);

    // Support hands it back to the nearest courier by hand, who accepts.
    const handed = await support.post(`/api/support/deliveries/${delivery.id}/reassign`, {
      courierId: nearest.user.id,
    });
    expect(handed.status).toBe(200);
    expect(handed.body.offer?.courierId).toBe(nearest.user.id);
    const accepted = await nearest.post(`/api/courier/deliveries/${delivery.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      courier: { id: nearest.user.id, name: 'Nearest' },
    });
    expect(accepted.body.dueAt).toBeTruthy();
  });

  it('never books a courier beyond capacity: of two concurrent accepts one wins', async () => {
    await everyoneOffline(app);
    const a = await paidOrder(app);
    const b = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(a), 200));
    const first = await acceptAndWaitForDelivery(app, a);
    await deliveryWhen(support, first.id, (d) => d.offer?.courierId === courier.user.id);
    // Their one slot is spoken for by the open offer: the second delivery waits…
    const second = await acceptAndWaitForDelivery(app, b);
    expect((await support.get(`/api/deliveries/${second.id}`)).body.status).toBe('awaiting_courier');
    // …until support offers it to the same courier anyway, who now holds two offers.
    expect(
      (await support.post(`/api/support/deliveries/${second.id}/reassign`, { courierId: courier.user.id }))
        .status,
    ).toBe(200);
    expect((await offersOf(courier)).map((d) => d.id).sort()).toEqual([first.id, second.id].sort());

    const results = await Promise.all([
      courier.post(`/api/courier/deliveries/${first.id}/accept`),
      courier.post(`/api/courier/deliveries/${second.id}/accept`),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.error.message).toMatch(/already carry 1/);
    const me = (await courier.get('/api/courier/me')).body;
    expect(me).toMatchObject({ capacity: 1, active: 1 });
    // Support cannot force a third on them either.
    const winner = results.find((r) => r.status === 200)!.body.id;
    const loser = winner === first.id ? second.id : first.id;
    const forced = await support.post(`/api/support/deliveries/${loser}/reassign`, {
      courierId: courier.user.id,
    });
    expect(forced.status).toBe(409);
    expect(forced.error.fields[0]).toEqual({ field: 'body.courierId', message: 'fully booked' });

    // A double click on accept is harmless: the same delivery, still one slot.
    const again = await courier.post(`/api/courier/deliveries/${winner}/accept`);
    expect(again.status).toBe(200);
    expect((await courier.get('/api/courier/me')).body.active).toBe(1);
  });
});

describe('a delivery from shop to door', () => {
  it('answers null (200, no error) for a paid order the seller has not accepted, then the delivery', async () => {
    const o = await paidOrder(app);
    for (const client of [o.shopper, o.seller]) {
      const before = await client.get(`/api/orders/${o.orderId}/delivery`);
      expect(before.status).toBe(200);
      expect(before.body).toBeNull();
    }
    const stranger = await registerUser(app.url);
    expect((await stranger.get(`/api/orders/${o.orderId}/delivery`)).status).toBe(404);
    const delivery = await acceptAndWaitForDelivery(app, o);
    const mine = await o.shopper.get(`/api/orders/${o.orderId}/delivery`);
    expect(mine.status).toBe(200);
    expect(mine.body!.id).toBe(delivery.id);
    // Leave no delivery waiting for a courier: the next tests' couriers would be offered it.
    expect((await o.seller.post(`/api/orders/${o.orderId}/cancel`, { reason: 'test over' })).status).toBe(
      200,
    );
    await deliveryWhen(o.seller, delivery.id, (d) => d.status === 'cancelled');
  });

  it('moves the order along: picked up → shipped, proof by code → delivered; the slot frees', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(o), 100));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(200);

    const mine = (await o.shopper.get(`/api/orders/${o.orderId}/delivery`)).body!;
    expect(mine.deliveryCode).toMatch(/^\d{6}$/);
    expect(mine.pickupCode).toBeNull();
    expect(mine.courier?.id).toBe(courier.user.id);
    expect((await courier.get(`/api/deliveries/${delivery.id}`)).body.deliveryCode).toBeNull();

    const early = await courier.post(`/api/courier/deliveries/${delivery.id}/deliver`, {
      code: mine.deliveryCode,
    });
    expect(early.status).toBe(409);
    const picked = await courier.post(`/api/courier/deliveries/${delivery.id}/picked-up`, {});
    expect(picked.status).toBe(200);
    await waitFor(async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'shipped');
    const shipped = (await o.shopper.get(`/api/orders/${o.orderId}`)).body;
    expect(shipped.tracking).toEqual({ carrier: 'Bazaar Express', number: delivery.trackingNumber });
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/in-transit`, {})).status).toBe(200);

    const wrong = await courier.post(`/api/courier/deliveries/${delivery.id}/deliver`, {
      code: mine.deliveryCode === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.error.fields[0].field).toBe('body.code');
    const malformed = await courier.post(`/api/courier/deliveries/${delivery.id}/deliver`, { code: '12ab' });
    expect(malformed.status).toBe(422);
    const done = await courier.post(`/api/courier/deliveries/${delivery.id}/deliver`, {
      code: mine.deliveryCode,
    });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'delivered', proof: { kind: 'code', photo: null } });
    await waitFor(async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'delivered');
    expect((await courier.get('/api/courier/me')).body.active).toBe(0);
    const timeline = (await support.get(`/api/support/deliveries/${delivery.id}`)).body.timeline;
    expect(timeline.map((e) => e.status).reverse()).toEqual([
      'awaiting_courier',
      'assigned',
      'accepted',
      'picked_up',
      'in_transit',
      'delivered',
    ]);
    expect(timeline[0]).toMatchObject({ actorRole: 'courier', actorId: courier.user.id });
  });

  it('takes a photo as proof (type read from the bytes, size limited) and serves it to the shopper', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(o), 100));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    await courier.post(`/api/courier/deliveries/${delivery.id}/accept`);
    await courier.post(`/api/courier/deliveries/${delivery.id}/picked-up`, {});
    const upload = (body: Buffer, type: string) =>
      fetch(`${app.url}/api/courier/deliveries/${delivery.id}/proof-photo`, {
        method: 'POST',
        headers: { cookie: courier.cookieHeader(), 'x-csrf-token': courier.csrfToken, 'content-type': type },
        body: new Uint8Array(body),
      });
    const notImage = await upload(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png');
    expect(notImage.status).toBe(415);
    const huge = await upload(Buffer.alloc(2 * 1024 * 1024 + 1, 0xff), 'image/jpeg');
    expect(huge.status).toBe(413);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(64, 1),
    ]);
    const ok = await upload(png, 'application/octet-stream');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Delivery).proof?.kind).toBe('photo');
    const photo = await fetch(`${app.url}/api/deliveries/${delivery.id}/proof-photo`, {
      headers: { cookie: o.shopper.cookieHeader() },
    });
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(png)).toBe(true);
    const stranger = await registerUser(app.url);
    expect((await stranger.get(`/api/deliveries/${delivery.id}/proof-photo`)).status).toBe(404);
  });

  it('self-pickup: ready at the point at once (order shipped); staff hand it over for the shopper’s code', async () => {
    const o = await paidOrder(app, { pickupPointId: 'pk-sh-jingan' });
    const delivery = await acceptAndWaitForDelivery(app, o);
    expect(delivery).toMatchObject({ method: 'pickup', status: 'ready_for_pickup', pickupCode: null });
    expect(delivery.pickupPoint?.id).toBe('pk-sh-jingan');
    await waitFor(async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'shipped');
    const mine = (await o.shopper.get(`/api/orders/${o.orderId}/delivery`)).body!;
    expect(mine.pickupCode).toMatch(/^\d{6}$/);
    expect(mine.deliveryCode).toBeNull();

    const byShopper = await o.shopper.post(`/api/deliveries/${delivery.id}/collect`, {
      code: mine.pickupCode,
    });
    expect(byShopper.status).toBe(403);
    const wrong = await o.seller.post(`/api/deliveries/${delivery.id}/collect`, {
      code: mine.pickupCode === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(422);
    expect(wrong.error.fields).toEqual([
      { field: 'body.code', message: 'does not match the code the shopper has' },
    ]);
    const collected = await o.seller.post(`/api/deliveries/${delivery.id}/collect`, {
      code: mine.pickupCode,
    });
    expect(collected.status).toBe(200);
    expect(collected.body.status).toBe('delivered');
    await waitFor(async () => (await o.shopper.get(`/api/orders/${o.orderId}`)).body.status === 'delivered');
  });

  it('cancels the delivery when the order is cancelled, and frees the courier', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(o), 100));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(200);
    expect(
      (await o.seller.post(`/api/orders/${o.orderId}/cancel`, { reason: 'out of stock after all' })).status,
    ).toBe(200);
    const cancelled = await deliveryWhen(support, delivery.id, (d) => d.status === 'cancelled');
    expect(cancelled.timeline[0]).toMatchObject({ actorRole: 'system', note: 'Order cancelled' });
    await waitFor(async () => (await courier.get('/api/courier/me')).body.active === 0);
  });
});

describe('shipping by hand', () => {
  const byHand = { carrier: 'SF Express', trackingNumber: 'SF1234567' };

  it('is refused once a courier has accepted the delivery (no Ship action), and allowed once support cancels it', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(o), 100), 'online', 'Wu Courier');
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(200);

    const order = (await o.seller.get(`/api/orders/${o.orderId}`)).body;
    expect(order).toMatchObject({ status: 'accepted', yourRole: 'seller' });
    expect(order.actions).not.toContain('shipped');
    expect(order.actions).toContain('cancelled');
    const refused = await o.seller.post(`/api/orders/${o.orderId}/ship`, byHand);
    expect(refused.status).toBe(409);
    expect(refused.error.message).toBe(
      `A courier delivery handles this order: Wu Courier has accepted it (${delivery.trackingNumber}) and ` +
        'it ships when they pick it up. To ship it yourself, ask support to cancel the courier delivery first.',
    );
    expect((await o.shopper.get(`/api/orders/${o.orderId}`)).body.status).toBe('accepted');
    expect((await support.get(`/api/deliveries/${delivery.id}`)).body.status).toBe('accepted');
    // Nobody else learns about the delivery from the refusal.
    const otherSeller = await registerUser(app, 'seller');
    expect((await otherSeller.post(`/api/orders/${o.orderId}/ship`, byHand)).status).toBe(404);
    expect((await o.shopper.post(`/api/orders/${o.orderId}/ship`, byHand)).status).toBe(403);

    // Support takes the delivery off the courier: the seller may ship it with their own carrier again.
    const cancelled = await support.post(`/api/support/deliveries/${delivery.id}/cancel`, {
      reason: 'the seller sends it by SF',
    });
    expect(cancelled.status).toBe(200);
    expect((await o.seller.get(`/api/orders/${o.orderId}`)).body.actions).toContain('shipped');
    const shipped = await o.seller.post(`/api/orders/${o.orderId}/ship`, byHand);
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({
      status: 'shipped',
      tracking: { carrier: 'SF Express', number: 'SF1234567' },
    });
    expect((await courier.get('/api/courier/me')).body.active).toBe(0);
  });

  it('before a courier accepts, shipping by hand cancels the courier delivery and withdraws the offer', async () => {
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const courier = await courierAt(app, near(shopOf(o), 100));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    expect((await o.seller.get(`/api/orders/${o.orderId}`)).body.actions).toContain('shipped');

    const shipped = await o.seller.post(`/api/orders/${o.orderId}/ship`, {
      carrier: 'JD Logistics',
      trackingNumber: 'JD0012345678',
    });
    expect(shipped.status).toBe(200);
    const cancelled = await deliveryWhen(support, delivery.id, (d) => d.status === 'cancelled');
    expect(cancelled.timeline[0]).toMatchObject({
      event: 'cancelled',
      actorRole: 'system',
      note: 'Shipped by the seller with JD Logistics JD0012345678',
    });
    expect(await offersOf(courier)).toEqual([]);
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(409);
    expect((await courier.get('/api/courier/me')).body.active).toBe(0);
    const order = (await o.shopper.get(`/api/orders/${o.orderId}`)).body;
    expect(order).toMatchObject({
      status: 'shipped',
      tracking: { carrier: 'JD Logistics', number: 'JD0012345678' },
    });
    // The order moves on by hand from here; the cancelled delivery does not follow it any more.
    expect((await o.seller.post(`/api/orders/${o.orderId}/deliver`)).status).toBe(200);
    expect((await support.get(`/api/deliveries/${delivery.id}`)).body.status).toBe('cancelled');
  });

  it('leaves self-pickup alone: the order is shipped to the point by logistics, not by the seller', async () => {
    const o = await paidOrder(app, { pickupPointId: 'pk-sh-jingan' });
    const delivery = await acceptAndWaitForDelivery(app, o);
    await waitFor(async () => (await o.seller.get(`/api/orders/${o.orderId}`)).body.status === 'shipped');
    const order = (await o.seller.get(`/api/orders/${o.orderId}`)).body;
    expect(order.actions).toEqual(['delivered']);
    expect(order.timeline.at(-1)).toMatchObject({ status: 'shipped', actorRole: 'system' });
    const again = await o.seller.post(`/api/orders/${o.orderId}/ship`, byHand);
    expect(again.status).toBe(409);
    expect(again.error.message).toBe('The order is already shipped');
    expect((await support.get(`/api/deliveries/${delivery.id}`)).body.status).toBe('ready_for_pickup');
  });
});

describe('positions', () => {
  it('validates fixes, rate-limits each courier, and publishes courier.location with an ETA', async () => {
    clock.freeze(); // the six fixes below fall in one rate window however long they take
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const shop = shopOf(o);
    const courier = await courierAt(app, near(shop, 500));
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    await courier.post(`/api/courier/deliveries/${delivery.id}/accept`);

    const bad = await courier.post('/api/courier/position', { lat: 91, lng: 'east' });
    expect(bad.status).toBe(422);
    expect(bad.error.fields.map((f) => f.field).sort()).toEqual(['body.lat', 'body.lng']);
    await expect(
      app.core.logistics.reportPosition(courier.user.id, { lat: Number.NaN, lng: 121.5 }),
    ).rejects.toMatchObject({
      status: 422,
      details: { fields: [{ field: 'position.lat', message: 'a number from -90 to 90' }] },
    });

    const seen: DomainEvents['courier.location'][] = [];
    const off = app.bus.subscribe('courier.location', (e) => {
      if (e.deliveryId === delivery.id) seen.push(e);
    });
    clock.advance(RATE_WINDOW_MS); // a fresh rate window
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await courier.post('/api/courier/position', { ...near(shop, 400 - i * 10), speedKmh: 18 });
      statuses.push(res.status);
      retryAfter.push(res.headers.get('retry-after'));
    }
    expect(statuses.slice(0, 3)).toEqual([204, 204, 204]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
    expect(Number(retryAfter[3])).toBeGreaterThanOrEqual(1);
    await expect(app.core.logistics.reportPosition(courier.user.id, near(shop, 1))).rejects.toMatchObject({
      status: 429,
      details: { retryAfterMs: expect.any(Number) },
    });

    // Three fixes in a burst: one published at once, the newest one a second later (trailing).
    await waitFor(async () => seen.length >= 1);
    expect(seen).toHaveLength(1); // the clock stands still: the trailing publish waits for it
    clock.advance(1_000);
    await waitFor(async () => seen.length >= 2);
    off();
    expect(seen).toHaveLength(2);
    expect(new Date(seen[1]!.at).getTime()).toBeGreaterThanOrEqual(new Date(seen[0]!.at).getTime());
    expect(seen[1]).toMatchObject({ courierId: courier.user.id, orderId: o.orderId, speedKmh: 18 });
    expect(seen[1]!.lat).toBeCloseTo(near(shop, 380).lat, 6);
    expect(new Date(seen[1]!.etaAt!).getTime()).toBeGreaterThan(clock.now().getTime());
    const view = (await o.shopper.get(`/api/orders/${o.orderId}/delivery`)).body!;
    expect(view.position?.lat).toBeCloseTo(near(shop, 380).lat, 6);
    expect(view.etaAt).toBeTruthy();
  });
});

describe('alerts', () => {
  it('flags a late delivery and a silent courier, each once per incident', async () => {
    clock.freeze();
    const silentMs = app.config.logistics.silentMs;
    await everyoneOffline(app);
    const o = await paidOrder(app);
    const shop = shopOf(o);
    const courier = await courierAt(app, shop);
    const delivery = await acceptAndWaitForDelivery(app, o);
    await deliveryWhen(courier, delivery.id, (d) => d.status === 'assigned');
    await courier.post(`/api/courier/deliveries/${delivery.id}/accept`);
    await courier.post(`/api/courier/deliveries/${delivery.id}/picked-up`, {});
    const updates: DomainEvents['delivery.updated'][] = [];
    const off = app.bus.subscribe('delivery.updated', (e) => {
      if (e.deliveryId === delivery.id) updates.push(e);
    });

    // Crawling away from the address: the estimate passes the promised time (grace 0 here).
    clock.advance(RATE_WINDOW_MS);
    expect((await courier.post('/api/courier/position', { ...near(shop, -6000), speedKmh: 5 })).status).toBe(
      204,
    );
    await app.core.logistics.sweep();
    await app.core.logistics.sweep();
    const late = await deliveryWhen(support, delivery.id, (d) => d.late);
    expect(late.timeline.filter((e) => e.event === 'late')).toHaveLength(1);
    // The job worker sweeps too: if its move won and a busy store cut its effects short, the
    // announcement waits for the reconcile job, whose schedule stands still on the frozen clock.
    await waitFor(async () => updates.some((u) => u.late) || (await app.core.logistics.reconcile(), false));
    const silentAlerts = async () =>
      (await support.get('/api/support/alerts')).body.items.filter(
        (a) => a.deliveryId === delivery.id && a.kind === 'courier_silent',
      );
    expect(await silentAlerts()).toEqual([]);

    // Silent for exactly LOGISTICS_SILENT_SECONDS is not yet silent; a moment longer is.
    clock.advance(silentMs);
    await app.core.logistics.sweep();
    expect(await silentAlerts()).toEqual([]);
    clock.advance(1_000);
    await app.core.logistics.sweep();
    await app.core.logistics.sweep();
    off();
    const alerts = (await support.get('/api/support/alerts')).body.items.filter(
      (a) => a.deliveryId === delivery.id,
    );
    expect(alerts.map((a) => a.kind).sort()).toEqual(['courier_silent', 'delivery_late']);
    expect(alerts.find((a) => a.kind === 'courier_silent')?.message).toMatch(/has sent no position/);

    // Back on air, then silent again: a new incident.
    expect((await courier.post('/api/courier/position', near(shop, -5000))).status).toBe(204);
    clock.advance(silentMs + 1_000);
    await app.core.logistics.sweep();
    expect(await silentAlerts()).toHaveLength(2);

    const feed = (await support.get('/api/support/deliveries?late=true')).body;
    expect(feed.items.map((d) => d.id)).toContain(delivery.id);
    expect(feed.counters.late).toBeGreaterThanOrEqual(1);
  });
});

describe('roles', () => {
  it('keeps each role to its own endpoints and deliveries', async () => {
    const o = await paidOrder(app, { pickupPointId: 'pk-sh-xujiahui' });
    const delivery = await acceptAndWaitForDelivery(app, o);
    const anonymous = new ApiClient(app.url);
    expect((await anonymous.get('/api/courier/me')).status).toBe(401);
    expect((await o.shopper.get('/api/courier/me')).status).toBe(403);
    expect((await o.shopper.get('/api/courier/deliveries')).status).toBe(403);
    expect((await o.shopper.get('/api/support/deliveries')).status).toBe(403);
    expect(
      (await o.seller.post(`/api/support/deliveries/${delivery.id}/cancel`, { reason: 'x' })).status,
    ).toBe(403);
    const courier = await staff(app, 'courier');
    expect((await courier.get('/api/support/deliveries')).status).toBe(403);
    expect((await courier.get(`/api/deliveries/${delivery.id}`)).status).toBe(404);
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/accept`)).status).toBe(403);
    expect((await courier.post(`/api/courier/deliveries/${delivery.id}/picked-up`, {})).status).toBe(409);
    const stranger = await registerUser(app.url);
    expect((await stranger.get(`/api/orders/${o.orderId}/delivery`)).status).toBe(404);
    expect((await stranger.get(`/api/deliveries/${delivery.id}`)).status).toBe(404);
    const sellerView = (await o.seller.get('/api/seller/deliveries')).body.items;
    expect(sellerView.map((d) => d.id)).toEqual([delivery.id]);
    const availability = await courier.put('/api/courier/availability', { availability: 'napping' });
    expect(availability.status).toBe(422);
    expect(availability.error.fields[0].field).toBe('body.availability');
    const cancelled = await support.post(`/api/support/deliveries/${delivery.id}/cancel`, {
      reason: 'shop closed',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const twice = await support.post(`/api/support/deliveries/${delivery.id}/cancel`, { reason: 'again' });
    expect(twice.status).toBe(409);
  });
});
