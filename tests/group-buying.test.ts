import { randomBytes } from 'node:crypto';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_BUYING_SWEEP_JOB } from '@market/core';
import { NAMESPACES, type GroupProgressMessage } from '@market/realtime/contract';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import type { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { checkout, leafCategory, pay, registerUser, stockedProduct } from './support/commerce';
import { waitFor, type AppProcess } from './support/process';

/**
 * Group buying (拼团) over the real API: seats taken by checkouts at the group price, the last seat
 * raced for by ten buyers on one process and on two sharing one FerretDB, completion letting every
 * order proceed to the seller, and expiry refunding every paid member exactly once however often the
 * sweep runs.
 */

const MINUTE = 60_000;
const PRICE = 10_000;
const GROUP_PRICE = 6_900;
const SECRET = randomBytes(32).toString('hex');

const clock = createTestClock();
let app: TestApp;
let second: AppProcess;
let seller: Awaited<ReturnType<typeof registerUser>>;
let category: string;

beforeAll(async () => {
  app = await startTestApp({ env: { SESSION_SECRET: SECRET }, clock: clock.now });
  second = await spawnSecondNode(app, { SESSION_SECRET: SECRET });
  seller = await registerUser(app, 'seller');
  category = await leafCategory(seller);
}, 120_000);

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

async function createDeal(opts: { groupSize: number; minutes?: number; stock?: number }) {
  const item = await stockedProduct(seller, { stock: opts.stock ?? 100, price: PRICE, categoryId: category });
  const start = clock.now().getTime() - 1000;
  const res = await seller.post('/api/seller/group-deals', {
    sku: item.sku,
    groupPrice: GROUP_PRICE,
    groupSize: opts.groupSize,
    timeLimitMinutes: opts.minutes ?? 24 * 60,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 7 * 24 * 60 * MINUTE).toISOString(),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...item, dealId: (res.body as { id: string }).id };
}

const groupCheckout = (buyer: ApiClient, dealId: string, groupId?: string) =>
  checkout(buyer, { groupBuy: { dealId, ...(groupId && { groupId }) } });

async function groupOf(groupId: string) {
  const res = await app.core.groupBuying.getGroup(groupId);
  return res;
}

/** The group id a checkout's order line holds a seat in. */
async function groupIdOf(buyer: ApiClient, orderId: string): Promise<string> {
  const order = await buyer.get(`/api/orders/${orderId}`);
  const groupId = order.body.lines[0]?.groupId;
  if (!groupId) throw new Error('not a group order');
  return groupId;
}

/** Pays and waits until the seat counts as paid (the paid effect runs after the order shows paid). */
async function payAndCount(
  buyer: ApiClient,
  placed: Parameters<typeof pay>[1],
  groupId: string,
  paid: number,
) {
  await pay(buyer, placed);
  await waitFor(async () => (await groupOf(groupId)).paid >= paid, 20_000);
}

describe('group buying', () => {
  it('starts a group at the group price and shares it; a buyer cannot join twice; completion lets every order proceed', async () => {
    const deal = await createDeal({ groupSize: 3 });
    const [leader, member, last] = await Promise.all([
      registerUser(app),
      registerUser(app),
      registerUser(app),
    ]);

    const started = await groupCheckout(leader, deal.dealId);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.total).toBe(GROUP_PRICE + 800);
    const groupId = await groupIdOf(leader, started.body.orders[0]!.id);
    const order = (await leader.get(`/api/orders/${started.body.orders[0]!.id}`)).body;
    expect(order.lines).toEqual([
      expect.objectContaining({ sku: deal.sku, qty: 1, unitPrice: GROUP_PRICE, groupId }),
    ]);
    // Held but unpaid: not yet offered to others on the product page.
    let offer = await app.core.groupBuying.forProduct(deal.productId);
    expect(offer[0]!.groups).toEqual([]);
    await payAndCount(leader, started.body, groupId, 1);
    offer = await app.core.groupBuying.forProduct(deal.productId);
    expect(offer[0]!.groups.map((g) => g.id)).toEqual([groupId]);

    // The leader again, with another key: refused, and naming the group.
    const twice = await groupCheckout(leader, deal.dealId, groupId);
    expect(twice.status).toBe(409);
    expect(twice.error.code).toBe('group_seat_unavailable');
    expect(twice.error.fields.map((f) => f.field)).toEqual(['body.groupBuy.groupId']);

    // The same buyer pressing join twice at once (two keys): one seat.
    const both = await Promise.all([
      groupCheckout(member, deal.dealId, groupId),
      groupCheckout(member, deal.dealId, groupId),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const joined = both.find((r) => r.status === 201)!;
    await payAndCount(member, joined.body, groupId, 2);

    // Not full yet: the seller may not accept these orders.
    const firstOrderId = started.body.orders[0]!.id;
    const early = await seller.post(`/api/orders/${firstOrderId}/accept`);
    expect(early.status).toBe(409);

    const page = await last.get(`/api/groups/${groupId}`);
    expect(page.status).toBe(200);
    expect(page.body.group).toMatchObject({ status: 'forming', groupSize: 3, paid: 2, seatsLeft: 1 });
    expect(page.body.member).toBe(false);
    expect(page.body.group.members.map((m) => m.seat)).toEqual([1, 2]);

    const closing = await groupCheckout(last, deal.dealId, groupId);
    expect(closing.status).toBe(201);
    await payAndCount(last, closing.body, groupId, 3);
    await waitFor(async () => (await groupOf(groupId)).status === 'complete', 20_000);

    // Complete: every member's order proceeds to the seller as a normal paid order.
    for (const placed of [started, joined, closing]) {
      const accepted = await seller.post(`/api/orders/${placed.body.orders[0]!.id}/accept`);
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
      expect(accepted.body.status).toBe('accepted');
    }
    const level = await app.core.inventory.getLevel({
      sku: deal.sku,
      productId: deal.productId,
      sellerId: seller.user.id,
    });
    expect(level.available).toBe(100 - 3);
    // Full and ended: nobody else gets in, and the sweep changes nothing.
    const late = await groupCheckout(await registerUser(app), deal.dealId, groupId);
    expect(late.status).toBe(409);
    await app.core.groupBuying.sweep();
    expect((await groupOf(groupId)).status).toBe('complete');
  }, 180_000);

  describe.each([
    ['one app process', () => [app.url]],
    ['two app processes sharing one FerretDB', () => [app.url, second.url]],
  ])('the last seat on %s', (_name, urls) => {
    it('10 concurrent joins for the last seat: exactly one gets it', async () => {
      const deal = await createDeal({ groupSize: 3 });
      const leader = await registerUser(app);
      const started = await groupCheckout(leader, deal.dealId);
      expect(started.status).toBe(201);
      const groupId = await groupIdOf(leader, started.body.orders[0]!.id);
      await payAndCount(leader, started.body, groupId, 1);
      const member = await registerUser(app);
      const joined = await groupCheckout(member, deal.dealId, groupId);
      expect(joined.status).toBe(201);

      const racers = await Promise.all(
        Array.from({ length: 10 }, (_, i) => registerUser(urls()[i % urls().length]!)),
      );
      const results = await Promise.all(racers.map((r) => groupCheckout(r, deal.dealId, groupId)));
      const placed = results.filter((r) => r.status === 201);
      expect(placed).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 201)) {
        expect(r.status).toBe(409);
        expect(r.error.code).toBe('group_seat_unavailable');
      }
      const group = await groupOf(groupId);
      expect(group.members).toHaveLength(3);
      expect(new Set(group.members.map((m) => m.seat))).toEqual(new Set([1, 2, 3]));
      expect(group.seatsLeft).toBe(0);
      // Only the three seated checkouts took stock; a refused one gave back whatever it had taken.
      const level = await app.core.inventory.getLevel({
        sku: deal.sku,
        productId: deal.productId,
        sellerId: seller.user.id,
      });
      expect(level.available).toBe(100 - 3);
    }, 180_000);
  });

  it('an unpaid seat is freed when its payment window passes and taken by the next buyer', async () => {
    const deal = await createDeal({ groupSize: 2, minutes: 24 * 60 });
    const leader = await registerUser(app);
    const started = await groupCheckout(leader, deal.dealId);
    const groupId = await groupIdOf(leader, started.body.orders[0]!.id);
    await payAndCount(leader, started.body, groupId, 1);
    const slow = await registerUser(app);
    const held = await groupCheckout(slow, deal.dealId, groupId);
    expect(held.status).toBe(201);
    const next = await registerUser(app);
    expect((await groupCheckout(next, deal.dealId, groupId)).status).toBe(409);

    clock.advance(20 * MINUTE);
    await app.core.checkout.expireDue();
    // The seat is given back by the cancelled order's effects, which run after the transition.
    await waitFor(async () => (await groupOf(groupId)).seatsLeft === 1, 20_000);
    const taken = await groupCheckout(next, deal.dealId, groupId);
    expect(taken.status).toBe(201);
    expect((await groupOf(groupId)).members.map((m) => m.seat)).toEqual([1, 2]);
  }, 120_000);

  it('expiry refunds every paid member once (the job run twice) and cancels the unpaid; progress is pushed to the group room', async () => {
    const deal = await createDeal({ groupSize: 4, minutes: 30 });
    const buyers = await Promise.all(Array.from({ length: 3 }, () => registerUser(app)));
    const started = await groupCheckout(buyers[0]!, deal.dealId);
    const groupId = await groupIdOf(buyers[0]!, started.body.orders[0]!.id);

    const socket = connect(`${app.url}${NAMESPACES.shop}`, { transports: ['websocket'] });
    const heard: GroupProgressMessage[] = [];
    socket.on('group.progress', (m: GroupProgressMessage) => heard.push(m));
    await new Promise<void>((resolve, reject) =>
      socket.emit('group:watch', groupId, (r: { ok: boolean; error?: string }) =>
        r.ok ? resolve() : reject(new Error(r.error)),
      ),
    );

    await payAndCount(buyers[0]!, started.body, groupId, 1);
    const second = await groupCheckout(buyers[1]!, deal.dealId, groupId);
    await payAndCount(buyers[1]!, second.body, groupId, 2);
    const unpaid = await groupCheckout(buyers[2]!, deal.dealId, groupId);
    expect(unpaid.status).toBe(201);
    await waitFor(async () => heard.some((m) => m.paid === 2 && m.held === 1 && m.seatsLeft === 1), 20_000);

    clock.advance(31 * MINUTE);
    const sweep = app.core.jobHandlers[GROUP_BUYING_SWEEP_JOB]!;
    const ctx = { attempt: 1, maxAttempts: 3, signal: new AbortController().signal } as never;
    await Promise.all([sweep({}, ctx), sweep({}, ctx)]);
    await sweep({}, ctx);

    const group = await groupOf(groupId);
    expect(group.status).toBe('expired');
    for (const [buyer, placed] of [
      [buyers[0]!, started],
      [buyers[1]!, second],
    ] as const) {
      const order = (await buyer.get(`/api/orders/${placed.body.orders[0]!.id}`)).body;
      expect(order.status).toBe('refunded');
      expect(order.refunded).toBe(order.totals.total);
      expect(order.timeline.filter((e) => e.event === 'refund')).toHaveLength(1);
      const refunds = await app.database.connection
        .collection('refunds')
        .find({ orderId: order.id } as never)
        .toArray();
      expect(refunds).toHaveLength(1);
    }
    const cancelled = (await buyers[2]!.get(`/api/orders/${unpaid.body.orders[0]!.id}`)).body;
    expect(cancelled.status).toBe('cancelled');
    const level = await app.core.inventory.getLevel({
      sku: deal.sku,
      productId: deal.productId,
      sellerId: seller.user.id,
    });
    expect(level.available).toBe(100);
    await waitFor(async () => heard.some((m) => m.status === 'expired'), 20_000);
    socket.close();
  }, 180_000);
});
