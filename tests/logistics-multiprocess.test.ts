import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRYING, shopPlace } from '@market/core';
import {
  acceptAndWaitForDelivery,
  courierAt,
  deliveryWhen,
  everyoneOffline,
  near,
  paidOrder,
  staff,
} from './logistics-helpers';
import { spawnSecondNode, startTestApp, type TestApp } from './support/app';
import type { ApiClient } from './support/client';
import { sampleUntilStopped, waitFor, type AppProcess } from './support/process';

/**
 * The courier capacity invariant across two app processes sharing one FerretDB: a capacity-1 courier
 * holding several offers accepts them all at once, every click sent to both processes. The capacity slot
 * is a unique `_id` insert, so exactly one delivery is taken whichever process serves which click; an
 * in-process lock or a read-then-write check would pass on one process and fail here.
 */

const SECRET = randomBytes(32).toString('hex');
const LOGISTICS = {
  LOGISTICS_COURIER_CAPACITY: '1',
  // Offers stay open through the test: only the race decides who wins, never the sweep.
  LOGISTICS_OFFER_TIMEOUT_SECONDS: '900',
};
const OFFERS = 6;

let app: TestApp;
let second: AppProcess;
let support: Awaited<ReturnType<typeof staff>>;
let nodes: string[];

beforeAll(async () => {
  app = await startTestApp({ products: 10, env: { SESSION_SECRET: SECRET, ...LOGISTICS } });
  second = await spawnSecondNode(app, {
    SESSION_SECRET: SECRET,
    ...LOGISTICS,
  });
  nodes = [app.url, second.url];
  support = await staff(app, 'support');
});

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await app?.close();
});

/** The same signed-in session (cookies and CSRF token shared) talking to the process at `url`. */
function via<C extends ApiClient>(client: C, url: string): C {
  return Object.assign(Object.create(Object.getPrototypeOf(client) as object) as C, client, { baseUrl: url });
}

/**
 * Polls the open deliveries while a race runs and remembers the most that `courierId` was seen carrying
 * at once (read straight from the shared database, as neither process sees it).
 */
function watchCarried(courierId: string) {
  const open = app.database.connection.collection<{ _id: string; status: string }>('open_deliveries');
  return sampleUntilStopped(
    async () =>
      (await open.find({ courierId }).toArray()).filter((d) => CARRYING.has(d.status as never)).length,
    Math.max,
    0,
    10,
  );
}

/** Clicks accept on every delivery once on each process, all at once. */
async function acceptEverywhere(courier: ApiClient, ids: string[]) {
  const clicks = ids.flatMap((id) => nodes.map((url) => ({ id, url })));
  const results = await Promise.all(
    clicks.map(async ({ id, url }) => ({
      id,
      url,
      res: await via(courier, url).post(`/api/courier/deliveries/${id}/accept`),
    })),
  );
  return results;
}

/** Each delivery's `accepted` events by `courierId`, from the full timeline support sees. */
async function acceptances(ids: string[], courierId: string) {
  const counts = await Promise.all(
    ids.map(async (id) => {
      const res = await support.get(`/api/support/deliveries/${id}`);
      expect(res.status).toBe(200);
      return res.body.timeline.filter((e) => e.event === 'accepted' && e.actorId === courierId).length;
    }),
  );
  return new Map(ids.map((id, i) => [id, counts[i]!]));
}

/** Exactly one delivery won (both of its clicks 200, whichever process); every other click is a 409. */
function expectOneWinner(results: Awaited<ReturnType<typeof acceptEverywhere>>): string {
  const won = results.filter((r) => r.res.status === 200);
  const lost = results.filter((r) => r.res.status !== 200);
  expect(
    won.map((r) => r.id),
    JSON.stringify(results.map((r) => [r.id, r.url === app.url ? 'A' : 'B', r.res.status])),
  ).toHaveLength(2);
  expect(new Set(won.map((r) => r.id)).size).toBe(1);
  for (const r of won) expect(r.res.body).toMatchObject({ status: 'accepted' });
  for (const r of lost) {
    expect(r.res.status, JSON.stringify(r.res.body)).toBe(409);
    expect(r.res.error.message).toMatch(/already carry 1 deliveries/);
  }
  return won[0]!.id;
}

