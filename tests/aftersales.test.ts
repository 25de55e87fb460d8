import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app';
import { registerUser, staffAccount } from './support/accounts';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { leafCategory } from './support/commerce';
import { deliveredOrder, evidenceJpeg, fetchBytes, uploadEvidence } from './aftersales-helpers';

/**
 * After-sales (售后) through the real API on FerretDB: the return and refund-only journeys, the amount
 * rules, who may do what, one open request per line, and the deadlines on an injected clock.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = createTestClock();
let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let otherSeller: Awaited<ReturnType<typeof registerUser>>;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ products: 2, clock: clock.now });
  seller = await registerUser(app, 'seller');
  otherSeller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});

afterAll(async () => {
  await app?.close();
});

const available = async (productId: string) =>
  (await new ApiClient(app.url).get(`/api/products/${productId}`)).body.variants[0]!.available;

describe('after-sales', () => {
  it('walks a return: photo, approval, shipment, receipt, refund, stock back once', async () => {
    const shopper = await registerUser(app.url);
    const { order, items } = await deliveredOrder(seller, shopper, category, [
      { price: 20_000, qty: 2, stock: 5 },
    ]);
    expect(await available(items[0]!.productId)).toBe(3);

    const photo = await uploadEvidence(shopper, await evidenceJpeg());
    expect(photo.status).toBe(201);
    // Not attached yet: only its uploader may see it.
    expect((await fetchBytes(seller, photo.body.thumbUrl)).status).toBe(404);
    const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'return',
      reason: 'damaged',
      description: 'The lid is cracked',
      amount: order.totals.total,
      evidenceIds: [photo.body.id],
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    expect(opened.body).toMatchObject({ status: 'requested', qty: 2, actions: ['withdraw'] });
    expect(new Date(opened.body.deadlineAt!).getTime()).toBe(
      new Date(opened.body.createdAt).getTime() + app.config.afterSales.sellerResponseMs,
    );

    // The evidence: the buyer, the order's seller and support see it (metadata stripped); nobody else.
    const support = await staffAccount(app, 'support');
    for (const viewer of [shopper, seller, support]) {
      const image = await fetchBytes(viewer, opened.body.evidence[0]!.largeUrl);
      expect(image.status).toBe(200);
      expect(image.type).toBe('image/jpeg');
      expect((await sharp(image.body).metadata()).exif).toBeUndefined();
    }
    expect((await fetchBytes(otherSeller, opened.body.evidence[0]!.thumbUrl)).status).toBe(404);
    expect((await fetchBytes(await registerUser(app.url), opened.body.evidence[0]!.thumbUrl)).status).toBe(
      404,
    );

    const queue = await seller.get('/api/seller/aftersales?status=requested');
    expect(queue.body.items.map((r) => r.id)).toContain(id);
    expect(queue.body.items.find((r) => r.id === id)!.actions).toEqual(['approve', 'reject']);

    const approved = await seller.post(`/api/aftersales/${id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('awaiting_return');
    expect(approved.body.deadlineAt).not.toBeNull();

    const early = await seller.post(`/api/aftersales/${id}/receive`, { resellable: true });
    expect(early.status).toBe(409);
    expect(early.error.code).toBe('aftersales_state');

    const badTracking = await shopper.post(`/api/aftersales/${id}/ship`, {
      carrier: 'SF',
      trackingNumber: '#',
    });
    expect(badTracking.status).toBe(422);
    expect(badTracking.error.fields[0].field).toBe('body.trackingNumber');
    const shipped = await shopper.post(`/api/aftersales/${id}/ship`, {
      carrier: 'SF Express',
      trackingNumber: 'SF7654321',
    });
    expect(shipped.body).toMatchObject({
      status: 'return_shipped',
      tracking: { carrier: 'SF Express', number: 'SF7654321' },
    });

    const received = await seller.post(`/api/aftersales/${id}/receive`, { resellable: true });
    expect(received.status).toBe(200);
    expect(received.body.status).toBe('refunded');
    expect(received.body.timeline.map((e) => e.event)).toEqual([
      'opened',
      'approved',
      'return_shipped',
      'received',
      'refunded',
    ]);

    // The money went back through the order's refund path and the payment port, once.
    const after = (await shopper.get(`/api/orders/${order.id}`)).body;
    expect(after).toMatchObject({ refunded: order.totals.total, refundState: 'full', status: 'refunded' });
    expect(after.timeline.filter((e) => e.event === 'refund').map((e) => e.amount)).toEqual([
      order.totals.total,
    ]);
    const refunds = await app.core.payments.refundsOf(order.id);
    expect(refunds.map((r) => [r._id, r.amount])).toEqual([[`as_${id}`, order.totals.total]]);
    expect(await available(items[0]!.productId)).toBe(5);
    // Running the refund again (the deadline job's retry) changes nothing.
    await app.core.aftersales.runDue();
    await app.core.afterSalesRefund.refund({
      requestId: id,
      orderId: order.id,
      orderNumber: order.number,
      buyerId: shopper.user.id,
      sellerId: seller.user.id,
      sku: items[0]!.sku,
      productId: items[0]!.productId,
      type: 'return',
      qty: 2,
      amount: order.totals.total,
      resellable: true,
    });
    expect(await available(items[0]!.productId)).toBe(5);
    expect((await app.core.payments.refundsOf(order.id)).length).toBe(1);
    expect((await shopper.get(`/api/orders/${order.id}`)).body.refunded).toBe(order.totals.total);
    const summaries = (await shopper.get('/api/orders')).body.items;
    expect(summaries.find((o) => o.id === order.id)!.refundState).toBe('full');
  });

  it('refunds only, in parts, never above what was paid for the line, and refunds the order once all is back', async () => {
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 30_000 }, { price: 10_000 }]);
    const shares = app.core.aftersales.lineShares(await app.core.orders.get(order.id));
    expect(shares[0]! + shares[1]!).toBe(order.totals.total);

    const tooMuch = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'refund',
      reason: 'quality',
      amount: shares[0]! + 1,
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.error.fields[0]).toEqual({
      field: 'body.amount',
      message: `at most ${shares[0]} fen can be refunded for this item`,
    });

    const part = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'refund',
      reason: 'quality',
      amount: 5_000,
    });
    expect(part.status).toBe(201);
    const again = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'refund',
      reason: 'quality',
      amount: 100,
    });
    expect(again.status).toBe(409);
    expect(again.error.code).toBe('aftersales_line_open');
    expect((await seller.post(`/api/aftersales/${part.body.id}/approve`)).body.status).toBe('refunded');
    let current = (await shopper.get(`/api/orders/${order.id}`)).body;
    expect(current).toMatchObject({ status: 'delivered', refunded: 5_000, refundState: 'partial' });
    const sellerView = (await seller.get('/api/seller/orders')).body.items.find((o) => o.id === order.id)!;
    expect(sellerView.refundState).toBe('partial');

    const lines = (await shopper.get(`/api/orders/${order.id}/aftersales`)).body.lines;
    expect(lines.map((l) => l.maxAmount)).toEqual([shares[0]! - 5_000, shares[1]]);
    for (const line of lines) {
      const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
        lineIndex: line.lineIndex,
        type: 'refund',
        reason: 'no_reason',
        amount: line.maxAmount,
      });
      expect(opened.status).toBe(201);
      expect((await seller.post(`/api/aftersales/${opened.body.id}/approve`)).status).toBe(200);
    }
    current = (await shopper.get(`/api/orders/${order.id}`)).body;
    expect(current).toMatchObject({ status: 'refunded', refunded: order.totals.total, refundState: 'full' });
    const none = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 1,
      type: 'refund',
      reason: 'no_reason',
      amount: 1,
    });
    expect(none.status).toBe(409);
  });

  it('lets only the buyer open, only the seller of the order answer, only support decide', async () => {
    const shopper = await registerUser(app.url);
    const stranger = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 8_000 }]);
    const body = { lineIndex: 0, type: 'refund', reason: 'wrong_item', amount: 1_000 };
    expect((await stranger.post(`/api/orders/${order.id}/aftersales`, body)).status).toBe(404);
    expect((await otherSeller.post(`/api/orders/${order.id}/aftersales`, body)).status).toBe(404);
    expect((await seller.post(`/api/orders/${order.id}/aftersales`, body)).status).toBe(403);
    const badLine = await shopper.post(`/api/orders/${order.id}/aftersales`, { ...body, lineIndex: 3 });
    expect(badLine.status).toBe(422);
    expect(badLine.error.fields[0].field).toBe('body.lineIndex');

    const { body: request } = await shopper.post(`/api/orders/${order.id}/aftersales`, body);
    expect((await stranger.get(`/api/aftersales/${request.id}`)).status).toBe(404);
    expect((await otherSeller.post(`/api/aftersales/${request.id}/approve`)).status).toBe(404);
    expect((await shopper.post(`/api/aftersales/${request.id}/approve`)).status).toBe(403);
    const support = await staffAccount(app, 'support');
    const notEscalated = await support.post(`/api/support/aftersales/${request.id}/decide`, {
      outcome: 'approve',
      note: 'ok',
    });
    expect(notEscalated.status).toBe(409);

    const noReason = await seller.post(`/api/aftersales/${request.id}/reject`, { reason: '' });
    expect(noReason.status).toBe(422);
    const rejected = await seller.post(`/api/aftersales/${request.id}/reject`, {
      reason: 'Item matches the listing',
    });
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejection: 'Item matches the listing',
      actions: [],
    });
    expect((await seller.post(`/api/aftersales/${request.id}/escalate`, { note: 'x' })).status).toBe(403);
    const escalated = await shopper.post(`/api/aftersales/${request.id}/escalate`, {
      note: 'It is the wrong colour',
    });
    expect(escalated.body.status).toBe('escalated');
    expect(
      (await shopper.post(`/api/support/aftersales/${request.id}/decide`, { outcome: 'approve', note: 'x' }))
        .status,
    ).toBe(403);
    expect((await support.get('/api/support/aftersales')).body.items.map((r) => r.id)).toContain(request.id);
    const decided = await support.post(`/api/support/aftersales/${request.id}/decide`, {
      outcome: 'approve',
      note: 'Photos show another colour',
    });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('refunded');
    const audit = await app.core.audit.list({ targetId: request.id }, { limit: 10 });
    expect(audit.items.map((e) => [e.action, e.reason])).toEqual([
      ['aftersale.approved', 'Photos show another colour'],
    ]);
  });

  it('lets the buyer withdraw, freeing the line for a new request', async () => {
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 8_000 }]);
    const body = { lineIndex: 0, type: 'return', reason: 'no_reason', amount: 2_000 };
    const first = (await shopper.post(`/api/orders/${order.id}/aftersales`, body)).body;
    expect((await seller.post(`/api/aftersales/${first.id}/withdraw`)).status).toBe(403);
    expect((await shopper.post(`/api/aftersales/${first.id}/withdraw`)).body.status).toBe('withdrawn');
    const second = await shopper.post(`/api/orders/${order.id}/aftersales`, body);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.id);
  });

  it('replays an approval retried with its Idempotency-Key, and keeps unsellable returns off the shelf', async () => {
    const shopper = await registerUser(app.url);
    const { order, items } = await deliveredOrder(seller, shopper, category, [{ price: 6_000, stock: 3 }]);
    const { body: request } = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'return',
      reason: 'quality',
      amount: 6_000,
    });
    const approve = () =>
      seller.request('POST', `/api/aftersales/${request.id}/approve`, {
        headers: { 'idempotency-key': `k-${request.id}` },
      });
    const first = await approve();
    const again = await approve();
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.status).toBe('awaiting_return');
    // Without the key, a second approval is a state conflict.
    expect((await seller.post(`/api/aftersales/${request.id}/approve`)).status).toBe(409);

    await shopper.post(`/api/aftersales/${request.id}/ship`, {
      carrier: 'YTO',
      trackingNumber: 'YT99887766',
    });
    const received = await seller.post(`/api/aftersales/${request.id}/receive`, { resellable: false });
    expect(received.body).toMatchObject({ status: 'refunded', resellable: false });
    expect(await available(items[0]!.productId)).toBe(2);
    expect((await app.core.payments.refundsOf(order.id)).map((r) => r.amount)).toEqual([6_000]);
  });

  it('opens one request when the same line is asked for twice at once', async () => {
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 8_000 }]);
    const body = { lineIndex: 0, type: 'refund', reason: 'no_reason', amount: 1_000 };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => shopper.post(`/api/orders/${order.id}/aftersales`, body)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect((await shopper.get(`/api/orders/${order.id}/aftersales`)).body.requests).toHaveLength(1);
  });
});

describe('after-sales deadlines (injected clock)', () => {
  it('approves for a silent seller exactly at the deadline, then closes a return not shipped in time', async () => {
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 8_000 }]);
    clock.freeze();
    try {
      const opened = (
        await shopper.post(`/api/orders/${order.id}/aftersales`, {
          lineIndex: 0,
          type: 'return',
          reason: 'no_reason',
          amount: 3_000,
        })
      ).body;
      clock.advance(app.config.afterSales.sellerResponseMs - 1);
      await app.core.aftersales.runDue();
      expect((await shopper.get(`/api/aftersales/${opened.id}`)).body.status).toBe('requested');
      clock.advance(1);
      await app.core.aftersales.runDue();
      const approved = (await shopper.get(`/api/aftersales/${opened.id}`)).body;
      expect(approved.status).toBe('awaiting_return');
      expect(approved.timeline.at(-1)).toMatchObject({ event: 'approved', actorRole: 'system' });
      // A seller answering late finds it approved already.
      expect((await seller.post(`/api/aftersales/${opened.id}/reject`, { reason: 'too late' })).status).toBe(
        409,
      );

      clock.advance(app.config.afterSales.returnShipmentMs);
      await app.core.aftersales.runDue();
      const closed = (await shopper.get(`/api/aftersales/${opened.id}`)).body;
      expect(closed.status).toBe('closed');
      expect((await shopper.get(`/api/orders/${order.id}`)).body.refunded).toBe(0);
    } finally {
      clock.resume();
    }
  });

  it('refuses a request after the window with 409 naming the date it closed', async () => {
    const shopper = await registerUser(app.url);
    const { order } = await deliveredOrder(seller, shopper, category, [{ price: 8_000 }]);
    const deliveredAt = new Date(order.timeline.findLast((e) => e.status === 'delivered')!.at);
    const closesAt = new Date(deliveredAt.getTime() + app.config.afterSales.windowMs);
    clock.advance(app.config.afterSales.windowMs + DAY);
    const late = await shopper.post(`/api/orders/${order.id}/aftersales`, {
      lineIndex: 0,
      type: 'refund',
      reason: 'no_reason',
      amount: 100,
    });
    expect(late.status).toBe(409);
    expect(late.error.code).toBe('aftersales_window_closed');
    expect(late.error.message).toContain(closesAt.toISOString().slice(0, 10));
  });
});
