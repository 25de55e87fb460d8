import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../core/src/payments';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { ApiClient } from '../../../tests/support/client';
import { checkout, leafCategory, registerUser, stockedProduct } from '../../../tests/support/commerce';

let app: TestApp;
let category: string;
let seller: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  app = await startTestApp({ products: 12 });
  seller = await registerUser(app.url, 'seller');
  category = await leafCategory(seller);
});
afterAll(() => app?.close());

/** An unpaid checkout and the webhook event the sandbox would send when it is paid. */
async function unpaidCheckout() {
  const item = await stockedProduct(seller, { stock: 10, price: 8000, categoryId: category });
  const shopper = await registerUser(app.url);
  await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
  const placed = (await checkout(shopper)).body;
  const payment = await app.core.payments.get(placed.payment.id);
  const event = {
    id: `evt_test_${placed.checkoutId}`,
    type: 'payment.succeeded',
    created: Math.floor(Date.now() / 1000),
    data: {
      paymentId: payment._id,
      providerRef: payment.providerRef,
      amount: payment.amount,
      method: 'wechat',
      refundId: null,
    },
  };
  return { shopper, placed, item, body: JSON.stringify(event) };
}

function deliver(body: string, signature: string) {
  return new ApiClient(app.url).request('POST', '/api/payments/webhooks/sandbox', {
    body,
    headers: { 'content-type': 'application/json', 'sandbox-signature': signature },
  });
}

const secret = () => app.config.commerce.webhookSecret;

describe('payment webhooks', () => {
  it('rejects a forged signature, a stale timestamp and a replayed delivery, changing nothing', async () => {
    const { shopper, placed, body } = await unpaidCheckout();
    const forged = await deliver(body, signWebhook('not-the-secret-'.repeat(3), body, new Date()));
    expect(forged.status).toBe(400);
    expect(forged.error.code).toBe('invalid_signature');
    const tampered = await deliver(body.replace('wechat', 'alipay'), signWebhook(secret(), body, new Date()));
    expect(tampered.error.code).toBe('invalid_signature');
    const stale = await deliver(body, signWebhook(secret(), body, new Date(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(400);
    expect(stale.error.code).toBe('stale_timestamp');
    const missing = await new ApiClient(app.url).post('/api/payments/webhooks/sandbox', JSON.parse(body));
    expect(missing.status).toBe(400);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('pending_payment');

    const signature = signWebhook(secret(), body, new Date());
    expect((await deliver(body, signature)).status).toBe(200);
    const replay = await deliver(body, signature);
    expect(replay.status).toBe(409);
    expect(replay.error.code).toBe('replayed');
  });

  it('marks the order paid once when a valid webhook is delivered three times', async () => {
    const { shopper, placed, item, body } = await unpaidCheckout();
    const before = await app.core.inventory.history(item.sku, 100);
    const results = await Promise.all(
      [0, 1000, 2000].map((ms) => deliver(body, signWebhook(secret(), body, new Date(Date.now() - ms)))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('paid');
    expect(order.timeline.filter((t) => t.status === 'paid')).toHaveLength(1);
    expect(order.refunded).toBe(0);
    // Paying sells the reserved unit: no further stock movement, nothing released or taken twice.
    expect(await app.core.inventory.history(item.sku, 100)).toHaveLength(before.length);
    const payment = await app.core.payments.get(placed.payment.id);
    expect(payment).toMatchObject({ status: 'succeeded', method: 'wechat' });
  });

  it('refunds an order paid after it expired, once', async () => {
    const { shopper, placed, body } = await unpaidCheckout();
    await app.core.checkout.expire(placed.checkoutId);
    for (const ms of [0, 1000])
      expect((await deliver(body, signWebhook(secret(), body, new Date(Date.now() - ms)))).status).toBe(200);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('cancelled');
    expect(order.refunded).toBe(order.totals.total);
    expect(order.timeline.filter((t) => t.event === 'refund')).toHaveLength(1);
  });
});
