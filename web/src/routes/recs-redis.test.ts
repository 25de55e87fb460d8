import { closeRedis, createLogger, openRedis, type Redis } from '@market/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../tests/support/app';
import { ApiClient } from '../../../tests/support/client';
import { startRedis, type TestRedis } from '../../../tests/support/redis';

let redis: TestRedis;
let app: TestApp;
let client: Redis;
let products: { id: string }[];

beforeAll(async () => {
  redis = await startRedis();
  app = await startTestApp({
    products: 20,
    env: { REDIS_URL: redis.url, RECS_HOT_CACHE_SECONDS: '30', RECS_EVENTS_PER_MINUTE: '60' },
  });
  await app.recs.ready();
  client = openRedis(redis.url, createLogger('warn', 'test-redis'), 'test');
  products = (await new ApiClient(app.url).get('/api/products?limit=20')).body.items;
});
afterAll(async () => {
  if (client) await closeRedis(client);
  await app?.close();
  await redis?.stop();
});

describe('recommender with Redis', () => {
  it('caches hot lists in Redis, per scope, with a short TTL', async () => {
    const visitor = new ApiClient(app.url);
    for (let k = 0; k < 3; k++) {
      await new ApiClient(app.url).post('/api/events', {
        events: [{ type: 'view', productId: products[4]!.id }],
      });
    }
    await app.recs.settled();
    expect(app.recs.cacheKind).toBe('redis');
    const first = await visitor.get('/api/rankings/hot?limit=4');
    expect(first.status).toBe(200);
    expect(first.body.items[0]!.product.id).toBe(products[4]!.id);
    const key = 'recs:hot:v1:4:::0';
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(JSON.parse((await client.get(key))!)).toEqual(first.body.items);

    // Answers come from Redis while the entry lives: a planted list is what every node serves.
    const planted = first.body.items.slice(1, 3);
    await client.set(key, JSON.stringify(planted), 'PX', 30_000);
    expect((await visitor.get('/api/rankings/hot?limit=4')).body.items).toEqual(planted);
    // Another scope is another entry.
    await visitor.get(`/api/rankings/hot?limit=4&trending=true`);
    expect(await client.exists('recs:hot:v1:4:::1')).toBe(1);
  });

  it('limits events per actor across nodes through Redis', async () => {
    const visitor = new ApiClient(app.url);
    const batch = Array.from({ length: 30 }, (_, k) => ({ type: 'search', q: `words ${k}` }));
    expect((await visitor.post('/api/events', { events: batch })).status).toBe(202);
    expect((await visitor.post('/api/events', { events: batch })).status).toBe(202);
    expect((await visitor.post('/api/events', { events: batch })).status).toBe(429);
    expect((await client.keys('recs-events:*')).length).toBeGreaterThan(0);
  });
});
