import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, staffAccount, uniqueName, type SignedIn } from '../../../tests/support/accounts';
import { ApiClient } from '../../../tests/support/client';
import { startTestApp, type TestApp } from '../../../tests/support/app';

let app: TestApp;
let admin: ApiClient;
let alice: ApiClient; // seller
let bob: ApiClient; // another seller
let shopper: SignedIn;
let shopperId: string;

const code = (prefix: string) =>
  uniqueName(prefix)
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '');

beforeAll(async () => {
  app = await startTestApp();
  alice = await registerUser(app, 'seller');
  bob = await registerUser(app, 'seller');
  shopper = await registerUser(app.url, 'shopper');
  shopperId = shopper.user.id;
  admin = await staffAccount(app, 'admin');
});
afterAll(() => app?.close());

describe('coupons API', () => {
  it('lets a seller create a coupon on their own items, with dates in ISO', async () => {
    const res = await alice.post('/api/coupons', {
      code: code('alice'),
      kind: 'percent',
      value: 15,
      maxDiscount: 3000,
      minSpend: 9900,
      endsAt: '2099-01-01T00:00:00Z',
      usageLimit: 100,
      description: '15% off, up to ¥30',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'percent',
      value: 15,
      funding: 'seller',
      active: true,
      perUserLimit: 1,
      endsAt: '2099-01-01T00:00:00.000Z',
    });
    expect(new Date(res.body.startsAt).toISOString()).toBe(res.body.startsAt);
    const admins = await admin.post('/api/coupons', { code: code('site'), kind: 'fixed', value: 500 });
    expect(admins.status).toBe(201);
    expect(admins.body).toMatchObject({ funding: 'platform', sellerId: null });
  });

  it('requires a login (401) and the seller or admin role (403) to manage coupons', async () => {
    const body = { code: code('nope'), kind: 'fixed', value: 100 };
    expect((await new ApiClient(app.url).post('/api/coupons', body)).status).toBe(401);
    const res = await shopper.post('/api/coupons', body);
    expect(res.status).toBe(403);
    expect(res.error.code).toBe('forbidden');
    expect((await shopper.get('/api/coupons')).status).toBe(403);
  });

  it('forbids a seller from switching off another seller’s coupon, and changes nothing', async () => {
    const coupon = (await alice.post('/api/coupons', { code: code('mine'), kind: 'fixed', value: 100 })).body;
    const hijack = await bob.post(`/api/coupons/${coupon.id}/deactivate`);
    expect(hijack.status).toBe(403);
    expect(hijack.error.code).toBe('forbidden');
    const platform = (await admin.post('/api/coupons', { code: code('plat'), kind: 'fixed', value: 100 }))
      .body;
    expect((await alice.post(`/api/coupons/${platform.id}/deactivate`)).status).toBe(403);
    expect((await shopper.post(`/api/coupons/${coupon.id}/deactivate`)).status).toBe(403);
    const listed = (await alice.get('/api/coupons')).body.items.find((c) => c.id === coupon.id);
    expect(listed?.active).toBe(true);

    const off = await alice.post(`/api/coupons/${coupon.id}/deactivate`);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await admin.post(`/api/coupons/${coupon.id}/activate`);
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    expect((await admin.post('/api/coupons/cpn_missing/activate')).status).toBe(404);
  });

  it('lists a seller’s own coupons and every coupon to admins, with redemption counts', async () => {
    const coupon = (await bob.post('/api/coupons', { code: code('bob'), kind: 'fixed', value: 100 })).body;
    await app.core.promotions.redeem(coupon.id, { userId: shopperId, redemptionId: uniqueName('ck') });
    const mine = (await bob.get('/api/coupons')).body.items as {
      id: string;
      sellerId: string;
      redeemed: number;
    }[];
    expect(mine.every((c) => c.sellerId === mine[0]!.sellerId)).toBe(true);
    expect(mine.find((c) => c.id === coupon.id)?.redeemed).toBe(1);
    const all = (await admin.get('/api/coupons')).body.items as { sellerId: string | null }[];
    expect(new Set(all.map((c) => c.sellerId)).size).toBeGreaterThanOrEqual(3);
  });

  it('names the offending fields of a bad coupon, and answers 409 for a taken code', async () => {
    const res = await alice.post('/api/coupons', {
      code: 'a b',
      kind: 'percent',
      value: 120,
      usageLimit: 0,
      startsAt: 'tomorrow',
      extra: true,
    });
    expect(res.status).toBe(422);
    const fields = res.error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.code', 'body.usageLimit', 'body.startsAt', 'body']));
    const percent = await alice.post('/api/coupons', { code: code('pct'), kind: 'percent', value: 120 });
    expect(percent.status).toBe(422);
    expect(percent.error.fields).toEqual([{ field: 'body.value', message: 'a whole percent from 1 to 100' }]);

    const taken = code('taken');
    expect((await alice.post('/api/coupons', { code: taken, kind: 'fixed', value: 100 })).status).toBe(201);
    const dup = await bob.post('/api/coupons', { code: taken.toLowerCase(), kind: 'fixed', value: 100 });
    expect(dup.status).toBe(409);
    expect(dup.error.fields[0].field).toBe('body.code');
  });

  it('shows a shopper the coupons they can use now', async () => {
    expect((await new ApiClient(app.url).get('/api/me/coupons')).status).toBe(401);
    const usable = (await admin.post('/api/coupons', { code: code('use'), kind: 'fixed', value: 300 })).body;
    const paused = (await admin.post('/api/coupons', { code: code('pause'), kind: 'fixed', value: 300 }))
      .body;
    await admin.post(`/api/coupons/${paused.id}/deactivate`);
    const used = (await admin.post('/api/coupons', { code: code('used'), kind: 'fixed', value: 300 })).body;
    await app.core.promotions.redeem(used.id, { userId: shopperId, redemptionId: uniqueName('ck') });
    const res = await shopper.get('/api/me/coupons');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((c: { id: string }) => c.id);
    expect(ids).toContain(usable.id);
    expect(ids).not.toContain(paused.id);
    expect(ids).not.toContain(used.id);
    expect(res.body.items.find((c) => c.id === usable.id)?.remainingForYou).toBe(1);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await shopper.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/coupons',
        '/api/coupons/{id}/activate',
        '/api/coupons/{id}/deactivate',
        '/api/me/coupons',
      ]),
    );
  });
});
