import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../tests/support/client';
import { staffAccount } from '../../tests/support/accounts';
import { startTestApp, type TestApp } from '../../tests/support/app';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from '../../tests/support/commerce';
import { waitFor } from '../../tests/support/process';
import {
  MAX_ROOMS_PER_SOCKET,
  MAX_WATCHED_PER_CALL,
  NAMESPACES,
  type ImportProgressMessage,
  type NamespaceName,
  type OrderStatusMessage,
  type SellerServerEvents,
  type ShopClientEvents,
  type ShopServerEvents,
  type StockChangedMessage,
  type SupportClientEvents,
  type SupportServerEvents,
} from './contract';

type ShopClient = Socket<ShopServerEvents, ShopClientEvents>;
type SaleChangedMessage = Parameters<ShopServerEvents['products.sale_changed']>[0];

let app: TestApp;
const sockets: Socket[] = [];

function open<S extends Socket = ShopClient>(
  name: NamespaceName,
  cookie?: string,
  opts: { reconnectionDelay?: number } = {},
): Promise<S> {
  const socket = connect(`${app.url}${NAMESPACES[name]}`, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    forceNew: true,
    ...opts,
  }) as S;
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function refusal(name: NamespaceName, cookie?: string) {
  return open(name, cookie).then(
    () => null,
    (err: Error & { data?: { status?: number } }) => err.data?.status ?? err.message,
  );
}

beforeAll(async () => {
  app = await startTestApp({ products: 20 });
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
});

