import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { registerUser } from './support/accounts';
import { ApiClient } from './support/client';
import { leafCategory } from './support/commerce';
import type { AppProcess } from './support/process';
import { deliveredOrder } from './aftersales-helpers';

/**
 * After-sales races across two app processes on one FerretDB: the seller approves the same request from
 * both at once (one approval, one refund), the buyer books a courier pickup for the same return on both
 * at once (one booking, one delivery), and the buyer opens the same line on both at once (one request). An in-process lock would pass neither test's second half; the ledger's unique insert does.
 */

const SECRET = randomBytes(32).toString('hex');
const ROUNDS = 5;

let app: TestApp;
let second: AppProcess;

beforeAll(async () => {
  app = await startTestApp({ products: 2, env: { SESSION_SECRET: SECRET } });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
  });
});

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

/** The same account signed in on the second process too. */
async function onSecond(client: { email: string; password: string }) {
  const other = new ApiClient(second.url);
  await other.login(client.email, client.password);
  return other;
}

describe('after-sales races across two processes', () => {
  it('refunds once when the seller approves the same request on both processes at once', async () => {
    const seller = await registerUser(app, 'seller');
    const sellerThere = await onSecond(seller);
    const category = await leafCategory(seller);
    for (let round = 0; round < ROUNDS; round++) {
      const shopper = await registerUser(app.url);
      const { order } = await deliveredOrder(seller, shopper, category, [{ price: 12_000 }]);
      const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
        lineIndex: 0,
        type: 'refund',
        reason: 'no_reason',
        amount: 4_000,
      });
      expect(opened.status).toBe(201);
      const id = opened.body.id;
      const answers = await Promise.all([
        seller.post(`/api/aftersales/${id}/approve`),
        sellerThere.post(`/api/aftersales/${id}/approve`),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.error.code).toBe('aftersales_state');

      const request = (await shopper.get(`/api/aftersales/${id}`)).body;
      expect(request.status).toBe('refunded');
      expect(request.timeline.filter((e) => e.event === 'approved')).toHaveLength(1);
      const after = (await shopper.get(`/api/orders/${order.id}`)).body;
      expect(after).toMatchObject({ refunded: 4_000, refundState: 'partial' });
      expect(after.timeline.filter((e) => e.event === 'refund')).toHaveLength(1);
      const refunds = await app.core.payments.refundsOf(order.id);
      expect(refunds.map((r) => [r._id, r.amount])).toEqual([[`as_${id}`, 4_000]]);
    }
  });

  it('books one courier pickup when the buyer books the same return on both processes at once', async () => {
    const seller = await registerUser(app, 'seller');
    const category = await leafCategory(seller);
    for (let round = 0; round < ROUNDS; round++) {
      const shopper = await registerUser(app.url);
      const shopperThere = await onSecond(shopper);
      const { order } = await deliveredOrder(seller, shopper, category, [{ price: 7_000 }]);
      const opened = await shopper.post(`/api/orders/${order.id}/aftersales`, {
        lineIndex: 0,
        type: 'return',
        reason: 'wrong_item',
        amount: 7_000,
      });
      expect(opened.status).toBe(201);
      const id = opened.body.id;
      expect((await seller.post(`/api/aftersales/${id}/approve`)).status).toBe(200);
      const answers = await Promise.all([
        shopper.post(`/api/aftersales/${id}/pickup`),
        shopperThere.post(`/api/aftersales/${id}/pickup`),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(answers.find((a) => a.status === 409)!.error.code).toBe('aftersales_pickup_booked');

      const request = (await shopper.get(`/api/aftersales/${id}`)).body;
      expect(request.timeline.filter((e) => e.event === 'pickup_booked')).toHaveLength(1);
      expect(request.pickup?.deliveryId).toBe(`rt_${id}_1`);
      // One return delivery for the request, in the database itself (not only what the API shows).
      const deliveries = await app.database.connection
        .collection<{ _id: string }>('deliveries')
        .find({ returnRequestId: id })
        .toArray();
      expect(deliveries.map((d) => d._id)).toEqual([`rt_${id}_1`]);
      expect((await shopper.get(`/api/deliveries/rt_${id}_1`)).body.kind).toBe('return');
    }
  });

  it('opens one request when the buyer asks for the same line on both processes at once', async () => {
    const seller = await registerUser(app, 'seller');
    const category = await leafCategory(seller);
    for (let round = 0; round < ROUNDS; round++) {
      const shopper = await registerUser(app.url);
      const shopperThere = await onSecond(shopper);
      const { order } = await deliveredOrder(seller, shopper, category, [{ price: 9_000 }]);
      const body = { lineIndex: 0, type: 'return', reason: 'damaged', amount: 9_000 };
      const answers = await Promise.all([
        shopper.post(`/api/orders/${order.id}/aftersales`, body),
        shopperThere.post(`/api/orders/${order.id}/aftersales`, body),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(answers.find((a) => a.status === 409)!.error.code).toBe('aftersales_line_open');
      const state = (await shopper.get(`/api/orders/${order.id}/aftersales`)).body;
      expect(state.requests).toHaveLength(1);
      expect(state.lines[0]!.openRequestId).toBe(state.requests[0]!.id);
    }
  });
});
