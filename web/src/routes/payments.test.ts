import { createHmac, randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '@market/core';
import { NAMESPACES, type OpsAlertMessage } from '@market/realtime/contract';
import type { CheckoutResult, WebhookAck } from '@market/web/wire';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { ApiClient, type Response } from '../../../tests/support/client';
import { checkout, leafCategory, registerUser, stockedProduct } from '../../../tests/support/commerce';
import { waitFor } from '../../../tests/support/process';

let app: TestApp;
let category: string;
let seller: Awaited<ReturnType<typeof registerUser>>;
let support: ApiClient;
let supportSocket: Socket;
const alertsPushed: OpsAlertMessage[] = [];
/** The secret the app generated and keeps in the database: what a real provider would have been given. */
let storedSecret: string;

// A default start: no PAYMENT_WEBHOOK_SECRET (startTestApp sets only a random SESSION_SECRET).
beforeAll(async () => {
  app = await startTestApp({ products: 12 });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
  const doc = await app.database.connection
    .collection<{ _id: string; value: string }>('secrets')
    .findOne({ _id: 'payment-webhook' });
  storedSecret = doc!.value;

  const email = `support-${randomBytes(4).toString('hex')}@example.test`;
  await app.core.users.createUser({
    email,
    name: 'Support',
    password: 'support password 1',
    roles: ['support'],
  });
  support = new ApiClient(app.url);
  await support.login(email, 'support password 1');
  supportSocket = connect(`${app.url}${NAMESPACES.support}`, {
    transports: ['websocket'],
    extraHeaders: { cookie: support.cookieHeader() },
    forceNew: true,
  });
  supportSocket.on('ops.alert', (m: OpsAlertMessage) => alertsPushed.push(m));
  await new Promise<void>((resolve, reject) => {
    supportSocket.once('connect', resolve);
    supportSocket.once('connect_error', reject);
  });
});
afterAll(async () => {
  supportSocket?.disconnect();
  await app?.close();
});

/** An unpaid checkout and the `payment.succeeded` the sandbox would send when it is paid. */
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
      currency: 'CNY',
      method: 'wechat',
      refundId: null,
    },
  };
  return { shopper, placed, item, event, body: JSON.stringify(event) };
}

/** The webhook is not in the client's table of routes (it answers the provider), so its answer is typed here. */
function deliver(body: string, signature: string): Promise<Response<WebhookAck>> {
  return new ApiClient(app.url).request('POST', '/api/payments/webhooks/sandbox', {
    body,
    headers: { 'content-type': 'application/json', 'sandbox-signature': signature },
  }) as Promise<Response<WebhookAck>>;
}

const signed = (body: string, at = new Date()) => signWebhook(storedSecret, body, at);
const stockOf = async (sku: string) => (await app.core.inventory.getLevels([sku])).get(sku)!.available;

/** What a webhook must not have touched: the order, the payment, the stock. */
async function snapshot(shopper: ApiClient, placed: CheckoutResult, sku: string) {
  const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
  const payment = await app.core.payments.get(placed.payment.id);
  return {
    status: order.status,
    refunded: order.refunded,
    timeline: order.timeline.length,
    payment: { status: payment.status, method: payment.method, updatedAt: payment.updatedAt },
    stock: await stockOf(sku),
  };
}

describe('payment webhook secret', () => {
  it('is random and kept in the database when PAYMENT_WEBHOOK_SECRET is not set', () => {
    expect(app.config.commerce.webhookSecret).toBeUndefined();
    expect(storedSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses webhooks signed with a key derived from any fixed string, and the order stays unpaid', async () => {
    const { shopper, placed, item, body } = await unpaidCheckout();
    const before = await snapshot(shopper, placed, item.sku);
    const derived = (key: string) => createHmac('sha256', key).update('payment-webhooks').digest('hex');
    const guesses = [
      derived('development-only'), // what every default start used before
      derived(app.config.session.secret!), // the same derivation from this app's session secret
      'development-only',
      app.config.session.secret!,
      derived(''),
    ];
    for (const key of guesses) {
      expect(key).not.toBe(storedSecret);
      const res = await deliver(body, signWebhook(key, body, new Date()));
      expect(res.status).toBe(400);
      expect(res.error.code).toBe('invalid_signature');
    }
    expect(await snapshot(shopper, placed, item.sku)).toEqual(before);
    expect(before.status).toBe('pending_payment');
    expect(before.payment.status).toBe('pending');
  });
});

describe('payment webhooks', () => {
  it('rejects a forged signature, a stale timestamp and a replayed delivery, changing nothing', async () => {
    const { shopper, placed, body } = await unpaidCheckout();
    const forged = await deliver(body, signWebhook('not-the-secret-'.repeat(3), body, new Date()));
    expect(forged.status).toBe(400);
    expect(forged.error.code).toBe('invalid_signature');
    const tampered = await deliver(body.replace('wechat', 'alipay'), signed(body));
    expect(tampered.error.code).toBe('invalid_signature');
    const stale = await deliver(body, signed(body, new Date(Date.now() - 6 * 60_000)));
    expect(stale.status).toBe(400);
    expect(stale.error.code).toBe('stale_timestamp');
    const missing = await new ApiClient(app.url).post('/api/payments/webhooks/sandbox', JSON.parse(body));
    expect(missing.status).toBe(400);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('pending_payment');

    const signature = signed(body);
    expect((await deliver(body, signature)).status).toBe(200);
    const replay = await deliver(body, signature);
    expect(replay.status).toBe(409);
    expect(replay.error.code).toBe('replayed');
  });

  it('processes an event once: the same event re-signed later is acknowledged as a duplicate', async () => {
    const { shopper, placed, item, body } = await unpaidCheckout();
    const first = await deliver(body, signed(body));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ received: true, processed: true, duplicate: false });
    const paid = await snapshot(shopper, placed, item.sku);
    expect(paid.status).toBe('paid');

    // The provider retries with a fresh timestamp (its earlier answer was lost): 2xx, so it stops.
    const again = await deliver(body, signed(body, new Date(Date.now() + 1500)));
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ received: true, processed: false, duplicate: true });
    expect(await snapshot(shopper, placed, item.sku)).toEqual(paid);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.timeline.filter((t) => t.status === 'paid')).toHaveLength(1);
  });

  it('marks the order paid once when a valid webhook is delivered three times at once', async () => {
    const { shopper, placed, item, body } = await unpaidCheckout();
    const before = await app.core.inventory.history(item.sku, 100);
    const results = await Promise.all(
      [0, 1000, 2000].map((ms) => deliver(body, signed(body, new Date(Date.now() - ms)))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.filter((r) => !r.body.duplicate)).toHaveLength(1);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('paid');
    expect(order.timeline.filter((t) => t.status === 'paid')).toHaveLength(1);
    expect(order.refunded).toBe(0);
    // Paying sells the reserved unit: no further stock movement, nothing released or taken twice.
    expect(await app.core.inventory.history(item.sku, 100)).toHaveLength(before.length);
    const payment = await app.core.payments.get(placed.payment.id);
    expect(payment).toMatchObject({ status: 'succeeded', method: 'wechat' });
  });

  it('finishes an event whose processing a crash cut short when the provider redelivers it', async () => {
    const { shopper, placed, event, body } = await unpaidCheckout();
    // What a process that died right after claiming the event leaves behind.
    await app.database.connection
      .collection<{ _id: string; [field: string]: unknown }>('payment_events')
      .insertOne({
        _id: `sandbox:${event.id}`,
        type: event.type,
        paymentId: event.data.paymentId,
        state: 'received',
        refusal: null,
        receivedAt: new Date(),
        updatedAt: new Date(),
      });
    const res = await deliver(body, signed(body));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, processed: true, duplicate: true });
    expect((await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body.status).toBe('paid');
    const after = await deliver(body, signed(body, new Date(Date.now() + 1000)));
    expect(after.body).toEqual({ received: true, processed: false, duplicate: true });
  });
});

