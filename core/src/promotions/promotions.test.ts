import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import type { Actor } from '../catalog';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { createPromotionService, type Coupon, type CouponInput } from './index';
import { redemptionLedger, slotLedger } from './model';
import { globalSlotKey, redemptionKey } from './redemptions';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
type Service = ReturnType<typeof createPromotionService>;

let db: Db;
let promotions: Service;
let now = new Date('2026-03-01T08:00:00Z');

const admin: Actor = { id: 'usr_admin', roles: ['admin'], shopId: null };
const sellerA: Actor = { id: 'usr_sellerA', roles: ['seller'], shopId: 'shp_a' };
const sellerB: Actor = { id: 'usr_sellerB', roles: ['seller'], shopId: 'shp_b' };
const shopper: Actor = { id: 'usr_shopper', roles: ['shopper'], shopId: null };

let codeSeq = 0;
const code = (prefix = 'C') => `${prefix}${Date.now().toString(36)}${++codeSeq}`.toUpperCase();

function create(actor: Actor, input: Partial<CouponInput> = {}): Promise<Coupon> {
  return promotions.createCoupon(actor, { code: code(), kind: 'percent', value: 10, ...input });
}

/** Global slots of a coupon currently held, read through the slot ledger (authoritative). */
async function heldGlobalSlots(couponId: string, limit: number): Promise<number> {
  const slots = slotLedger(db.connection);
  let held = 0;
  for (let n = 1; n <= limit; n++) if ((await slots.latest(globalSlotKey(couponId, n)))?.holder) held++;
  return held;
}

async function quoteError(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  const fields = (err as ValidationError).details.fields!;
  expect(fields).toHaveLength(1);
  return fields[0]!;
}

beforeAll(async () => {
  db = await openTestDatabase('promo');
  promotions = createPromotionService({ connection: db.connection, clock: () => now });
});
afterAll(() => db?.close());