describe('courier capacity across two app processes', () => {
  it('of six offers to a capacity-1 courier, accepts racing over both processes take exactly one', async () => {
    await everyoneOffline(app);
    const orders = await Promise.all(Array.from({ length: OFFERS }, () => paidOrder(app)));
    const courier = await courierAt(app, near(shopPlace(orders[0]!.order.shopName, ''), 200));
    const courierId = courier.user.id as string;

    // Half the orders are accepted on the second process, so each creates (and offers) some deliveries.
    orders.forEach((o, i) => (o.seller.baseUrl = nodes[i % 2]!));
    const deliveries = await Promise.all(orders.map((o) => acceptAndWaitForDelivery(app, o)));
    const ids = deliveries.map((d) => d.id as string);
    for (const id of ids)
      await deliveryWhen(support, id, (d) => d.status === 'assigned' || d.status === 'awaiting_courier');

    // Offers count against capacity only softly: support forces every delivery on the courier, from
    // both processes at once, and each of those succeeds (nobody has accepted anything yet).
    const forced = await Promise.all(
      ids.map((id, i) =>
        via(support, nodes[i % 2]!).post(`/api/support/deliveries/${id}/reassign`, { courierId }),
      ),
    );
    expect(forced.map((r) => r.status)).toEqual(Array(OFFERS).fill(200));
    for (const r of forced) expect(r.body.offer?.courierId).toBe(courierId);
    const offers = await via(courier, second.url).get('/api/courier/deliveries');
    expect(
      offers.body.items
        .filter((d) => d.status === 'assigned')
        .map((d) => d.id)
        .sort(),
    ).toEqual([...ids].sort());

    // Round one: every offer clicked on both processes at once.
    let watch = watchCarried(courierId);
    const first = expectOneWinner(await acceptEverywhere(courier, ids));
    expect(await watch.stop()).toBeLessThanOrEqual(1);
    for (const url of nodes)
      expect((await via(courier, url).get('/api/courier/me')).body).toMatchObject({ capacity: 1, active: 1 });
    const once = await acceptances(ids, courierId);
    expect([...once.values()].reduce((a, b) => a + b, 0)).toBe(1);
    expect(once.get(first)).toBe(1);
    for (const id of ids.filter((x) => x !== first))
      expect((await support.get(`/api/deliveries/${id}`)).body).toMatchObject({
        status: 'assigned',
        offer: { courierId },
      });
    // Fully booked as both processes see it: support cannot force a new offer on them from either.
    for (const url of nodes) {
      const refused = await via(support, url).post(
        `/api/support/deliveries/${ids.find((x) => x !== first)}/reassign`,
        {
          courierId,
        },
      );
      expect(refused.status).toBe(409);
      expect(refused.error.fields[0]).toEqual({ field: 'body.courierId', message: 'fully booked' });
    }

    // Round two: the winner is cancelled on the other process; its slot frees, and the five offers left
    // race for it again. Again exactly one takes it.
    const cancelled = await via(support, second.url).post(`/api/support/deliveries/${first}/cancel`, {
      reason: 'the shop closed early',
    });
    expect(cancelled.status).toBe(200);
    for (const url of nodes) expect((await via(courier, url).get('/api/courier/me')).body.active).toBe(0);
    const rest = ids.filter((x) => x !== first);
    watch = watchCarried(courierId);
    const next = expectOneWinner(await acceptEverywhere(courier, rest));
    expect(await watch.stop()).toBeLessThanOrEqual(1);
    expect(next).not.toBe(first);
    // A late release for the cancelled winner (its effects run again, say) leaves the slot to its new holder.
    expect(await app.core.logistics.couriers.releaseSlot(`${courierId}:1`, first)).toBe(false);
    await app.core.logistics.couriers.releaseDelivery(courierId, first);
    const twice = await acceptances(ids, courierId);
    expect([...twice.values()].reduce((a, b) => a + b, 0)).toBe(2);
    for (const url of nodes)
      expect((await via(courier, url).get('/api/courier/me')).body).toMatchObject({ capacity: 1, active: 1 });

    // The slot belongs to the delivery that won: it goes on (picked up on one process, the order ships)
    // and, delivered on the other, frees the courier for the next offer.
    expect((await via(courier, app.url).post(`/api/courier/deliveries/${next}/picked-up`, {})).status).toBe(
      200,
    );
    const winner = orders[ids.indexOf(next)]!;
    await waitFor(
      async () => (await winner.shopper.get(`/api/orders/${winner.orderId}`)).body.status === 'shipped',
    );
    const code = (await winner.shopper.get(`/api/orders/${winner.orderId}/delivery`)).body!.deliveryCode;
    const done = await via(courier, second.url).post(`/api/courier/deliveries/${next}/deliver`, { code });
    expect(done.status).toBe(200);
    for (const url of nodes) expect((await via(courier, url).get('/api/courier/me')).body.active).toBe(0);
  }, 180_000);
});
