import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiClient } from './client';
import { ADDRESS } from './commerce';
import { waitFor } from './process';

/** Helpers of the marketplace-money tests: an order's life from paid to completed, refunds, payouts. */

/** The seller accepts, ships by hand and marks delivered; the buyer confirms receipt. */
export async function deliverAndComplete(seller: ApiClient, buyer: ApiClient, orderId: string) {
  await deliver(seller, orderId);
  const done = await buyer.post(`/api/orders/${orderId}/complete`);
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body;
}

export async function deliver(seller: ApiClient, orderId: string) {
  for (const [step, body] of [
    ['accept', undefined],
    ['ship', { carrier: 'SF', trackingNumber: `SF${orderId.slice(-10).replace(/[^A-Za-z0-9]/g, '0')}` }],
    ['deliver', undefined],
  ] as const) {
    const res = await seller.post(`/api/orders/${orderId}/${step}`, body);
    expect(res.status, `${step}: ${JSON.stringify(res.body)}`).toBe(200);
  }
}

/** Support refunds `amount` fen (all that is left when null) of an order. */
export async function refund(support: ApiClient, orderId: string, amount: number | null) {
  const res = await support.request('POST', `/api/orders/${orderId}/refunds`, {
    json: { ...(amount !== null && { amount }), reason: 'test refund' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Checks out the cart (courier delivery) with an optional coupon and points. */
export async function checkoutWith(buyer: ApiClient, opts: { couponCode?: string; points?: number } = {}) {
  const res = await buyer.request('POST', '/api/checkout', {
    json: {
      delivery: { method: 'courier', address: ADDRESS },
      ...(opts.couponCode && { couponCode: opts.couponCode }),
      ...(opts.points && { pointsToRedeem: opts.points }),
    },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as {
    checkoutId: string;
    orders: { id: string; sellerId: string; total: number }[];
    payment: { redirectUrl: string };
  };
}

/** Waits until every payout of the seller has an outcome (paid or failed). */
export async function payoutsSettled(seller: ApiClient, timeoutMs = 60_000) {
  return waitFor(async () => {
    const res = await seller.get('/api/seller/finance/payouts');
    const items = res.body.items;
    return items.length > 0 &&
      items.every((p) => p.status === 'paid' || p.status === 'failed' || p.status === 'refused')
      ? items
      : null;
  }, timeoutMs);
}
