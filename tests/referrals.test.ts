import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvents } from '@market/core';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import { registerUser, staffAccount, TEST_PASSWORD, uniqueName, type SignedIn } from './support/accounts';
import { ApiClient } from './support/client';
import { ADDRESS, checkout, leafCategory, pay, stockedProduct } from './support/commerce';
import { waitFor, type AppProcess } from './support/process';

/**
 * Referral rewards through the HTTP API on the real store: sign-up with an invite code, the welcome coupon,
 * the inviter's points on the invitee's first completed order (once, however often the event comes), their
 * reversal on refund, self-invites, the cap (also under concurrent sign-ups) and flagged referrals.
 */

const CAP = 3;
let app: TestApp;
let seller: SignedIn;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ env: { REFERRAL_MAX_INVITES: String(CAP), REFERRAL_INVITER_POINTS: '500' } });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
});
afterAll(() => app?.close());

const inviteOf = async (client: ApiClient) => {
  const res = await client.get('/api/me/invites');
  expect(res.status).toBe(200);
  return res.body;
};

/** Registers over the API with `invite`, answering the raw response (201, or the refusal). */
function registerWith(
  invite: string | undefined,
  email = `${uniqueName('invitee')}@example.com`,
  baseUrl = app.url,
) {
  const client = new ApiClient(baseUrl);
  return client
    .post('/api/auth/register', {
      email,
      password: TEST_PASSWORD,
      name: 'Wang Fang',
      ...(invite && { invite }),
    })
    .then((res) => {
      if (res.status === 201) client.csrfToken = res.body.csrfToken;
      return Object.assign(res, { client, email });
    });
}

async function joinWith(invite: string): Promise<ApiClient & { userId: string }> {
  const res = await registerWith(invite);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Object.assign(res.client, { userId: res.body.user!.id });
}

const pointsOf = async (client: ApiClient) => (await client.get('/api/me/points')).body.account.balance;

/** The invitee buys one item (with `couponCode` if given) and the order goes all the way to completed. */
async function firstOrderCompletes(invitee: ApiClient, opts: { couponCode?: string; address?: object } = {}) {
  const item = await stockedProduct(seller, { stock: 3, price: 20_000, categoryId: category });
  await invitee.post('/api/cart/lines', { sku: item.sku, qty: 1 });
  const placed = await checkout(invitee, {
    ...(opts.couponCode && { couponCode: opts.couponCode }),
    ...(opts.address && { delivery: { method: 'courier', address: opts.address } }),
  });
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  await pay(invitee, placed.body);
  const id = placed.body.orders[0]!.id;
  expect((await seller.post(`/api/orders/${id}/accept`)).status).toBe(200);
  await seller.post(`/api/orders/${id}/ship`, { carrier: 'SF Express', trackingNumber: 'SF7654321' });
  expect((await seller.post(`/api/orders/${id}/deliver`)).status).toBe(200);
  expect((await invitee.post(`/api/orders/${id}/complete`)).body.status).toBe('completed');
  return { orderId: id, total: placed.body.total as number };
}

