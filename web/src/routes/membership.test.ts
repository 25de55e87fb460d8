import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../../tests/support/accounts';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('membership API', () => {
  it('publishes the tiers to anyone', async () => {
    const res = await new ApiClient(app.url).get('/api/membership/tiers');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        name: 'member',
        threshold: 0,
        benefits: { earnMultiplier: 1, freeShippingThreshold: 9900, maxRedeemPercent: 20 },
      },
      {
        name: 'silver',
        threshold: 2000,
        benefits: { earnMultiplier: 1.25, freeShippingThreshold: 6900, maxRedeemPercent: 30 },
      },
      {
        name: 'gold',
        threshold: 10000,
        benefits: { earnMultiplier: 1.5, freeShippingThreshold: 0, maxRedeemPercent: 40 },
      },
      {
        name: 'platinum',
        threshold: 50000,
        benefits: { earnMultiplier: 2, freeShippingThreshold: 0, maxRedeemPercent: 50 },
      },
    ]);
  });

  it('shows a shopper their points, tier and latest movements', async () => {
    expect((await new ApiClient(app.url).get('/api/me/points')).status).toBe(401);
    const client = await registerUser(app.url, 'shopper', { name: 'Pat' });
    const userId = client.user.id;
    const empty = (await client.get('/api/me/points')).body;
    expect(empty).toEqual({
      account: {
        userId,
        balance: 0,
        lifetimeEarned: 0,
        tier: 'member',
        benefits: { earnMultiplier: 1, freeShippingThreshold: 9900, maxRedeemPercent: 20 },
        nextTier: { name: 'silver', pointsNeeded: 2000 },
      },
      history: [],
    });

    await app.core.membership.earn(userId, 2100, 'order_1', 'Order 1');
    await app.core.membership.spend(userId, 600, 'ck_1', 'Checkout 1');
    const res = await client.get('/api/me/points');
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({
      balance: 1500,
      lifetimeEarned: 2100,
      tier: 'silver',
      nextTier: { name: 'gold', pointsNeeded: 7900 },
    });
    expect(res.body.history).toMatchObject([
      { version: 2, delta: -600, balance: 1500, reason: 'spend', note: 'Checkout 1', ref: 'ck_1' },
      { version: 1, delta: 2100, balance: 2100, reason: 'earn', note: 'Order 1', ref: 'order_1' },
    ]);
    expect(new Date(res.body.history[0]!.at).toISOString()).toBe(res.body.history[0]!.at);
  });
});
