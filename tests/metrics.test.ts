import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACES } from '@market/realtime/contract';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { waitFor } from './support/process';

const TOKEN = 'metrics-token-for-tests-0123456789';
let app: TestApp;
let second: TestApp;
const sockets: Socket[] = [];

beforeAll(async () => {
  app = await startTestApp({ products: 12, env: { METRICS_TOKEN: TOKEN } });
  second = await startTestApp(); // no token: loopback callers may read
  // Before the first scrape (the backlog is cached for 10 s): a job nobody handles waits due, another
  // is scheduled for later.
  await app.core.queue.enqueue('metrics.unhandled', {});
  await app.core.queue.enqueue('metrics.later', {}, { delayMs: 3_600_000 });
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await app?.close();
  await second?.close();
});

function scrape(url: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/metrics`, { headers });
}

/** The value of one sample line, e.g. `bazaar_store_up` or `name{label="x"}`. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('GET /metrics', () => {
  it('needs the token, an admin session or (without a token) a loopback caller', async () => {
    expect((await scrape(app.url)).status).toBe(401);
    expect((await scrape(app.url, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(403);
    expect((await scrape(app.url, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);

    const admin = new ApiClient(app.url);
    await admin.login('admin@bazaar.test', app.password);
    expect((await admin.get('/metrics')).status).toBe(200);
    const shopper = new ApiClient(app.url);
    await shopper.login('shopper@bazaar.test', app.password);
    expect((await shopper.get('/metrics')).status).toBe(403);

    expect((await scrape(second.url)).status).toBe(200);
    // Through a proxy (which says so) a loopback caller is anyone: not enough.
    expect((await scrape(second.url, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
  });

  it('reports requests by route pattern, store, jobs, sockets, event lag, search and recommendations', async () => {
    const product = app.catalog!.products[0]!;
    const client = new ApiClient(app.url);
    expect((await client.get(`/api/products/${product.id}`)).status).toBe(200);
    expect((await client.get('/api/products/no-such-product')).status).toBe(404);
    expect((await client.get('/api/search?q=phone')).status).toBe(200);
    expect((await client.get('/api/rankings/hot?limit=4')).status).toBe(200);
    const shop = connect(`${app.url}${NAMESPACES.shop}`, { transports: ['websocket'], forceNew: true });
    sockets.push(shop);
    await new Promise<void>((resolve) => shop.once('connect', () => resolve()));
    // A stock change is a domain event: the bus lag histogram gets a sample.
    const seller = new ApiClient(app.url);
    await seller.login(app.catalog!.sellers.find((s) => s.id === product.sellerId)!.email, app.password);
    const variant = product.variants[0]!;
    const put = await seller.put(
      `/api/products/${product.id}/variants/${encodeURIComponent(variant.sku)}/stock`,
      { available: 7 },
    );
    expect(put.status).toBe(200);

    const read = async () => (await scrape(app.url, { authorization: `Bearer ${TOKEN}` })).text();
    const text = await waitFor(
      async () => {
        const t = await read();
        return /bazaar_event_bus_lag_seconds_count\{event="stock.changed"\} [1-9]/.test(t) && t;
      },
      10_000,
      'the stock event in the lag histogram',
    );
    const route = (r: string, status: number) =>
      `bazaar_http_request_duration_seconds_count{method="GET",route="${r}",status="${status}"}`;
    expect(sample(text, route('/api/products/:id', 200))).toBe(1);
    expect(sample(text, route('/api/products/:id', 404))).toBe(1);
    expect(text).not.toContain(product.id); // raw paths never become labels
    expect(sample(text, 'bazaar_store_up')).toBe(1);
    expect(sample(text, 'bazaar_socketio_connections{namespace="shop"}')).toBe(1);
    expect(sample(text, 'bazaar_search_duration_seconds_count{operation="search",outcome="ok"}')).toBe(1);
    expect(sample(text, 'bazaar_recommendation_duration_seconds_count{operation="hot",outcome="ok"}')).toBe(
      1,
    );
    expect(sample(text, 'bazaar_job_queue_depth{type="metrics.unhandled",state="due"}')).toBe(1);
    expect(sample(text, 'bazaar_job_queue_depth{type="metrics.later",state="scheduled"}')).toBe(1);
    expect(sample(text, 'bazaar_job_oldest_due_age_seconds')).toBeGreaterThan(0);
    expect(text).toMatch(/bazaar_job_attempts_total\{type="[^"]+",outcome="completed"\} [1-9]/);
    expect(text).toContain('process_resident_memory_bytes');
    // The test runner's store is not embedded: no restarts counter.
    expect(text).not.toContain('bazaar_store_restarts_total');
  });
});
