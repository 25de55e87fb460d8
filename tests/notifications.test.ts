import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor, notificationIdFor } from '@market/core';
import { NAMESPACES, type NotificationNewMessage } from '@market/realtime/contract';
import { startTestApp, type TestApp } from './support/app';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Notifications end to end: a domain event → a durable delivery job → the notification centre (live
 * over Socket.IO) and an email through real SMTP (nodemailer → the embedded smtp-server → mailparser →
 * the dev mailbox). Duplicate events, preferences, concurrent writers and other people's notifications.
 */

let app: TestApp;
let seller: Awaited<ReturnType<typeof registerUser>>;
let categoryId: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp({ products: 2 });
  seller = await registerUser(app, 'seller');
  categoryId = await leafCategory(seller);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
});

function openShopSocket(client: { cookieHeader(): string }) {
  const socket = connect(`${app.url}${NAMESPACES.shop}`, {
    transports: ['websocket'],
    extraHeaders: { cookie: client.cookieHeader() },
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise<Socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function paidOrder(buyer: Awaited<ReturnType<typeof registerUser>>) {
  const { sku } = await stockedProduct(seller, { stock: 5, categoryId, price: 12_300 });
  expect((await buyer.post('/api/cart/lines', { sku, qty: 1 })).status).toBe(200);
  const res = await checkout(buyer);
  expect(res.status).toBe(201);
  await pay(buyer, res.body);
  return res.body.orders[0]!.id;
}

const mailsTo = async (email: string) =>
  (await app.mailbox!.list({ to: email, limit: 200 })).filter((m) => m.to.includes(email));

describe('notifications', () => {
  it('an order paid arrives live in the bell and by email through real SMTP, in the buyer’s language', async () => {
    const buyer = await registerUser(app.url, 'shopper');
    const socket = await openShopSocket(buyer);
    const live: NotificationNewMessage[] = [];
    socket.on('notification.new', (m: NotificationNewMessage) => live.push(m));

    const orderId = await paidOrder(buyer);
    const id = notificationIdFor('order_paid', orderId, buyer.user.id);
    await waitFor(async () => live.some((m) => m.notificationId === id), 30_000, 'the live notification');
    const message = live.find((m) => m.notificationId === id)!;
    expect(message.unread).toBeGreaterThanOrEqual(1);
    // Registered without a language: Chinese, the storefront's default.
    expect(message.title).toMatch(/^订单 .+ 已付款$/);

    const page = await buyer.get('/api/notifications');
    expect(page.status).toBe(200);
    expect(page.body.items.map((n) => n.id)).toContain(id);
    expect(page.body.unread).toBe(message.unread);

    const mail = await waitFor(async () => (await mailsTo(buyer.email))[0], 30_000, 'the order mail');
    expect(mail.messageId).toBe(messageIdFor(id, 'email'));
    expect(mail.subject).toBe(message.title);
    expect(mail.text).toContain(`/orders/${orderId}`);
    expect(mail.html).toContain('¥123.00');
  });

  it('a storm of 50 duplicate events makes one notification and one email', async () => {
    const buyer = await registerUser(app.url, 'shopper');
    const orderId = await paidOrder(buyer);
    const id = notificationIdFor('order_paid', orderId, buyer.user.id);
    const event = {
      orderId,
      checkoutId: 'c',
      buyerId: buyer.user.id,
      sellerId: seller.user.id,
      status: 'paid',
      event: 'status' as const,
      version: 2,
      at: new Date().toISOString(),
    };
    await Promise.all(Array.from({ length: 50 }, () => app.bus.publish('order.status_changed', event)));
    await waitFor(async () => (await mailsTo(buyer.email)).length >= 1, 30_000, 'the mail');
    // Let every queued job of the storm finish before counting.
    await waitFor(
      async () =>
        (await app.core.queue.count({ status: 'pending' })) === 0 &&
        (await app.core.queue.count({ status: 'running' })) === 0,
      30_000,
      'an idle queue',
    );
    expect(await app.mailbox!.countByMessageId(messageIdFor(id, 'email'))).toBe(1);
    const page = await buyer.get('/api/notifications');
    expect(page.body.items.filter((n) => n.id === id)).toHaveLength(1);
    expect(page.body.unread).toBe(1);
  });

  it('with email switched off for a type, it arrives in-app only', async () => {
    const buyer = await registerUser(app.url, 'shopper', {});
    const off = await buyer.put('/api/notifications/preferences', { order_paid: { email: false } });
    expect(off.status).toBe(200);
    expect(off.body.order_paid).toEqual({ email: false, sms: false });
    expect(off.body.order_shipped.email).toBe(true);
    const orderId = await paidOrder(buyer);
    const id = notificationIdFor('order_paid', orderId, buyer.user.id);
    const path = `/api/notifications/${encodeURIComponent(id)}`;
    await waitFor(async () => (await buyer.get(path)).status === 200, 30_000, 'the in-app notification');
    const job = await waitFor(
      async () => {
        const jobs = await app.core.queue.list({
          type: 'notifications.deliver',
          status: 'completed',
          limit: 1000,
        });
        return jobs.find((j) => {
          const payload = j.payload as { sourceId?: string; userId?: string };
          return payload.sourceId === orderId && payload.userId === buyer.user.id;
        });
      },
      30_000,
      'the delivery job',
    );
    expect((job.result as { channels: string[] }).channels).toEqual([]);
    expect(await mailsTo(buyer.email)).toHaveLength(0);
  });

  it('nobody reads or marks another person’s notifications; marking read updates the count', async () => {
    const owner = await registerUser(app.url, 'shopper');
    const other = await registerUser(app.url, 'shopper');
    const orderId = await paidOrder(owner);
    const id = notificationIdFor('order_paid', orderId, owner.user.id);
    const path = `/api/notifications/${encodeURIComponent(id)}` as const;
    await waitFor(async () => (await owner.get(path)).status === 200, 30_000, 'the notification');

    expect((await other.get(path)).status).toBe(404);
    expect((await other.post(`${path}/read`)).status).toBe(404);
    expect((await other.get('/api/notifications')).body.items).toEqual([]);
    const anonymous = await fetch(`${app.url}/api/notifications`);
    expect(anonymous.status).toBe(401);

    expect((await owner.get('/api/notifications/unread')).body.unread).toBe(1);
    const read = await owner.post(`/api/notifications/${encodeURIComponent(id)}/read`);
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(0);
    expect((await owner.post(`/api/notifications/${encodeURIComponent(id)}/read`)).body.unread).toBe(0);
    expect((await owner.get(path)).body.read).toBe(true);
  });

  it('keeps the unread count exact under concurrent deliveries and reads', async () => {
    const person = await registerUser(app.url, 'shopper');
    const total = 40;
    await Promise.all(
      Array.from({ length: total }, (_, i) =>
        app.core.notifications.notify({
          userId: person.user.id,
          type: 'back_in_stock',
          sourceId: `prd_concurrent@${i}`,
          params: { productId: `prd_concurrent`, productName: `Kettle ${i}`, productNameZh: null },
        }),
      ),
    );
    // Read some while the rest are still being delivered.
    const readIds = new Set<string>();
    await waitFor(
      async () => {
        const page = await person.get('/api/notifications?limit=50');
        await Promise.all(
          page.body.items
            .filter((n) => !readIds.has(n.id) && readIds.size < 15)
            .map((n) => {
              readIds.add(n.id);
              return person.post(`/api/notifications/${encodeURIComponent(n.id)}/read`);
            }),
        );
        return page.body.items.length === total;
      },
      60_000,
      'every notification',
    );
    const page = await person.get('/api/notifications?limit=50');
    const unreadListed = page.body.items.filter((n) => !n.read).length;
    expect(page.body.unread).toBe(total - readIds.size);
    expect(unreadListed).toBe(total - readIds.size);
    // Paging newest first covers every notification once.
    const first = await person.get('/api/notifications?limit=15');
    const second = await person.get(`/api/notifications?limit=50&before=${first.body.nextBefore}`);
    const ids = [...first.body.items, ...second.body.items].map((n) => n.id);
    expect(new Set(ids).size).toBe(total);
    expect((await person.post('/api/notifications/read-all')).body.unread).toBe(0);
    expect((await person.get('/api/notifications/unread')).body.unread).toBe(0);
  });
});