describe('payment events that do not match the payment', () => {
  type WebhookData = Awaited<ReturnType<typeof unpaidCheckout>>['event']['data'];
  const cases = [
    { name: 'amount', field: 'amount', change: (d: WebhookData) => ({ ...d, amount: 1 }) },
    { name: 'currency', field: 'currency', change: (d: WebhookData) => ({ ...d, currency: 'USD' }) },
    {
      name: 'provider session',
      field: 'providerRef',
      change: (d: WebhookData) => ({ ...d, providerRef: 'sbx_other' }),
    },
  ];

  for (const c of cases) {
    it(`refuses a payment.succeeded with another ${c.name}, changes nothing and alerts support`, async () => {
      const { shopper, placed, item, event } = await unpaidCheckout();
      const before = await snapshot(shopper, placed, item.sku);
      const body = JSON.stringify({ ...event, data: c.change(event.data) });
      const res = await deliver(body, signed(body));
      expect(res.status).toBe(422);
      expect(res.error).toMatchObject({
        code: 'payment_mismatch',
        paymentId: placed.payment.id,
        eventId: event.id,
      });
      expect(res.error.fields.map((f) => f.field)).toEqual([`body.data.${c.field}`]);
      expect(await snapshot(shopper, placed, item.sku)).toEqual(before);

      // Stored, so support sees it after a reload, and pushed live to the support console.
      const stored = (await support.get('/api/support/alerts?limit=100')).body.items.filter(
        (a) => a.paymentId === placed.payment.id,
      );
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        kind: 'payment_mismatch',
        orderId: placed.orders[0]!.id,
        deliveryId: null,
      });
      expect(stored[0]!.message).toContain(c.field);
      const pushed = await waitFor(
        async () => alertsPushed.find((m) => m.paymentId === placed.payment.id),
        10_000,
        'the alert on the support socket',
      );
      expect(pushed).toMatchObject({ alertId: stored[0]!.id, kind: 'payment_mismatch' });

      // The provider retries it: refused again, still nothing changed, no second alert.
      const retry = await deliver(body, signed(body, new Date(Date.now() + 1000)));
      expect(retry.status).toBe(422);
      expect(retry.error.code).toBe('payment_mismatch');
      expect(await snapshot(shopper, placed, item.sku)).toEqual(before);
      expect(await app.core.alerts.forPayment(placed.payment.id)).toHaveLength(1);

      // The true event still goes through afterwards.
      const truth = JSON.stringify({ ...event, id: `${event.id}_true` });
      expect((await deliver(truth, signed(truth))).status).toBe(200);
      expect((await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body.status).toBe('paid');
    });
  }

  it('refuses a refund.succeeded for a refund the shop never asked for', async () => {
    const { placed, event, body } = await unpaidCheckout();
    expect((await deliver(body, signed(body))).status).toBe(200);
    const refundEvent = JSON.stringify({
      ...event,
      id: `${event.id}_refund`,
      type: 'refund.succeeded',
      data: { ...event.data, refundId: 'rf_invented', amount: event.data.amount },
    });
    const res = await deliver(refundEvent, signed(refundEvent));
    expect(res.status).toBe(422);
    expect(res.error.fields.map((f) => f.field)).toEqual(['body.data.refundId']);
    expect(await app.core.payments.refundsOf(placed.orders[0]!.id)).toEqual([]);
    expect(await app.core.alerts.forPayment(placed.payment.id)).toHaveLength(1);
  });
});
