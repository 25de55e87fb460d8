import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { createAddressBookService } from '../addresses';
import { ValidationError } from '../errors';
import { createInProcessEventBus, type DomainEvents } from '../events';
import { createLogger } from '../logger';
import { createMembershipService } from '../membership';
import type { Address, Order } from '../orders';
import { createPromotionService } from '../promotions';
import { createUserService } from '../users';
import { CODE_ALPHABET, CODE_LENGTH, normalizeInviteCode } from './codes';
import { createReferralService } from './service';
import { mailboxKey, maskName, sharedSignals } from './signals';

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
let db: Db;
let seq = 0;

const HOME: Address = {
  name: 'Wang Fang',
  phone: '13900000001',
  line1: '1 Nanjing Rd',
  line2: '',
  city: 'Shanghai',
  district: 'Huangpu',
  province: 'Shanghai',
  postcode: '200001',
};

/** Orders are the order domain's; these tests hand the referral service the one order it reads. */
const ordersById = new Map<string, Pick<Order, 'id' | 'delivery'>>();

function build(maxInvites = 3) {
  const log = createLogger('warn', 'referrals-test');
  const bus = createInProcessEventBus(log);
  const users = createUserService({ connection: db.connection, bus });
  const addresses = createAddressBookService({ connection: db.connection });
  const ledger = createMembershipService({ connection: db.connection, bus });
  /** Set to make the next earn die first, as a process that stops between the outcome mark and the earn. */
  const crash = { nextEarn: false };
  const membership: typeof ledger = {
    ...ledger,
    async earn(...args) {
      if (crash.nextEarn) {
        crash.nextEarn = false;
        throw new Error('process died before the earn');
      }
      return ledger.earn(...args);
    },
  };
  const promotions = createPromotionService({ connection: db.connection });
  const referrals = createReferralService({
    connection: db.connection,
    bus,
    log,
    config: { maxInvites, inviterPoints: 500, welcomeCoupon: { valueFen: 1000, minSpendFen: 0, days: 30 } },
    users,
    addresses,
    membership,
    promotions,
    orders: {
      get: async (id: string) => {
        const order = ordersById.get(id);
        if (!order) throw new Error(`no order ${id}`);
        return order as Order;
      },
    },
  });
  return { users, addresses, membership, promotions, referrals, crash };
}

const person = (users: ReturnType<typeof build>['users'], tag = 'p') =>
  users.createUser({
    email: `${tag}${Date.now().toString(36)}${++seq}@example.com`,
    password: 'long enough password',
    name: `Person ${tag} ${seq}`,
    roles: ['shopper'],
  });

function orderEvent(
  buyerId: string,
  orderId: string,
  status: string,
  event: 'created' | 'status' = 'status',
): DomainEvents['order.status_changed'] {
  return {
    orderId,
    checkoutId: `ck_${orderId}`,
    buyerId,
    sellerId: 'seller',
    status,
    event,
    version: 1,
    at: new Date().toISOString(),
  };
}

function placeOrder(orderId: string, address: Address = { ...HOME, line1: `${++seq} Elsewhere St` }) {
  ordersById.set(orderId, { id: orderId, delivery: { method: 'courier', address, pickupPoint: null } });
}

beforeAll(async () => {
  db = await openTestDatabase('referrals');
});
afterAll(() => db?.close());

describe('referral helpers', () => {
  it('draws codes from an unambiguous alphabet and reads them back forgivingly', () => {
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL2Z5S8B]/);
    expect(normalizeInviteCode(' ac-dE fgh ')).toBe('ACDEFGH');
    expect(normalizeInviteCode('ACDEFG0')).toBeNull();
    expect(normalizeInviteCode('ACD')).toBeNull();
    expect(CODE_LENGTH).toBe(7);
  });

  it('compares mailboxes, masks names, and finds shared places and phones', () => {
    expect(mailboxKey('A.B+promo@Gmail.com')).toBe(mailboxKey('ab@gmail.com'));
    expect(mailboxKey('a.b@example.com')).not.toBe(mailboxKey('ab@example.com'));
    expect(maskName('Li Wei')).toBe('L* W**');
    expect(maskName('王芳')).toBe('王*');
    const inviter = { phone: '+8613900000001', addresses: [HOME], payers: [] };
    expect(
      sharedSignals(
        { phone: null, addresses: [{ ...HOME, line1: '1  nanjing rd.', phone: '1' }], payers: [] },
        inviter,
      ),
    ).toEqual(['address']);
    expect(
      sharedSignals(
        { phone: null, addresses: [{ ...HOME, line1: 'x', phone: '139 0000 0001' }], payers: [] },
        inviter,
      ),
    ).toEqual(['phone']);
    expect(
      sharedSignals({ phone: null, addresses: [], payers: ['p1'] }, { ...inviter, payers: ['p1'] }),
    ).toEqual(['payment']);
  });
});

