import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { ValidationError } from '../errors';
import { createInProcessEventBus } from '../events';
import { createLogger } from '../logger';
import { createMembershipService, earnRate, pointsEarnedFor, TIERS } from './index';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;

let db: Db;
let membership: ReturnType<typeof createMembershipService>;
let seq = 0;
const newUser = () => `usr_m${Date.now().toString(36)}${++seq}`;

beforeAll(async () => {
  db = await openTestDatabase('points');
  membership = createMembershipService({
    connection: db.connection,
    bus: createInProcessEventBus(createLogger('warn', 'membership-test')),
  });
});
afterAll(() => db?.close());

describe('membership points', () => {
  it('starts everyone at zero in the member tier', async () => {
    const account = await membership.account(newUser());
    expect(account).toMatchObject({
      balance: 0,
      lifetimeEarned: 0,
      tier: 'member',
      benefits: { earnMultiplier: 1, freeShippingThreshold: 9900, maxRedeemPercent: 20 },
      nextTier: { name: 'silver', pointsNeeded: 2000 },
    });
  });

  it('earns exactly once per ref, even when called 20 times at once', async () => {
    const user = newUser();
    await Promise.all(Array.from({ length: 20 }, () => membership.earn(user, 150, 'order_1', 'Order 1')));
    await membership.earn(user, 150, 'order_1', 'Order 1 again');
    await membership.earn(user, 50, 'order_2', 'Order 2');
    expect(await membership.account(user)).toMatchObject({ balance: 200, lifetimeEarned: 200 });
    const history = await membership.history(user);
    expect(history.map((m) => [m.reason, m.delta, m.balance, m.ref])).toEqual([
      ['earn', 50, 200, 'order_2'],
      ['earn', 150, 150, 'order_1'],
    ]);
    expect(history[0]!.note).toBe('Order 2');
    expect(history[0]!.at).toBeInstanceOf(Date);
    expect(await membership.earned(user, 'order_1')).toBe(true);
    expect(await membership.earned(user, 'order_3')).toBe(false);
    // A spend under the same ref is another kind of movement, not an earn.
    await membership.spend(user, 10, 'order_3', 'Spent');
    expect(await membership.earned(user, 'order_3')).toBe(false);
  });

  it('never spends below zero under concurrent spends, and spends once per ref', async () => {
    const user = newUser();
    await membership.earn(user, 100, 'seed', 'Welcome');
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => membership.spend(user, 7, `ck_${i}`, `Checkout ${i}`)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(14); // 100 / 7
    const refused = results.filter((r) => !r.ok);
    expect(refused.every((r) => !r.ok && r.balance < 7)).toBe(true);
    expect((await membership.account(user)).balance).toBe(2);
    const history = await membership.history(user, 100);
    expect(history.every((m) => m.balance >= 0)).toBe(true);
    expect(history).toHaveLength(15);

    // The same spend retried (concurrently) is applied once, and reported as done.
    const again = newUser();
    await membership.earn(again, 30, 'seed', 'Welcome');
    const retried = await Promise.all(
      Array.from({ length: 10 }, () => membership.spend(again, 20, 'ck_x', 'x')),
    );
    expect(retried.every((r) => r.ok)).toBe(true);
    expect((await membership.account(again)).balance).toBe(10);
    expect(await membership.spent(again, 'ck_x')).toBe(true);
    expect(await membership.spent(again, 'ck_y')).toBe(false);
    expect(await membership.spend(again, 11, 'ck_y', 'y')).toEqual({ ok: false, balance: 10 });
  });

  it('refunds spent points once per ref without counting them as earned; one ref may serve both', async () => {
    const user = newUser();
    await membership.earn(user, 500, 'order_a', 'Order A');
    expect(await membership.spend(user, 300, 'order_b', 'Order B')).toEqual({ ok: true });
    await Promise.all([
      membership.refund(user, 300, 'order_b', 'Order B cancelled'),
      membership.refund(user, 300, 'order_b', 'Order B cancelled'),
    ]);
    expect(await membership.account(user)).toMatchObject({ balance: 500, lifetimeEarned: 500 });
    expect((await membership.history(user)).map((m) => m.reason)).toEqual(['refund', 'spend', 'earn']);
  });

  it('takes revoked earnings off the tier and as far as the balance goes', async () => {
    const user = newUser();
    await membership.earn(user, 2500, 'order_1', 'Order 1');
    expect((await membership.account(user)).tier).toBe('silver');
    await membership.spend(user, 2000, 'ck_1', 'Checkout');
    await membership.revoke(user, 1000, 'order_1', 'Order 1 refunded');
    await membership.revoke(user, 1000, 'order_1', 'Order 1 refunded');
    expect(await membership.account(user)).toMatchObject({
      balance: 0,
      lifetimeEarned: 1500,
      tier: 'member',
    });
  });

  it('moves up the tiers by lifetime earned points', async () => {
    const user = newUser();
    const expectTier = async (tier: string, next: { name: string; pointsNeeded: number } | null) =>
      expect(await membership.account(user)).toMatchObject({ tier, nextTier: next });
    await membership.earn(user, 1999, 'e1', '');
    await expectTier('member', { name: 'silver', pointsNeeded: 1 });
    await membership.earn(user, 1, 'e2', '');
    await expectTier('silver', { name: 'gold', pointsNeeded: 8000 });
    await membership.spend(user, 2000, 's1', '');
    await expectTier('silver', { name: 'gold', pointsNeeded: 8000 }); // spending keeps the tier
    await membership.earn(user, 8000, 'e3', '');
    await expectTier('gold', { name: 'platinum', pointsNeeded: 40000 });
    expect((await membership.account(user)).benefits).toEqual({
      earnMultiplier: 1.5,
      freeShippingThreshold: 0,
      maxRedeemPercent: 40,
    });
    await membership.earn(user, 40000, 'e4', '');
    await expectTier('platinum', null);
    expect((await membership.account(user)).benefits.maxRedeemPercent).toBe(50);
  });

  it('publishes the tier table and earn rates', () => {
    expect(TIERS.map((t) => [t.name, t.threshold])).toEqual([
      ['member', 0],
      ['silver', 2000],
      ['gold', 10000],
      ['platinum', 50000],
    ]);
    expect(TIERS.map((t) => membership.earnRate(t.name))).toEqual([1, 1.25, 1.5, 2]);
    expect(earnRate('silver')).toBe(1.25);
    expect(pointsEarnedFor('member', 12345)).toBe(123);
    expect(pointsEarnedFor('silver', 12345)).toBe(154);
    expect(pointsEarnedFor('gold', 99)).toBe(1);
    expect(pointsEarnedFor('platinum', 100)).toBe(2);
    expect(pointsEarnedFor('platinum', 0)).toBe(0);
  });

  it('refuses amounts that are not positive whole numbers of points', async () => {
    const user = newUser();
    for (const points of [0, -5, 1.5, Number.NaN])
      await expect(membership.earn(user, points, `bad${points}`, '')).rejects.toBeInstanceOf(ValidationError);
    await expect(membership.spend(user, 10, '', '')).rejects.toBeInstanceOf(ValidationError);
    expect((await membership.history(user)).length).toBe(0);
  });
});