describe('referrals over HTTP', () => {
  it('joins with a code from the link, gives a welcome coupon, and refuses unknown codes naming the field', async () => {
    const inviter = await registerUser(app.url);
    const invites = await inviteOf(inviter);
    expect(invites).toMatchObject({ path: `/register?invite=${invites.code}`, maxInvites: CAP, invited: 0 });

    const unknown = await registerWith('ACDEFGH');
    expect(unknown.status).toBe(422);
    expect(unknown.error.fields).toEqual([
      { field: 'body.invite', message: expect.stringMatching(/no invite/) },
    ]);
    expect((await registerWith('not a code!')).error.fields[0].field).toBe('body.invite');
    // The refused sign-up made no account: the same email registers fine without a code.
    expect((await registerWith(undefined, unknown.email)).status).toBe(201);

    const invitee = await joinWith(invites.code.toLowerCase());
    const coupons = (await invitee.get('/api/me/coupons')).body.items;
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ funding: 'platform', kind: 'fixed', value: 1000 });
    expect(coupons[0]!.code).toMatch(/^WELCOME-/);
    expect((await inviter.get('/api/me/coupons')).body.items.map((c) => c.code)).not.toContain(
      coupons[0]!.code,
    );

    const after = await inviteOf(inviter);
    expect(after.invited).toBe(1);
    expect(after.referrals[0]).toMatchObject({
      inviteeId: invitee.userId,
      inviteeName: 'W*** F***',
      status: 'joined',
      pointsEarned: 0,
    });
  });

  it('refuses a self-invite by the same mailbox', async () => {
    const inviter = await registerUser(app.url);
    const { code } = await inviteOf(inviter);
    const [local, domain] = inviter.email.split('@');
    const self = await registerWith(code, `${local}+again@${domain}`);
    expect(self.status).toBe(422);
    expect(self.error.fields).toEqual([
      { field: 'body.invite', message: 'You cannot use your own invite code' },
    ]);
  });

  it('rewards the inviter once when the first order completes (event applied twice), and reverses it on refund', async () => {
    const inviter = await registerUser(app.url);
    const invitee = await joinWith((await inviteOf(inviter)).code);
    const coupon = (await invitee.get('/api/me/coupons')).body.items[0]!;

    const seen: DomainEvents['order.status_changed'][] = [];
    const stop = app.bus.subscribe('order.status_changed', (e) => {
      if (e.buyerId === invitee.userId) seen.push(e);
    });
    const { orderId, total } = await firstOrderCompletes(invitee, { couponCode: coupon.code });
    expect(total).toBe(20_000 - 1000); // the welcome coupon on the first order
    await waitFor(async () => (await pointsOf(inviter)) === 500, 20_000);
    expect((await inviteOf(inviter)).referrals[0]).toMatchObject({
      status: 'rewarded',
      pointsEarned: 500,
      qualifyingOrderId: orderId,
    });

    // The completion delivered again (through the bus, and applied directly, twice at once): still once.
    const completed = seen.find((e) => e.status === 'completed')!;
    stop();
    await app.bus.publish('order.status_changed', completed);
    await Promise.all([
      app.core.referrals.applyOrderEvent(completed),
      app.core.referrals.applyOrderEvent(completed),
    ]);
    // A second completed order of the invitee earns nothing either.
    await firstOrderCompletes(invitee);
    await waitFor(async () => (await invitee.get('/api/me/points')).body.history.length === 2, 20_000);
    const history = (await inviter.get('/api/me/points')).body.history;
    expect(history.map((m) => [m.reason, m.delta, m.ref])).toEqual([
      ['earn', 500, `referral:${invitee.userId}`],
    ]);

    const support = await staffAccount(app, 'support');
    const refund = await support.post(`/api/orders/${orderId}/refunds`, { reason: 'Returned' });
    expect(refund.body).toMatchObject({ status: 'refunded' });
    await waitFor(async () => (await pointsOf(inviter)) === 0, 20_000);
    await waitFor(async () => (await inviteOf(inviter)).referrals[0]!.status === 'reversed', 20_000);
    expect((await inviteOf(inviter)).pointsEarned).toBe(0);
  });

  it('enforces the cap, also against concurrent sign-ups with one code', async () => {
    const steady = await registerUser(app.url);
    const { code } = await inviteOf(steady);
    for (let i = 0; i < CAP; i++) await joinWith(code);
    const over = await registerWith(code);
    expect(over.status).toBe(422);
    expect(over.error.fields[0]).toEqual({
      field: 'body.invite',
      message: expect.stringMatching(/used as often/),
    });

    const crowded = await registerUser(app.url);
    const crowdCode = (await inviteOf(crowded)).code;
    const results = await Promise.all(Array.from({ length: 12 }, () => registerWith(crowdCode)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(CAP);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => [r.status, r.error.fields[0].field])).toEqual(
      Array.from({ length: 12 - CAP }, () => [422, 'body.invite']),
    );
    const page = await inviteOf(crowded);
    expect(page.invited).toBe(CAP);
    expect(new Set(page.referrals.map((r) => r.inviteeId))).toEqual(
      new Set(results.filter((r) => r.status === 201).map((r) => r.body.user!.id)),
    );
  });

  it('flags an invitee who ships to the inviter’s address, holds the reward, and pays it when support clears', async () => {
    const inviter = await registerUser(app.url);
    expect(
      (await inviter.post('/api/me/addresses', { ...ADDRESS, phone: '13800000000', district: 'Pudong' }))
        .status,
    ).toBe(201);
    const invitee = await joinWith((await inviteOf(inviter)).code);
    await firstOrderCompletes(invitee);
    await waitFor(async () => (await inviteOf(inviter)).referrals[0]!.status === 'flagged', 20_000);
    const held = (await inviteOf(inviter)).referrals[0]!;
    expect(held.flag!.signals).toEqual(expect.arrayContaining(['address', 'phone']));
    expect(held.pointsEarned).toBe(0);
    expect(await pointsOf(inviter)).toBe(0);

    expect((await inviter.get('/api/support/referrals')).status).toBe(403);
    const support = await staffAccount(app, 'support');
    const list = (await support.get('/api/support/referrals')).body.items;
    expect(list.find((r) => r.inviteeId === invitee.userId)).toMatchObject({
      status: 'flagged',
      inviterEmail: inviter.email,
      inviteeFullName: 'Wang Fang',
      decision: null,
    });
    const cleared = await support.post(`/api/support/referrals/${invitee.userId}/decision`, {
      decision: 'cleared',
      note: 'Flatmates, checked by phone',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ status: 'rewarded', pointsEarned: 500 });
    expect(await pointsOf(inviter)).toBe(500);
    const again = await support.post(`/api/support/referrals/${invitee.userId}/decision`, {
      decision: 'rejected',
    });
    expect(again.status).toBe(409);
  });
});

