import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterSalesRequest } from '@market/web/wire';
import { deliveredOrder } from './aftersales-helpers';
import { courierAt, deliveryWhen, everyoneOffline, near, staff } from './logistics-helpers';
import { startTestApp, type TestApp } from './support/app';
import { registerUser } from './support/accounts';
import { ApiClient } from './support/client';
import { leafCategory } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Courier pickup of a return through the real API on FerretDB: who may book it and when, one booking per
 * request, and the courier's journey (offer, accept, pick up at the buyer's, deliver to the shop with the
 * seller's code) moving the request to shipped, then receipt and refund as for any return. A cancelled
 * pickup gives the buyer the choice back. The two-process race is in `aftersales-race.test.ts`.
 */

let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ products: 2 });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});

afterAll(async () => {
  await app?.close();
});

/** A delivered order of one line and a return asked for all of it, approved unless `approve` is false. */
async function approvedReturn(
  shopper: ApiClient,
  opts: { approve?: boolean; type?: 'return' | 'refund' } = {},
) {
  const { order } = await deliveredOrder(seller, shopper, category, [{ price: 15_000 }]);
  const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
    lineIndex: 0,
    type: opts.type ?? 'return',
    reason: 'quality',
    amount: order.totals.total,
  });
  expect(opened.status).toBe(201);
  if (opts.approve !== false)
    expect((await seller.post(`/api/aftersales/${opened.body.id}/approve`)).status).toBe(200);
  return { order, id: opened.body.id };
}

const requestWhen = (client: ApiClient, id: string, check: (r: AfterSalesRequest) => boolean) =>
  waitFor(async () => {
    const res = await client.get(`/api/aftersales/${id}`);
    return res.status === 200 && check(res.body) ? res.body : null;
  }, 20_000);

