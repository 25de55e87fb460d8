import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { waitFor } from '../../../tests/support/process';
import { createJobQueue, createJobWorker } from '../jobs';
import { createLogger } from '../logger';
import { createSandboxProvider, SANDBOX_WEBHOOK_JOB } from './sandbox';
import { SIGNATURE_HEADER, verifyWebhook } from './signing';

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
      secret,
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
        (r) => JSON.parse(r.body) as { id: string; type: string; data: { amount: number } },
      );
      expect(new Set(events.map((e) => e.id)).size).toBe(1);
      expect(events[0]).toMatchObject({ type: 'payment.succeeded', data: { amount: 1234 } });
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
      secret,
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
});