describe('referrals', () => {
  it('gives every account one code, even when asked for it concurrently', async () => {
    const { users, referrals } = build();
    const inviter = await person(users);
    const codes = await Promise.all(Array.from({ length: 8 }, () => referrals.inviteCode(inviter.id)));
    expect(new Set(codes).size).toBe(1);
    expect(normalizeInviteCode(codes[0]!)).toBe(codes[0]);
  });

  it('refuses unknown and own codes naming body.invite, and joins with a personal welcome coupon', async () => {
    const { users, referrals, promotions } = build();
    const inviter = await person(users, 'inv');
    const code = await referrals.inviteCode(inviter.id);
    await expect(referrals.checkInvite('ACDEFGH', { email: 'x@example.com' })).rejects.toMatchObject({
      details: { fields: [{ field: 'body.invite' }] },
    });
    const [local, domain] = inviter.email.split('@');
    await expect(referrals.checkInvite(code, { email: `${local}+2@${domain}` })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(referrals.join(inviter, code)).rejects.toBeInstanceOf(ValidationError);

    const invitee = await person(users, 'new');
    const joined = await referrals.join(invitee, code.toLowerCase());
    expect(joined).toMatchObject({ inviterId: inviter.id, status: 'joined', pointsEarned: 0 });
    expect(await referrals.join(invitee, code)).toMatchObject({
      welcomeCouponCode: joined.welcomeCouponCode,
    });
    const mine = await promotions.availableFor(invitee.id);
    expect(mine.map((c) => c.code)).toEqual([joined.welcomeCouponCode]);
    expect(mine[0]).toMatchObject({ funding: 'platform', value: 1000, usageLimit: 1, forUserId: invitee.id });
    // Nobody else sees it or can use it.
    expect((await promotions.availableFor(inviter.id)).map((c) => c.code)).not.toContain(
      joined.welcomeCouponCode,
    );
    await expect(
      promotions.quote(joined.welcomeCouponCode!, { userId: inviter.id, subtotalsBySeller: { s: 5000 } }),
    ).rejects.toThrow(/no coupon/);
    expect(
      (
        await promotions.quote(joined.welcomeCouponCode!, {
          userId: invitee.id,
          subtotalsBySeller: { s: 5000 },
        })
      ).total,
    ).toBe(1000);
  });

  it('never lets concurrent joins exceed the cap', async () => {
    const { users, referrals } = build(3);
    const inviter = await person(users, 'cap');
    const code = await referrals.inviteCode(inviter.id);
    const invitees = await Promise.all(Array.from({ length: 8 }, () => person(users, 'crowd')));
    const results = await Promise.allSettled(invitees.map((u) => referrals.join(u, code)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        details: { fields: [{ field: 'body.invite' }] },
      });
    expect((await referrals.summary(inviter.id)).invited).toBe(3);
  });

  it('rewards the first completed order once, and takes the points back when it is refunded', async () => {
    const { users, referrals, membership } = build();
    const inviter = await person(users, 'rew');
    const invitee = await person(users, 'buyer');
    await referrals.join(invitee, await referrals.inviteCode(inviter.id));
    placeOrder('o_first');
    placeOrder('o_second');
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_first', 'pending_payment', 'created'));
    expect((await referrals.referralOf(invitee.id))!.status).toBe('ordered');
    const completed = orderEvent(invitee.id, 'o_first', 'completed');
    await Promise.all([referrals.applyOrderEvent(completed), referrals.applyOrderEvent(completed)]);
    await referrals.applyOrderEvent(completed);
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_second', 'completed'));
    expect((await membership.account(inviter.id)).balance).toBe(500);
    expect(await referrals.referralOf(invitee.id)).toMatchObject({
      status: 'rewarded',
      pointsEarned: 500,
      qualifyingOrderId: 'o_first',
    });
    // A refund of another order changes nothing; of the rewarded one, takes the points back (once).
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_second', 'refunded'));
    expect((await membership.account(inviter.id)).balance).toBe(500);
    const refunded = orderEvent(invitee.id, 'o_first', 'refunded');
    await Promise.all([referrals.applyOrderEvent(refunded), referrals.applyOrderEvent(refunded)]);
    expect((await membership.account(inviter.id)).balance).toBe(0);
    expect(await referrals.referralOf(invitee.id)).toMatchObject({ status: 'reversed', pointsEarned: 0 });
    expect((await membership.history(inviter.id)).map((m) => m.delta)).toEqual([-500, 500]);
  });

  it('after a crash between the outcome and the earn, a refund takes nothing and a redelivery finishes', async () => {
    const { users, referrals, membership, crash } = build();
    const inviter = await person(users, 'crash');
    // Points of the inviter's own that a wrong revoke would take.
    await membership.earn(inviter.id, 300, `own:${inviter.id}`, 'Own order');
    const ownPoints = { balance: 300, lifetimeEarned: 300 };
    const joinAndCrash = async (tag: string) => {
      const invitee = await person(users, tag);
      await referrals.join(invitee, await referrals.inviteCode(inviter.id));
      placeOrder(`o_${tag}`);
      crash.nextEarn = true;
      const completed = orderEvent(invitee.id, `o_${tag}`, 'completed');
      await expect(referrals.applyOrderEvent(completed)).rejects.toThrow(/process died/);
      expect((await referrals.referralOf(invitee.id))!.status).toBe('rewarded');
      expect(await membership.account(inviter.id)).toMatchObject(ownPoints);
      return { invitee, completed, refunded: orderEvent(invitee.id, `o_${tag}`, 'refunded') };
    };

    // Refunded after the crash: nothing was given, so nothing is taken (twice, and again later).
    const first = await joinAndCrash('never');
    await Promise.all([referrals.applyOrderEvent(first.refunded), referrals.applyOrderEvent(first.refunded)]);
    await referrals.applyOrderEvent(first.refunded);
    expect(await membership.account(inviter.id)).toMatchObject(ownPoints);
    // The completion delivered again after the refund does not pay a refunded order.
    await referrals.applyOrderEvent(first.completed);
    expect(await membership.account(inviter.id)).toMatchObject(ownPoints);
    expect(await referrals.referralOf(first.invitee.id)).toMatchObject({
      status: 'reversed',
      pointsEarned: 0,
    });
    expect((await membership.history(inviter.id)).map((m) => m.delta)).toEqual([300]);

    // The completion delivered again after the crash pays once; its refund then takes exactly that back.
    const second = await joinAndCrash('again');
    await Promise.all([
      referrals.applyOrderEvent(second.completed),
      referrals.applyOrderEvent(second.completed),
    ]);
    await referrals.applyOrderEvent(second.completed);
    expect(await membership.account(inviter.id)).toMatchObject({ balance: 800, lifetimeEarned: 800 });
    expect(await referrals.referralOf(second.invitee.id)).toMatchObject({
      status: 'rewarded',
      pointsEarned: 500,
    });
    await Promise.all([
      referrals.applyOrderEvent(second.refunded),
      referrals.applyOrderEvent(second.refunded),
    ]);
    await referrals.applyOrderEvent(second.refunded);
    expect(await membership.account(inviter.id)).toMatchObject(ownPoints);
    expect((await membership.history(inviter.id)).map((m) => m.delta)).toEqual([-500, 500, 300]);

    // The redelivered completion and the refund at once, after the crash: given and taken back, or neither.
    const third = await joinAndCrash('race');
    await Promise.all([
      referrals.applyOrderEvent(third.completed),
      referrals.applyOrderEvent(third.refunded),
    ]);
    await referrals.applyOrderEvent(third.completed);
    await referrals.applyOrderEvent(third.refunded);
    expect(await membership.account(inviter.id)).toMatchObject(ownPoints);
    expect(await referrals.referralOf(third.invitee.id)).toMatchObject({
      status: 'reversed',
      pointsEarned: 0,
    });
    const raceMoves = (await membership.history(inviter.id)).map((m) => m.delta).slice(0, -3);
    expect([[], [-500, 500]]).toContainEqual(raceMoves);
  });

  it('does not flag a referral already settled when a later order ships to the inviter', async () => {
    const { users, referrals, addresses } = build();
    const inviter = await person(users, 'late');
    const invitee = await person(users, 'later');
    await referrals.join(invitee, await referrals.inviteCode(inviter.id));
    placeOrder('o_clean');
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_clean', 'completed'));
    await addresses.add(inviter.id, { ...HOME, district: 'Huangpu' });
    placeOrder('o_later', HOME);
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_later', 'pending_payment', 'created'));
    expect(await referrals.referralOf(invitee.id)).toMatchObject({ status: 'rewarded', flag: null });
  });

  it('holds a referral that ships to the inviter’s address until support clears it', async () => {
    const { users, referrals, membership, addresses } = build();
    const inviter = await person(users, 'home');
    await addresses.add(inviter.id, { ...HOME, district: 'Huangpu' });
    const invitee = await person(users, 'flat');
    await referrals.join(invitee, await referrals.inviteCode(inviter.id));
    placeOrder('o_shared', { ...HOME, name: 'Someone else', phone: '13700000000' });
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_shared', 'pending_payment', 'created'));
    await referrals.applyOrderEvent(orderEvent(invitee.id, 'o_shared', 'completed'));
    expect(await referrals.referralOf(invitee.id)).toMatchObject({
      status: 'flagged',
      flag: { signals: ['address'] },
    });
    expect((await membership.account(inviter.id)).balance).toBe(0);

    const shopper = { id: invitee.id, roles: ['shopper'], shopId: null };
    const support = { id: 'usr_support', roles: ['support'], shopId: null };
    await expect(referrals.flagged(shopper)).rejects.toThrow(/support/);
    expect((await referrals.flagged(support)).find((r) => r.inviteeId === invitee.id)).toMatchObject({
      inviterEmail: inviter.email,
      inviteeEmail: invitee.email,
      decision: null,
    });
    expect(await referrals.decide(support, invitee.id, 'cleared', 'flatmates')).toMatchObject({
      status: 'rewarded',
      pointsEarned: 500,
    });
    await expect(referrals.decide(support, invitee.id, 'rejected')).rejects.toThrow(/already cleared/);
    expect((await membership.account(inviter.id)).balance).toBe(500);
  });
});
