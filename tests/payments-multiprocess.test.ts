import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signWebhook } from '@market/core';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { freePort, spawnApp, type AppProcess } from './support/process';

/**
 * Two app processes started at the same moment on one new database, neither with PAYMENT_WEBHOOK_SECRET:
 * they must settle on one generated secret, or a webhook signed by one would be refused by the other.
 * Only the spawned process runs jobs, and it sends the sandbox's webhooks to the in-process app.
 */

let app: TestApp;
let other: AppProcess;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-pay2-'));

beforeAll(async () => {
  const dbName = `paysecret_${randomBytes(4).toString('hex')}`;
  const port = await freePort();
  [app, other] = await Promise.all([
    startTestApp({ products: 6, env: { MONGODB_DB: dbName, PORT: String(port), RUN_WORKERS: 'false' } }),
    spawnApp({
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: dbName,
      SEED_DEMO: 'false',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    }),
  ]);
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});
afterAll(async () => {
  other?.child.kill('SIGTERM');
  await other?.exited;
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function storedSecrets() {
  return app.database.connection.collection<{ _id: string; value: string }>('secrets').find({}).toArray();
}

async function unpaidCheckout() {
  const item = await stockedProduct(seller, { stock: 5, price: 5000, categoryId: category });
  const shopper = await registerUser(app.url);
  await shopper.post('/api/cart/lines', { sku: item.sku, qty: 1 });
  const placed = (await checkout(shopper)).body;
  const payment = await app.core.payments.get(placed.payment.id);
  const body = JSON.stringify({
    id: `evt_mp_${placed.checkoutId}`,
    type: 'payment.succeeded',
    created: Math.floor(Date.now() / 1000),
    data: {
      paymentId: payment._id,
      providerRef: payment.providerRef,
      amount: payment.amount,
      currency: 'CNY',
      method: 'card',
    },
  });
  return { shopper, placed, body };
}

function deliver(baseUrl: string, body: string, key: string) {
  return new ApiClient(baseUrl).request('POST', '/api/payments/webhooks/sandbox', {
    body,
    headers: { 'content-type': 'application/json', 'sandbox-signature': signWebhook(key, body, new Date()) },
  });
}

describe('the generated payment webhook secret across processes', () => {
  it('is one secret, stored once, that both processes use', async () => {
    const secrets = await storedSecrets();
    expect(secrets.map((s) => s._id)).toEqual(['payment-webhook']);
    expect(await app.core.paymentWebhookSecret()).toBe(secrets[0]!.value);
  });

  it('lets a webhook signed by one process be verified by the other', async () => {
    const { shopper, placed } = await unpaidCheckout();
    // The spawned process's worker signs the delivery; the in-process app verifies it.
    await pay(shopper, placed);
    const order = (await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body;
    expect(order.status).toBe('paid');
  });

  it('accepts a webhook signed with the stored secret on either process, and no derived key on any', async () => {
    const secret = (await storedSecrets())[0]!.value;
    const derived = createHmac('sha256', 'development-only').update('payment-webhooks').digest('hex');
    for (const url of [other.url, app.url]) {
      const { shopper, placed, body } = await unpaidCheckout();
      const forged = await deliver(url, body, derived);
      expect(forged.status).toBe(400);
      expect(forged.error.code).toBe('invalid_signature');
      const res = await deliver(url, body, secret);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: true, processed: true, duplicate: false });
      expect((await shopper.get(`/api/orders/${placed.orders[0]!.id}`)).body.status).toBe('paid');
    }
  });
});
