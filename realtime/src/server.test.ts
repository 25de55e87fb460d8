import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../tests/support/client';
import { startTestApp, type TestApp } from '../../tests/support/app';
import type {
  ClientToServerEvents,
  ImportProgressMessage,
  ServerToClientEvents,
  StockChangedMessage,
} from './contract';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let app: TestApp;
const sockets: ClientSocket[] = [];

function open(cookie?: string): Promise<ClientSocket> {
  const socket: ClientSocket = connect(app.url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    forceNew: true,
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
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

    const watcher = await open(); // anonymous shoppers see stock too
    const bystander = await open();
    const ack = await watcher.emitWithAck('products:watch', [product.id]);
    expect(ack).toEqual({ ok: true });
    let bystanderGot = 0;
    bystander.on('stock.changed', () => bystanderGot++);

    const received = new Promise<StockChangedMessage>((resolve) => watcher.once('stock.changed', resolve));
    const res = await seller.put(`/api/products/${product.id}/variants/${variant.sku}/stock`, {
      available: 4242,
    });
    expect(res.status).toBe(200);
    const message = await received;
    expect(message).toMatchObject({
      productId: product.id,
      sku: variant.sku,
      available: 4242,
      version: res.body.version,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(bystanderGot).toBe(0);
  });

  it('validates watch requests', async () => {
    const socket = await open();
    expect(
      await socket.emitWithAck('products:watch', ['ok', { $gt: '' } as unknown as string]),
    ).toMatchObject({ ok: false });
    expect(
      await socket.emitWithAck(
        'products:watch',
        Array.from({ length: 201 }, (_, i) => `p${i}`),
      ),
    ).toMatchObject({ ok: false });
    expect(socket.connected).toBe(true);
  });

  it("sends a seller their own imports' progress, and nobody else", async () => {
    const seller = app.catalog!.sellers[1]!;
    const client = new ApiClient(app.url);
    await client.login(seller.email, app.password);
    const mine = await open(client.cookieHeader());
    const otherClient = new ApiClient(app.url);
    await otherClient.login(app.catalog!.sellers[2]!.email, app.password);
    const other = await open(otherClient.cookieHeader());
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
});