describe('the invite cap across two app processes', () => {
  let second: AppProcess;
  beforeAll(async () => {
    second = await spawnSecondNode(app, { REFERRAL_MAX_INVITES: String(CAP) });
  }, 120_000);
  afterAll(async () => {
    second?.child.kill('SIGTERM');
    await second?.exited;
  });

  it('admits exactly the cap when sign-ups with one code hit both processes at once', async () => {
    const inviter = await registerUser(app.url);
    const { code } = await inviteOf(inviter);
    const SIGNUPS = 24;
    const results = await Promise.all(
      Array.from({ length: SIGNUPS }, (_, i) =>
        registerWith(code, undefined, i % 2 === 0 ? app.url : second.url),
      ),
    );
    const admitted = results.filter((r) => r.status === 201);
    expect(admitted).toHaveLength(CAP);
    expect(new Set(results.filter((r) => r.status !== 201).map((r) => r.status))).toEqual(new Set([422]));
    // Audit the store: the inviter's slots are exactly 1..cap, each held by one admitted invitee with a
    // referral, and no refused sign-up left an account behind.
    const db = app.database.connection;
    const slots = await db.collection('invite_slots').find({ inviterId: inviter.user.id }).toArray();
    expect(slots.map((s) => s._id).sort()).toEqual(
      Array.from({ length: CAP }, (_, i) => `${inviter.user.id}:${i + 1}`).sort(),
    );
    const admittedIds = admitted.map((r) => r.body.user!.id).sort();
    expect(slots.map((s) => s.inviteeId as string).sort()).toEqual(admittedIds);
    const referrals = await db.collection('referrals').find({ inviterId: inviter.user.id }).toArray();
    expect(referrals.map((r) => r._id as unknown as string).sort()).toEqual(admittedIds);
    const refusedEmails = results.filter((r) => r.status !== 201).map((r) => r.email);
    expect(await db.collection('users').countDocuments({ email: { $in: refusedEmails } })).toBe(0);
  });
});
