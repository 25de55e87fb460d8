import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { waitFor } from '../../../tests/support/process';
import { createJobQueue, createJobWorker } from '../jobs';
import { createLogger } from '../logger';
import { createSandboxProvider, SANDBOX_LAPSE_GRACE_MS, SANDBOX_WEBHOOK_JOB } from './sandbox';
import { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './signing';

const log = createLogger('warn');
const secret = 's'.repeat(40);
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let server: Server;
let url = '';
const received: { at: number; status: number; body: string; signature: string }[] = [];

beforeAll(async () => {
  db = await openTestDatabase('sandbox');
  // A merchant endpoint that is down for its first two deliveries.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const status = received.length < 2 ? 503 : 200;
      received.push({ at: Date.now(), status, body, signature: String(req.headers[SIGNATURE_HEADER]) });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
});
afterAll(async () => {
  server?.close();
  await db?.close();
});

describe('sandbox payment provider', () => {
  it('retries a signed webhook with growing delays until the merchant acknowledges it', async () => {
    const queue = createJobQueue({ connection: db.connection, log });
    const sandbox = createSandboxProvider({
      connection: db.connection,
      queue,
      log,
      secret: async () => secret,
      webhookUrl: () => url,
    });
    const worker = createJobWorker(
      { queue, connection: db.connection, log, handlers: { [SANDBOX_WEBHOOK_JOB]: sandbox.deliver } },
      { backoffBaseMs: 200, pollIntervalMs: 50 },
    );
    worker.start();
    try {
      const { providerRef } = await sandbox.provider.createSession({
        paymentId: 'pay_test',
        amount: 1234,
        currency: 'CNY',
        description: 'test',
        returnUrl: '/checkout/x',
      });
      await sandbox.complete(providerRef, {
        method: 'card',
        outcome: 'succeed',
        cardNumber: '4242 4242 4242 4242',
      });
      await waitFor(async () => received.some((r) => r.status === 200), 20_000, 'an acknowledged delivery');
      expect(received.map((r) => r.status)).toEqual([503, 503, 200]);
      // Exponential backoff with jitter: the n-th wait is at least half of base × 2^(n−1).
      expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(100);
      expect(received[2]!.at - received[1]!.at).toBeGreaterThanOrEqual(200);
      // Each delivery is signed afresh over the same event.
      const events = received.map(
        (r) => JSON.parse(r.body) as { id: string; type: string; data: Record<string, unknown> },
      );
      expect(new Set(events.map((e) => e.id)).size).toBe(1);
      expect(events[0]).toMatchObject({
        type: 'payment.succeeded',
        data: { paymentId: 'pay_test', providerRef, amount: 1234, currency: 'CNY', method: 'card' },
      });
      for (const r of received)
        expect(() => verifyWebhook(secret, r.body, r.signature, new Date())).not.toThrow();
      expect(new Set(received.map((r) => r.signature)).size).toBe(3);
    } finally {
      await worker.stop();
    }
  });

  it('declines the test card and lets a session be used only once', async () => {
    const queue = createJobQueue({ connection: db.connection, log });
    const sandbox = createSandboxProvider({
      connection: db.connection,
      queue,
      log,
      secret: async () => secret,
      webhookUrl: () => url,
    });
    const { providerRef } = await sandbox.provider.createSession({
      paymentId: 'pay_declined',
      amount: 500,
      currency: 'CNY',
      description: 'test',
      returnUrl: '/checkout/y',
    });
    const declined = await sandbox.complete(providerRef, {
      method: 'card',
      outcome: 'succeed',
      cardNumber: '4000 0000 0000 0002',
    });
    expect(declined).toMatchObject({ status: 'failed', failureReason: 'Card declined by the issuer' });
    await expect(sandbox.complete(providerRef, { method: 'alipay', outcome: 'succeed' })).rejects.toThrow(
      /already/,
    );
    expect(await sandbox.provider.cancelSession(providerRef)).toBe(true);
  });

  it('closes a lapsed session nobody opened, and lets a shopper already on the page pay for a while', async () => {
    const queue = createJobQueue({ connection: db.connection, log });
    let now = new Date();
    const sandbox = createSandboxProvider({
      connection: db.connection,
      queue,
      log,
      secret: async () => secret,
      webhookUrl: () => url,
      clock: () => now,
    });
    const session = () =>
      sandbox.provider.createSession({
        paymentId: `pay_${Math.random()}`,
        amount: 700,
        currency: 'CNY',
        description: 'test',
        returnUrl: '/checkout/z',
      });
    const unopened = await session();
    await sandbox.provider.expireSession(unopened.providerRef);
    expect((await sandbox.openPage(unopened.providerRef)).status).toBe('expired');
    await expect(
      sandbox.complete(unopened.providerRef, { method: 'alipay', outcome: 'succeed' }),
    ).rejects.toThrow(/has expired/);

    const onPage = await session();
    expect((await sandbox.openPage(onPage.providerRef)).status).toBe('open');
    await sandbox.provider.expireSession(onPage.providerRef);
    expect((await sandbox.getSession(onPage.providerRef)).status).toBe('open');
    now = new Date(now.getTime() + SANDBOX_LAPSE_GRACE_MS - 1000);
    const paid = await sandbox.complete(onPage.providerRef, { method: 'wechat', outcome: 'succeed' });
    expect(paid.status).toBe('succeeded');

    const wandered = await session();
    await sandbox.openPage(wandered.providerRef);
    await sandbox.provider.expireSession(wandered.providerRef);
    now = new Date(now.getTime() + SANDBOX_LAPSE_GRACE_MS + 1000);
    await expect(
      sandbox.complete(wandered.providerRef, { method: 'wechat', outcome: 'succeed' }),
    ).rejects.toThrow(/expired/);
    expect((await sandbox.getSession(wandered.providerRef)).status).toBe('expired');
    // A closed session stays closed: expiring or cancelling it again changes nothing.
    await sandbox.provider.expireSession(wandered.providerRef);
    expect(await sandbox.provider.cancelSession(wandered.providerRef)).toBe(true);
    expect((await sandbox.getSession(wandered.providerRef)).status).toBe('expired');
  });

  it('refuses webhook bodies that are not well-formed events, even when signed', async () => {
    const queue = createJobQueue({ connection: db.connection, log });
    const sandbox = createSandboxProvider({
      connection: db.connection,
      queue,
      log,
      secret: async () => secret,
      webhookUrl: () => url,
    });
    const data = { paymentId: 'pay_x', providerRef: 'sbx_x', amount: 100, currency: 'CNY' };
    const parse = (event: unknown) => {
      const body = JSON.stringify(event);
      const at = new Date();
      return sandbox.provider.parseWebhook(body, { [SIGNATURE_HEADER]: signWebhook(secret, body, at) }, at);
    };
    await expect(parse({ id: 'evt_1', type: 'payment.succeeded', data })).resolves.toMatchObject({
      amount: 100,
      currency: 'CNY',
    });
    for (const bad of [
      { id: 'evt_2', type: 'payment.refunded', data },
      { id: 'evt_3', type: 'payment.succeeded', data: { ...data, amount: '100' } },
      { id: 'evt_4', type: 'payment.succeeded', data: { ...data, amount: 1.5 } },
      { id: 'evt_5', type: 'payment.succeeded', data: { ...data, currency: undefined } },
      { id: 'evt_6', type: 'payment.succeeded', data: { ...data, providerRef: undefined } },
      { type: 'payment.succeeded', data },
    ])
      await expect(parse(bad)).rejects.toMatchObject({ code: 'malformed', status: 400 });
  });
});