describe('realtime', () => {
  it('pushes stock.changed to everyone watching the product and to no one else', async () => {
    const product = app.catalog!.products[0]!;
    const variant = product.variants[0]!;
    const seller = new ApiClient(app.url);
    await seller.login(app.catalog!.sellers.find((s) => s.id === product.sellerId)!.email, app.password);

    const watcher = await open('shop'); // anonymous shoppers see stock too
    const bystander = await open('shop');
    const ack = await watcher.emitWithAck('products:watch', [product.id]);
    expect(ack).toEqual({ ok: true });
    let bystanderGot = 0;
    bystander.on('stock.changed', () => bystanderGot++);

    const received = new Promise<StockChangedMessage>((resolve) => watcher.once('stock.changed', resolve));
    const res = await seller.put(`/api/products/${product.id}/variants/${variant.sku}/stock`, {
      available: 4242,
    });
    expect(res.status).toBe(200);
    expect(await received).toMatchObject({
      productId: product.id,
      sku: variant.sku,
      available: 4242,
      version: res.body.version,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(bystanderGot).toBe(0);
  });

  it('tells the pages watching a product when staff take it off sale', async () => {
    const admin = await staffAccount(app, 'admin');
    const seller = await registerUser(app, 'seller');
    const item = await stockedProduct(seller, { stock: 2, categoryId: await leafCategory(seller) });
    const watcher = await open('shop');
    expect(await watcher.emitWithAck('products:watch', [item.productId])).toEqual({ ok: true });
    const received = new Promise<SaleChangedMessage>((resolve) =>
      watcher.once('products.sale_changed', resolve),
    );
    const shopId = (await seller.get('/api/auth/session')).body.user!.shopId!;
    const res = await admin.post(`/api/admin/shops/${shopId}/status`, {
      status: 'suspended',
      reason: 'review',
    });
    expect(res.status).toBe(200);
    expect(await received).toMatchObject({ productIds: [item.productId], onSale: false });
  });

  it('validates watch requests', async () => {
    const socket = await open('shop');
    expect(
      await socket.emitWithAck('products:watch', ['ok', { $gt: '' } as unknown as string]),
    ).toMatchObject({ ok: false });
    expect(
      await socket.emitWithAck(
        'products:watch',
        Array.from({ length: 201 }, (_, i) => `p${i}`),
      ),
    ).toMatchObject({ ok: false });
    expect(await socket.emitWithAck('order:watch', 42 as unknown as string)).toMatchObject({ ok: false });
    expect(socket.connected).toBe(true);
  });

  it('lets only the right people into the staff namespaces', async () => {
    const shopper = await registerUser(app.url);
    const seller = await registerUser(app, 'seller');
    const support = new ApiClient(app.url);
    await support.login('support@bazaar.test', app.password);

    expect(await refusal('seller')).toBe(401);
    expect(await refusal('support')).toBe(401);
    expect(await refusal('courier')).toBe(401);
    expect(await refusal('seller', shopper.cookieHeader())).toBe(403);
    expect(await refusal('support', shopper.cookieHeader())).toBe(403);
    expect(await refusal('support', seller.cookieHeader())).toBe(403);
    expect(await refusal('courier', seller.cookieHeader())).toBe(403);
    expect(await refusal('seller', seller.cookieHeader())).toBeNull();
    expect(await refusal('support', support.cookieHeader())).toBeNull();
  });

  it("sends a seller their own imports' progress, and nobody else", async () => {
    const seller = app.catalog!.sellers[1]!;
    const client = new ApiClient(app.url);
    await client.login(seller.email, app.password);
    const mine = await open<Socket<SellerServerEvents>>('seller', client.cookieHeader());
    const otherClient = new ApiClient(app.url);
    await otherClient.login(app.catalog!.sellers[2]!.email, app.password);
    const other = await open<Socket<SellerServerEvents>>('seller', otherClient.cookieHeader());
    let leaked = 0;
    other.on('import.progress', () => leaked++);

    const category = app.catalog!.categories.find(
      (c) => !app.catalog!.categories.some((d) => d.parentId === c.id),
    )!;
    const messages: ImportProgressMessage[] = [];
    const completed = new Promise<void>((resolve) =>
      mine.on('import.progress', (m) => {
        messages.push(m);
        if (m.status === 'completed') resolve();
      }),
    );
    const csv = [
      'sku,name,category,price,stock',
      ...Array.from({ length: 120 }, (_, i) => `RT-${i},Item ${i},${category.slug},9.9,1`),
    ].join('\n');
    const res = await client.request('POST', '/api/seller/imports', {
      body: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.status).toBe(202);
    await completed;
    expect(messages.at(-1)).toMatchObject({ importId: res.body.id, processedRows: 120, succeeded: 120 });
    expect(messages.some((m) => m.status === 'running' && m.processedRows > 0 && m.processedRows < 120)).toBe(
      true,
    );
    expect(leaked).toBe(0);
  });

  it('lets a shopper follow their own order and refuses anyone else', async () => {
    const seller = await registerUser(app, 'seller');
    const { sku } = await stockedProduct(seller, { stock: 5, categoryId: await leafCategory(seller) });
    const buyer = await registerUser(app.url);
    await buyer.post('/api/cart/lines', { sku, qty: 1 });
    const placed = await checkout(buyer);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0]!.id as string;

    const stranger = await registerUser(app.url);
    const strangerSocket = await open('shop', stranger.cookieHeader());
    expect(await strangerSocket.emitWithAck('order:watch', orderId)).toMatchObject({ ok: false });
    const anonymous = await open('shop');
    expect(await anonymous.emitWithAck('order:watch', orderId)).toMatchObject({ ok: false });
    expect(await strangerSocket.emitWithAck('order:watch', 'ord_does_not_exist')).toMatchObject({
      ok: false,
    });

    // The buyer's socket gets the order once although it is in both its user room and the order room.
    const buyerSocket = await open('shop', buyer.cookieHeader());
    expect(await buyerSocket.emitWithAck('order:watch', orderId)).toEqual({ ok: true });
    const support = new ApiClient(app.url);
    await support.login('support@bazaar.test', app.password);
    const supportSocket = await open<Socket<SupportServerEvents, SupportClientEvents>>(
      'support',
      support.cookieHeader(),
    );
    const got = { buyer: [] as OrderStatusMessage[], support: [] as OrderStatusMessage[], stranger: 0 };
    buyerSocket.on('order.status_changed', (m) => m.orderId === orderId && got.buyer.push(m));
    supportSocket.on('order.status_changed', (m) => m.orderId === orderId && got.support.push(m));
    strangerSocket.on('order.status_changed', () => got.stranger++);

    await pay(buyer, placed.body);
    await waitFor(async () => got.buyer.some((m) => m.status === 'paid') && got.support.length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const paid = (list: OrderStatusMessage[]) => list.filter((m) => m.status === 'paid').length;
    expect(paid(got.buyer)).toBe(1);
    expect(paid(got.support)).toBe(1);
    expect(got.stranger).toBe(0);
  });

  it('caps the rooms one connection may watch and the size of what a client sends', async () => {
    const socket = await open('shop');
    for (let i = 0; i < MAX_ROOMS_PER_SOCKET / MAX_WATCHED_PER_CALL; i++) {
      const ids = Array.from({ length: MAX_WATCHED_PER_CALL }, (_, j) => `cap${i}-${j}`);
      expect(await socket.emitWithAck('products:watch', ids)).toEqual({ ok: true });
    }
    expect(await socket.emitWithAck('products:watch', ['one-too-many'])).toMatchObject({ ok: false });
    // Watching again what it already watches costs nothing.
    expect(await socket.emitWithAck('products:watch', ['cap0-0'])).toEqual({ ok: true });

    const flooder = await open('shop');
    const closed = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    flooder.emit('products:watch', ['x'.repeat(64 * 1024)]);
    expect(await closed).toMatch(/transport/);
    // The server is unharmed: a new connection works.
    const next = await open('shop');
    expect(await next.emitWithAck('products:watch', ['fine'])).toEqual({ ok: true });
  });

  it('replays, in order, what a client missed while its connection was down', async () => {
    const product = app.catalog!.products[3]!;
    const variant = product.variants[0]!;
    const seller = new ApiClient(app.url);
    await seller.login(app.catalog!.sellers.find((s) => s.id === product.sellerId)!.email, app.password);

    const socket = await open('shop', undefined, { reconnectionDelay: 1_500 });
    expect(await socket.emitWithAck('products:watch', [product.id])).toEqual({ ok: true });
    const received: number[] = [];
    socket.on('stock.changed', (m) => m.productId === product.id && received.push(m.available));

    const reconnected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Drop the transport as a network failure would; the client reconnects after its delay.
    socket.io.engine.close();
    expect(socket.connected).toBe(false);
    for (const available of [701, 702, 703]) {
      const res = await seller.put(`/api/products/${product.id}/variants/${variant.sku}/stock`, {
        available,
      });
      expect(res.status).toBe(200);
    }
    await reconnected;
    expect(socket.recovered).toBe(true);
    await waitFor(async () => received.length >= 3, 5_000, 'missed messages');
    expect(received).toEqual([701, 702, 703]);

    // Rooms survived too: a change after the reconnect still arrives without watching again.
    await seller.put(`/api/products/${product.id}/variants/${variant.sku}/stock`, { available: 704 });
    await waitFor(async () => received.includes(704), 5_000, 'live message after recovery');
  });
});