describe('booking a courier pickup for a return', () => {
  it('is for the buyer of an approved return, once, and replaces entering a tracking number', async () => {
    const shopper = await registerUser(app.url);
    const { id: notYet } = await approvedReturn(shopper, { approve: false });
    const early = await shopper.post(`/api/aftersales/${notYet}/pickup`);
    expect(early.status).toBe(409);
    expect(early.error).toMatchObject({ code: 'aftersales_state' });
    expect(early.error.message).toMatch(/once the seller approves/);

    const { order, id } = await approvedReturn(shopper);
    const offered = (await shopper.get(`/api/aftersales/${id}`)).body;
    expect(offered).toMatchObject({ status: 'awaiting_return', pickup: null });
    expect(offered.actions).toEqual(expect.arrayContaining(['ship', 'book_pickup', 'withdraw']));

    // Only the buyer: the seller is refused, a stranger and a courier are told it does not exist.
    expect((await seller.post(`/api/aftersales/${id}/pickup`)).status).toBe(403);
    expect((await (await registerUser(app.url)).post(`/api/aftersales/${id}/pickup`)).status).toBe(404);
    expect((await (await staff(app, 'courier')).post(`/api/aftersales/${id}/pickup`)).status).toBe(404);
    expect((await new ApiClient(app.url).post(`/api/aftersales/${id}/pickup`)).status).toBe(401);

    const booked = await shopper.post(`/api/aftersales/${id}/pickup`);
    expect(booked.status).toBe(200);
    expect(booked.body).toMatchObject({ status: 'awaiting_return', deadlineAt: null, tracking: null });
    expect(booked.body.pickup?.deliveryId).toBe(`rt_${id}_1`);
    expect(booked.body.actions).toEqual(['withdraw']);
    expect(booked.body.timeline.at(-1)).toMatchObject({ event: 'pickup_booked', actorRole: 'buyer' });

    // A second booking, and shipping by hand, are refused: the courier is coming.
    const again = await shopper.post(`/api/aftersales/${id}/pickup`);
    expect(again.status).toBe(409);
    expect(again.error).toMatchObject({ code: 'aftersales_pickup_booked' });
    const byHand = await shopper.post(`/api/aftersales/${id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF99887766',
    });
    expect(byHand.status).toBe(409);
    expect(byHand.error).toMatchObject({ code: 'aftersales_pickup_booked' });

    // The pickup is a real delivery the other way round: from the buyer's address to the shop.
    const delivery = (await shopper.get(`/api/deliveries/${booked.body.pickup!.deliveryId}`)).body;
    expect(delivery).toMatchObject({
      kind: 'return',
      returnRequestId: id,
      orderId: order.id,
      method: 'courier',
      yourRole: 'buyer',
      deliveryCode: null,
    });
    // Waiting for a courier, or already offered to one (a courier of this test may be on duty).
    expect(['awaiting_courier', 'assigned']).toContain(delivery.status);
    expect(delivery.pickup.address).toContain('88 Century Ave');
    expect(delivery.dropoff.name).toBe(order.shopName);
    expect(delivery.trackingNumber).toMatch(/^BZR[0-9A-F]{10}$/);
    // The shop is the recipient: the seller holds the code the courier asks for.
    const asSeller = (await seller.get(`/api/deliveries/${delivery.id}`)).body;
    expect(asSeller.deliveryCode).toMatch(/^\d{6}$/);
    // The order's own delivery is untouched (it was shipped by hand and delivered long ago).
    expect((await shopper.get(`/api/orders/${order.id}`)).body.status).toBe('delivered');

    // A refund only has nothing to send back.
    const { id: refundOnly } = await approvedReturn(shopper, { type: 'refund' });
    const refused = await shopper.post(`/api/aftersales/${refundOnly}/pickup`);
    expect(refused.status).toBe(409);
    expect(refused.error.code).toBe('aftersales_state');
  });

  it('is shipped when the courier picks up, received by the seller, refunded', async () => {
    await everyoneOffline(app);
    const shopper = await registerUser(app.url);
    const { order, id } = await approvedReturn(shopper);
    const booked = await shopper.post(`/api/aftersales/${id}/pickup`);
    expect(booked.status).toBe(200);
    const deliveryId = booked.body.pickup!.deliveryId;
    const waiting = (await shopper.get(`/api/deliveries/${deliveryId}`)).body;

    // A courier comes online near the buyer's address and is offered the pickup.
    const courier = await courierAt(app, near(waiting.pickup, 200), 'online', 'Return Rider');
    const offered = await deliveryWhen(shopper, deliveryId, (d) => d.offer?.courierId === courier.user.id);
    expect(offered.status).toBe('assigned');
    const mine = (await courier.get('/api/courier/deliveries')).body.items.find((d) => d.id === deliveryId);
    expect(mine).toMatchObject({ kind: 'return', status: 'assigned' });

    expect((await courier.post(`/api/courier/deliveries/${deliveryId}/accept`)).status).toBe(200);
    expect((await requestWhen(shopper, id, () => true)).status).toBe('awaiting_return');
    const picked = await courier.post(`/api/courier/deliveries/${deliveryId}/picked-up`, {});
    expect(picked.status).toBe(200);

    const shipped = await requestWhen(shopper, id, (r) => r.status === 'return_shipped');
    expect(shipped.tracking).toEqual({ carrier: 'Bazaar Express', number: waiting.trackingNumber });
    expect(shipped.timeline.at(-1)).toMatchObject({ event: 'return_shipped', actorRole: 'system' });
    expect(shipped.timeline.at(-1)!.note).toContain('Return Rider');
    // The seller's queue has it to receive; the order did not move.
    const queue = (await seller.get('/api/seller/aftersales?status=return_shipped')).body.items;
    expect(queue.find((r) => r.id === id)?.actions).toEqual(['confirm_receipt']);
    expect((await shopper.get(`/api/orders/${order.id}`)).body.status).toBe('delivered');

    // Delivered to the shop with the seller's code (the buyer's would not do).
    const code = (await seller.get(`/api/deliveries/${deliveryId}`)).body.deliveryCode!;
    const wrong = await courier.post(`/api/courier/deliveries/${deliveryId}/deliver`, {
      code: code === '000000' ? '000001' : '000000',
    });
    expect(wrong.status).toBe(422);
    const delivered = await courier.post(`/api/courier/deliveries/${deliveryId}/deliver`, { code });
    expect(delivered.status).toBe(200);
    expect(delivered.body.status).toBe('delivered');

    const received = await seller.post(`/api/aftersales/${id}/receive`, { resellable: true });
    expect(received.status).toBe(200);
    const refunded = await requestWhen(shopper, id, (r) => r.status === 'refunded');
    expect(refunded.timeline.map((e) => e.event)).toEqual([
      'opened',
      'approved',
      'pickup_booked',
      'return_shipped',
      'received',
      'refunded',
    ]);
    const after = (await shopper.get(`/api/orders/${order.id}`)).body;
    expect(after.refunded).toBe(order.totals.total);
  });

  it('gives the choice back when the pickup is cancelled, and books a new delivery next time', async () => {
    const shopper = await registerUser(app.url);
    const support = await staff(app, 'support');
    const { id } = await approvedReturn(shopper);
    const first = (await shopper.post(`/api/aftersales/${id}/pickup`)).body.pickup!.deliveryId;
    const cancelled = await support.post(`/api/support/deliveries/${first}/cancel`, {
      reason: 'No riders today',
    });
    expect(cancelled.status).toBe(200);

    const back = await requestWhen(shopper, id, (r) => r.pickup === null);
    expect(back.status).toBe('awaiting_return');
    expect(back.actions).toEqual(expect.arrayContaining(['ship', 'book_pickup']));
    expect(new Date(back.deadlineAt!).getTime()).toBeGreaterThan(Date.now());
    expect(back.timeline.at(-1)).toMatchObject({ event: 'pickup_cancelled', actorRole: 'system' });
    expect(back.timeline.at(-1)!.note).toContain('No riders today');

    const second = await shopper.post(`/api/aftersales/${id}/pickup`);
    expect(second.status).toBe(200);
    expect(second.body.pickup!.deliveryId).toBe(`rt_${id}_2`);

    // Withdrawing the return calls the courier off.
    expect((await shopper.post(`/api/aftersales/${id}/withdraw`)).status).toBe(200);
    const calledOff = await deliveryWhen(shopper, `rt_${id}_2`, (d) => d.status === 'cancelled');
    expect(calledOff.timeline[0]!.note).toMatch(/withdrew/);
  });
});