describe('coupons', () => {
  it('gives admins platform coupons and sellers their own; others are refused', async () => {
    const platform = await create(admin, { code: 'spring-sale' });
    expect(platform).toMatchObject({
      code: 'SPRING-SALE',
      funding: 'platform',
      sellerId: null,
      active: true,
      perUserLimit: 1,
      usageLimit: null,
      minSpend: 0,
      maxDiscount: null,
      endsAt: null,
    });
    expect(platform.startsAt).toEqual(now);
    const own = await create(sellerA, { kind: 'fixed', value: 500 });
    expect(own).toMatchObject({ funding: 'seller', sellerId: sellerA.id });
    await expect(create(shopper)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('claims codes case-insensitively: a second coupon with the same code is a conflict', async () => {
    const first = await create(sellerA, { code: 'dup-code-1' });
    const err = await create(sellerB, { code: '  Dup-Code-1 ' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).details.fields).toEqual([
      { field: 'body.code', message: 'already in use' },
    ]);
    // Even when raced: exactly one of many concurrent creations wins the code.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => create(sellerB, { code: 'RACED-CODE' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await promotions.listCoupons(sellerA)).map((c) => c.id)).toContain(first.id);
  });

  it('names every invalid field', async () => {
    const err = await promotions
      .createCoupon(admin, {
        code: 'x',
        kind: 'percent',
        value: 150,
        minSpend: -1,
        usageLimit: 100_001,
        perUserLimit: 0,
        startsAt: now,
        endsAt: new Date(now.getTime() - 1000),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details.fields!.map((f) => f.field).sort()).toEqual(
      [
        'body.code',
        'body.endsAt',
        'body.minSpend',
        'body.perUserLimit',
        'body.usageLimit',
        'body.value',
      ].sort(),
    );
    const capOnFixed = await create(admin, { kind: 'fixed', value: 100, maxDiscount: 50 }).catch(
      (e: unknown) => e,
    );
    expect((capOnFixed as ValidationError).details.fields![0]!.field).toBe('body.maxDiscount');
  });

  it('lists all coupons to admins and their own to sellers, with redemption counts', async () => {
    const mine = await create(sellerB, { usageLimit: 10 });
    await promotions.redeem(mine.id, { userId: 'usr_l1', redemptionId: 'ck_l1' });
    const forB = await promotions.listCoupons(sellerB);
    expect(forB.every((c) => c.sellerId === sellerB.id)).toBe(true);
    expect(forB.find((c) => c.id === mine.id)?.redeemed).toBe(1);
    const forAdmin = await promotions.listCoupons(admin);
    expect(forAdmin.some((c) => c.sellerId === sellerA.id)).toBe(true);
    expect(forAdmin.some((c) => c.funding === 'platform')).toBe(true);
    await expect(promotions.listCoupons(shopper)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets only the owner or an admin switch a coupon on and off', async () => {
    const coupon = await create(sellerA);
    await expect(promotions.setCouponActive(sellerB, coupon.id, false)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await promotions.setCouponActive(sellerA, coupon.id, false)).active).toBe(false);
    expect((await promotions.setCouponActive(admin, coupon.id, true)).active).toBe(true);
    const platform = await create(admin);
    await expect(promotions.setCouponActive(sellerA, platform.id, false)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(promotions.setCouponActive(admin, 'cpn_missing', false)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('quote', () => {
  it('computes percent (floored, capped) and fixed (at most the subtotal) discounts', async () => {
    const percent = await create(admin, { value: 15 });
    expect(
      (await promotions.quote(percent.code.toLowerCase(), { userId: 'u1', subtotalsBySeller: { s1: 9999 } }))
        .total,
    ).toBe(1499);
    const capped = await create(admin, { value: 50, maxDiscount: 2000 });
    expect(
      (await promotions.quote(capped.code, { userId: 'u1', subtotalsBySeller: { s1: 10000 } })).total,
    ).toBe(2000);
    const fixed = await create(sellerA, { kind: 'fixed', value: 5000, description: '¥50 off' });
    const quote = await promotions.quote(fixed.code, {
      userId: 'u1',
      subtotalsBySeller: { [sellerA.id]: 3000, other: 90000 },
    });
    expect(quote).toEqual({
      couponId: fixed.id,
      code: fixed.code,
      funding: 'seller',
      sellerId: sellerA.id,
      discountBySeller: { [sellerA.id]: 3000 },
      total: 3000,
      description: '¥50 off',
    });
  });

  it('splits a platform discount across sellers in proportion, summing exactly', async () => {
    const coupon = await create(admin, { value: 10 });
    const subtotals = { s1: 3333, s2: 3333, s3: 3334, s4: 0 };
    const quote = await promotions.quote(coupon.code, { userId: 'u1', subtotalsBySeller: subtotals });
    expect(quote.total).toBe(1000);
    expect(Object.values(quote.discountBySeller).reduce((a, b) => a + b, 0)).toBe(1000);
    expect(quote.discountBySeller).toEqual({ s1: 333, s2: 333, s3: 334, s4: 0 });

    const fixed = await create(admin, { kind: 'fixed', value: 1001 });
    const odd = await promotions.quote(fixed.code, {
      userId: 'u1',
      subtotalsBySeller: { a: 1, b: 2, c: 3, d: 5, e: 7, f: 11, g: 13 },
    });
    expect(odd.total).toBe(42);
    expect(Object.values(odd.discountBySeller).reduce((a, b) => a + b, 0)).toBe(42);
  });

  it('explains every reason a code cannot be used, on the couponCode field', async () => {
    const msg = async (c: string, subtotalsBySeller: Record<string, number>, userId = 'u-quote') => {
      const issue = await quoteError(promotions.quote(c, { userId, subtotalsBySeller }));
      expect(issue.field).toBe('body.couponCode');
      return issue.message;
    };
    expect(await msg('NO-SUCH-CODE', { s1: 100 })).toMatch(/no coupon with the code NO-SUCH-CODE/i);

    const paused = await create(admin);
    await promotions.setCouponActive(admin, paused.id, false);
    expect(await msg(paused.code, { s1: 100 })).toMatch(/not active/);

    const later = await create(admin, { startsAt: new Date(now.getTime() + 86_400_000) });
    expect(await msg(later.code, { s1: 100 })).toMatch(/can be used from 2026-03-02/);

    const expiring = await create(admin, { endsAt: new Date(now.getTime() + 60_000) });
    const saved = now;
    now = new Date(now.getTime() + 120_000);
    try {
      expect(await msg(expiring.code, { s1: 100 })).toMatch(/expired on 2026-03-01/);
    } finally {
      now = saved;
    }

    const minimum = await create(admin, { minSpend: 19900 });
    expect(await msg(minimum.code, { s1: 10000, s2: 4900 })).toBe(
      `Spend ¥50.00 more to use ${minimum.code} (minimum ¥199.00)`,
    );

    const shopOnly = await create(sellerA, { kind: 'fixed', value: 100 });
    expect(await msg(shopOnly.code, { [sellerB.id]: 100000 })).toMatch(/none of them is in your order/);

    const scarce = await create(admin, { usageLimit: 1 });
    expect((await promotions.redeem(scarce.id, { userId: 'u-first', redemptionId: 'ck_s1' })).ok).toBe(true);
    expect(await msg(scarce.code, { s1: 100 })).toMatch(/fully redeemed/);

    const once = await create(admin, { perUserLimit: 1 });
    await promotions.redeem(once.id, { userId: 'u-quote', redemptionId: 'ck_o1' });
    expect(await msg(once.code, { s1: 100 })).toMatch(/already used/);
    // Someone else can still use it.
    expect(
      (await promotions.quote(once.code, { userId: 'u-other', subtotalsBySeller: { s1: 100 } })).total,
    ).toBe(10);
  });
});

describe('redeem and release', () => {
  it('lets exactly usageLimit of 200 concurrent shoppers redeem', async () => {
    const coupon = await create(admin, { usageLimit: 5 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        promotions.redeem(coupon.id, { userId: `usr_race${i}`, redemptionId: `ck_race${i}` }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === 'global_limit')).toHaveLength(195);
    expect(await promotions.redemptionCount(coupon.id)).toBe(5);
    expect(await heldGlobalSlots(coupon.id, 5)).toBe(5);
  });

  it('holds a per-user limit of 2 against 10 concurrent redemptions by one shopper', async () => {
    const coupon = await create(admin, { perUserLimit: 2 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        promotions.redeem(coupon.id, { userId: 'usr_greedy', redemptionId: `ck_greedy${i}` }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok && r.reason === 'user_limit')).toHaveLength(8);
    expect(await promotions.redemptionCount(coupon.id)).toBe(2);
    expect((await promotions.redeem(coupon.id, { userId: 'usr_other', redemptionId: 'ck_x' })).ok).toBe(true);
  });

  it('takes one slot for one redemption id however often it is redeemed at once', async () => {
    const coupon = await create(admin, { usageLimit: 3, perUserLimit: 5 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        promotions.redeem(coupon.id, { userId: 'usr_retry', redemptionId: 'ck_same' }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await promotions.redemptionCount(coupon.id)).toBe(1);
    expect(await heldGlobalSlots(coupon.id, 3)).toBe(1);
    // A later retry is a no-op too, and two other redemptions still fit.
    expect((await promotions.redeem(coupon.id, { userId: 'usr_retry', redemptionId: 'ck_same' })).ok).toBe(
      true,
    );
    for (const id of ['ck_o1', 'ck_o2'])
      expect((await promotions.redeem(coupon.id, { userId: `usr_${id}`, redemptionId: id })).ok).toBe(true);
    expect(await promotions.redeem(coupon.id, { userId: 'usr_late', redemptionId: 'ck_o3' })).toEqual({
      ok: false,
      reason: 'global_limit',
    });
  });

  it('gives back the global slot of an attempt that hit the per-user limit; the same id may try again', async () => {
    const coupon = await create(admin, { usageLimit: 5, perUserLimit: 1 });
    const first = { userId: 'usr_twice', redemptionId: 'ck_t1' };
    const second = { userId: 'usr_twice', redemptionId: 'ck_t2' };
    expect((await promotions.redeem(coupon.id, first)).ok).toBe(true);
    expect(await promotions.redeem(coupon.id, second)).toEqual({ ok: false, reason: 'user_limit' });
    expect(await heldGlobalSlots(coupon.id, 5)).toBe(1);
    await promotions.release(coupon.id, first);
    expect((await promotions.redeem(coupon.id, second)).ok).toBe(true);
    expect(await heldGlobalSlots(coupon.id, 5)).toBe(1);
    expect(await promotions.redemptionCount(coupon.id)).toBe(1);
  });

  it('settles duplicates and rivals together: 20 ids × 5 concurrent calls on 3 slots', async () => {
    const coupon = await create(admin, { usageLimit: 3 });
    const calls = Array.from({ length: 100 }, (_, i) => ({
      userId: `usr_mix${i % 20}`,
      redemptionId: `ck_mix${i % 20}`,
    }));
    const results = await Promise.all(calls.map((r) => promotions.redeem(coupon.id, r)));
    const winners = new Set(calls.filter((_, i) => results[i]!.ok).map((r) => r.redemptionId));
    expect(winners.size).toBe(3);
    expect(await promotions.redemptionCount(coupon.id)).toBe(3);
    expect(await heldGlobalSlots(coupon.id, 3)).toBe(3);
    // Every winner's retry still says ok; releasing them all frees every slot.
    for (const id of winners) {
      const r = { userId: `usr_${id.slice(3)}`, redemptionId: id };
      expect((await promotions.redeem(coupon.id, r)).ok).toBe(true);
      await promotions.release(coupon.id, r);
    }
    expect(await heldGlobalSlots(coupon.id, 3)).toBe(0);
    expect(await promotions.redemptionCount(coupon.id)).toBe(0);
  });

  it('frees the slots on release so another shopper can redeem; release is idempotent and final', async () => {
    const coupon = await create(admin, { usageLimit: 1 });
    const alice = { userId: 'usr_alice', redemptionId: 'ck_alice' };
    const bob = { userId: 'usr_bob', redemptionId: 'ck_bob' };
    expect((await promotions.redeem(coupon.id, alice)).ok).toBe(true);
    expect(await promotions.redeem(coupon.id, bob)).toEqual({ ok: false, reason: 'global_limit' });
    await Promise.all([promotions.release(coupon.id, alice), promotions.release(coupon.id, alice)]);
    await promotions.release(coupon.id, alice);
    expect(await promotions.redemptionCount(coupon.id)).toBe(0);
    expect((await promotions.redeem(coupon.id, { ...bob, redemptionId: 'ck_bob2' })).ok).toBe(true);
    expect(await promotions.redemptionCount(coupon.id)).toBe(1);
    // A checkout retry arriving after its release cannot take a slot back.
    expect(await promotions.redeem(coupon.id, alice)).toEqual({ ok: false, reason: 'inactive' });
    // The per-user slot was freed too: Alice can redeem again under a new id once a slot is free.
    await promotions.release(coupon.id, { ...bob, redemptionId: 'ck_bob2' });
    expect((await promotions.redeem(coupon.id, { ...alice, redemptionId: 'ck_alice2' })).ok).toBe(true);
  });

  it('refuses an inactive or expired coupon and an unknown one', async () => {
    const coupon = await create(admin);
    await promotions.setCouponActive(admin, coupon.id, false);
    expect(await promotions.redeem(coupon.id, { userId: 'u', redemptionId: 'r1' })).toEqual({
      ok: false,
      reason: 'inactive',
    });
    await expect(
      promotions.redeem('cpn_missing', { userId: 'u', redemptionId: 'r1' }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('finishes a redemption whose process died half-way, without taking a second slot', async () => {
    const coupon = await create(admin, { usageLimit: 2, perUserLimit: null });
    const rid = 'ck_crashed';
    const key = redemptionKey(coupon.id, rid);
    // The state a redeem leaves when it dies right after taking global slot 1: step `claim` → slot 1,
    // slot 1 held under that step's token, nothing after.
    const token = `${key}@1`;
    await redemptionLedger(db.connection).append(key, () => ({
      redemptionKey: key,
      couponId: coupon.id,
      redemptionId: rid,
      userId: 'usr_crash',
      phase: 'claim',
      userSlot: null,
      userToken: null,
      globalSlot: 1,
      globalToken: token,
      globalPass: 'seq',
      globalProbes: 1,
      reason: null,
    }));
    await slotLedger(db.connection).append(globalSlotKey(coupon.id, 1), () => ({
      slotKey: globalSlotKey(coupon.id, 1),
      couponId: coupon.id,
      kind: 'g',
      n: 1,
      userId: null,
      holder: token,
    }));
    expect((await promotions.redeem(coupon.id, { userId: 'usr_crash', redemptionId: rid })).ok).toBe(true);
    expect(await promotions.redemptionCount(coupon.id)).toBe(1);
    expect(await heldGlobalSlots(coupon.id, 2)).toBe(1);
    expect((await promotions.redeem(coupon.id, { userId: 'usr_n', redemptionId: 'ck_n' })).ok).toBe(true);

    // Died after taking a slot for a step a duplicate had already moved past: the terminal release
    // sweeps it.
    const other = 'ck_crashed2';
    const coupon2 = await create(admin, { usageLimit: 3, perUserLimit: null });
    const key2 = redemptionKey(coupon2.id, other);
    const steps = redemptionLedger(db.connection);
    const base = {
      redemptionKey: key2,
      couponId: coupon2.id,
      redemptionId: other,
      userId: 'usr_c2',
      phase: 'claim' as const,
      userSlot: null,
      userToken: null,
      globalPass: 'seq' as const,
      reason: null,
    };
    await steps.append(key2, () => ({ ...base, globalSlot: 1, globalToken: `${key2}@1`, globalProbes: 1 }));
    await steps.append(key2, () => ({ ...base, globalSlot: 2, globalToken: `${key2}@2`, globalProbes: 2 }));
    await slotLedger(db.connection).append(globalSlotKey(coupon2.id, 1), () => ({
      slotKey: globalSlotKey(coupon2.id, 1),
      couponId: coupon2.id,
      kind: 'g',
      n: 1,
      userId: null,
      holder: `${key2}@1`,
    }));
    expect((await promotions.redeem(coupon2.id, { userId: 'usr_c2', redemptionId: other })).ok).toBe(true);
    expect(await heldGlobalSlots(coupon2.id, 3)).toBe(1);
    await promotions.release(coupon2.id, { userId: 'usr_c2', redemptionId: other });
    expect(await heldGlobalSlots(coupon2.id, 3)).toBe(0);
  });

  it('reuses released slots below the cursor', async () => {
    const coupon = await create(admin, { usageLimit: 3 });
    for (let i = 0; i < 3; i++)
      expect((await promotions.redeem(coupon.id, { userId: `u_r${i}`, redemptionId: `r${i}` })).ok).toBe(
        true,
      );
    await promotions.release(coupon.id, { userId: 'u_r0', redemptionId: 'r0' });
    await promotions.release(coupon.id, { userId: 'u_r1', redemptionId: 'r1' });
    const again = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        promotions.redeem(coupon.id, { userId: `u_a${i}`, redemptionId: `a${i}` }),
      ),
    );
    expect(again.filter((r) => r.ok)).toHaveLength(2);
    expect(await promotions.redemptionCount(coupon.id)).toBe(3);
    expect(await heldGlobalSlots(coupon.id, 3)).toBe(3);
  });
});

describe('coupons available to a shopper', () => {
  it('lists active coupons in their window that the shopper can still use', async () => {
    const fresh = await openTestDatabase('promo_avail');
    try {
      const service = createPromotionService({ connection: fresh.connection, clock: () => now });
      const mk = (input: Partial<CouponInput>) =>
        service.createCoupon(admin, { code: code('A'), kind: 'percent', value: 5, ...input });
      const open = await mk({ perUserLimit: 3 });
      const used = await mk({ perUserLimit: 1 });
      const exhausted = await mk({ usageLimit: 1 });
      const paused = await mk({});
      const future = await mk({ startsAt: new Date(now.getTime() + 3_600_000) });
      const unlimited = await mk({ perUserLimit: null, usageLimit: 10 });
      await service.setCouponActive(admin, paused.id, false);
      await service.redeem(used.id, { userId: 'usr_me', redemptionId: 'm1' });
      await service.redeem(open.id, { userId: 'usr_me', redemptionId: 'm2' });
      await service.redeem(exhausted.id, { userId: 'usr_someone', redemptionId: 'm3' });
      await service.redeem(unlimited.id, { userId: 'usr_someone', redemptionId: 'm4' });
      const mine = await service.availableFor('usr_me');
      expect(new Set(mine.map((c) => c.id))).toEqual(new Set([open.id, unlimited.id]));
      expect(mine.find((c) => c.id === open.id)?.remainingForYou).toBe(2);
      expect(mine.find((c) => c.id === unlimited.id)?.remainingForYou).toBe(9);
      expect(mine.some((c) => c.id === future.id)).toBe(false);
    } finally {
      await fresh.close();
    }
  });
});
