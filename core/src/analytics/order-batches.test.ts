import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../tests/support/database';
import { createLogger } from '../logger';
import type { Order } from '../orders';
import { createOrderBatches, customerKey, segmentDayKey, segmentSpanKey } from './order-batches';
import { createRollupWriter, streamKey } from './rollups';
import { addToCustomer, cellMoves, customerContributions } from './customers';
import type { OrderBatchDoc, CustomerDoc } from './model';

/**
 * The order runner on the real store: two runners (as in two app processes) drain one inbox where every
 * order event was noted twice, one of them failing half-way through its first batch; the day rollups, the
 * customers' figures and the segment cells must come out exactly as the orders say, each event once.
 */

const log = createLogger(process.env.LOG_LEVEL ?? 'silent', 'order-batches-test');
const TZ = 'Asia/Shanghai';
const DAY_MS = 86_400_000;
const START = Date.parse('2026-03-01T04:00:00Z');
let db: Awaited<ReturnType<typeof openTestDatabase>>;

function syntheticOrders(): Order[] {
  return Array.from({ length: 90 }, (_, i) => {
    const at = new Date(START + (i % 40) * DAY_MS);
    const total = 1_000 + i * 37;
    const timeline = [
      { version: 1, event: 'created', status: 'pending_payment', at },
      { version: 2, event: 'status', status: 'paid', at: new Date(at.getTime() + 60_000) },
      ...(i % 7 === 0
        ? [{ version: 3, event: 'refund', status: 'paid', amount: 300, at: new Date(at.getTime() + DAY_MS) }]
        : []),
    ];
    return {
      id: `ord_${i}`,
      sellerId: `usr_shop${i % 3}`,
      buyerId: `usr_buyer${(i * 7) % 17}`,
      lines: [
        {
          sku: `S${i % 5}`,
          productId: `prd_${i % 5}`,
          unitPrice: total,
          qty: 1,
          lineTotal: total,
        },
      ],
      totals: { items: total, shipping: 0, discount: 0, points: 0, total },
      delivery: { method: 'courier', address: { city: ['上海', '北京'][i % 2] } },
      coupon: null,
      commission: [],
      timeline,
    } as unknown as Order;
  });
}

/** What each customer's figures must be, worked out here from the orders alone. */
function expected(orders: Order[]) {
  const out = new Map<string, { orders: number; net: number; last: string }>();
  for (const o of orders) {
    const day = new Date(o.timeline[1]!.at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const refunded = o.timeline.reduce((s, e) => s + (e.event === 'refund' ? (e.amount ?? 0) : 0), 0);
    for (const scope of [o.sellerId, 'platform']) {
      const key = customerKey(1, scope, o.buyerId);
      const have = out.get(key) ?? { orders: 0, net: 0, last: '' };
      have.orders += 1;
      have.net += o.totals.total - refunded;
      if (day > have.last) have.last = day;
      out.set(key, have);
    }
  }
  return out;
}

const localDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Each scope's day totals, worked out here from the orders alone: placed, paid, refunds, distinct buyers. */
function expectedDays(orders: Order[]) {
  const out = new Map<
    string,
    { placed: number; orders: number; paid: number; refunds: number; buyers: Set<string> }
  >();
  const at = (scope: string, day: string) => {
    const key = `${scope}|${day}`;
    const have = out.get(key) ?? { placed: 0, orders: 0, paid: 0, refunds: 0, buyers: new Set<string>() };
    out.set(key, have);
    return have;
  };
  for (const o of orders)
    for (const scope of [o.sellerId, 'platform'])
      for (const e of o.timeline) {
        const day = at(scope, localDay(e.at));
        if (e.event === 'created') day.placed += 1;
        else if (e.event === 'refund') day.refunds += e.amount ?? 0;
        else if (e.status === 'paid') {
          day.orders += 1;
          day.paid += o.totals.total;
          day.buyers.add(o.buyerId);
        }
      }
  return out;
}

beforeAll(async () => {
  db = await openTestDatabase('customer_batches');
});
afterAll(async () => {
  await db?.close();
});

describe('order batches', () => {
  it('apply every order event once with two runners, one failing half-way', async () => {
    const orders = syntheticOrders();
    const byId = new Map(orders.map((o) => [o.id, o]));
    const writer = createRollupWriter({ connection: db.connection });
    const runner = (failAfter = Infinity) => {
      let reads = 0;
      return createOrderBatches({
        connection: db.connection,
        writer,
        orders: {
          async get(id) {
            if (++reads > failAfter) throw new Error('store went away');
            return byId.get(id)!;
          },
        },
        factsFor: async () => new Map(),
        liveGenerations: async () => [1],
        timeZone: TZ,
        onDaysChanged: async () => {},
        log,
      });
    };
    const notes = orders.flatMap((o) => o.timeline.map((e) => ({ orderId: o.id, version: e.version })));
    const [a, b, failing] = [runner(), runner(), runner(30)];
    await a.enqueue(notes);
    await expect(failing.drain()).rejects.toThrow('store went away');
    // Noted again (a redelivered event) while two runners drain side by side.
    await Promise.all([a.drainFully(), b.enqueue(notes).then(() => b.drainFully())]);
    await a.drainFully();
    // And once more after everything was applied: found applied, dropped.
    await b.enqueue(notes);
    expect(await db.connection.collection('analytics_order_inbox').countDocuments()).toBe(notes.length);
    await b.drainFully();

    expect(await db.connection.collection('analytics_order_inbox').countDocuments()).toBe(0);
    for (const [key, want] of expectedDays(orders)) {
      const [scope, day] = key.split('|') as [string, string];
      const totals = (await writer.read(streamKey(1, scope, day, 'totals')))?.totals;
      expect(
        {
          placed: totals?.placed,
          orders: totals?.orders,
          paid: totals?.paid,
          refunds: totals?.refunds,
          buyers: totals?.buyers,
        },
        key,
      ).toEqual({ ...want, buyers: want.buyers.size });
    }
    const want = expected(orders);
    const docs = await db.connection.collection<CustomerDoc>('analytics_customers').find({}).toArray();
    expect(docs).toHaveLength(want.size);
    for (const doc of docs) {
      const w = want.get(doc._id)!;
      expect({ orders: doc.orders, net: doc.net, last: doc.last }, doc._id).toEqual(w);
    }

    // The segment cells of each scope add up to its customers, orders and net sales, each on their latest day.
    for (const scope of ['usr_shop0', 'usr_shop1', 'usr_shop2', 'platform']) {
      const mine = [...want].filter(([key]) => key.startsWith(`g1|${scope}|c|`)).map(([, v]) => v);
      const days = [...new Set(mine.map((c) => c.last))];
      let customers = 0;
      let paid = 0;
      let net = 0;
      for (const day of days) {
        const cell = await a.segments.latest(segmentDayKey(1, scope, day));
        for (const row of cell?.sums ?? []) {
          customers += row.n[0]!;
          paid += row.n[1]!;
          net += row.n[2]!;
        }
      }
      expect({ customers, paid, net }, scope).toEqual({
        customers: mine.length,
        paid: mine.reduce((s, c) => s + c.orders, 0),
        net: mine.reduce((s, c) => s + c.net, 0),
      });
    }
  }, 120_000);
});

describe('a runner that died half-way through its batch', () => {
  it('is waited for while its batch is fresh, then replayed once by the next runner', async () => {
    const other = await openTestDatabase('customer_batches_replay');
    try {
      const [order] = syntheticOrders();
      const runner = createOrderBatches({
        connection: other.connection,
        writer: createRollupWriter({ connection: other.connection }),
        orders: { get: async () => order! },
        factsFor: async () => new Map(),
        liveGenerations: async () => [1],
        timeZone: TZ,
        onDaysChanged: async () => {},
        log,
      });
      const paid = order!.timeline.find((e) => e.status === 'paid' && e.event === 'status')!;
      await runner.enqueue([{ orderId: order!.id, version: paid.version }]);

      // What the dead runner wrote as batch 1 (its journal), and the one cell it had appended.
      const timeline = order!.timeline;
      const customers = customerContributions(order!, paid, timeline, TZ, new Map()).map((c) => ({
        _id: customerKey(1, c.scope, c.customer),
        ...addToCustomer(null, c, `g1|${c.scope}`),
      }));
      const cells = customers.flatMap((doc) =>
        [...cellMoves(null, doc)].map(([day, rows]) => ({
          key: segmentDayKey(1, doc.gs.slice(3), day),
          scope: doc.gs.slice(3),
          day,
          ...rows,
        })),
      );
      const batches = other.connection.collection<OrderBatchDoc>('analytics_order_batches');
      await batches.insertOne({
        _id: 1,
        owner: 'dead-runner',
        at: new Date(),
        done: false,
        inbox: [`o:${order!.id}:${paid.version}`],
        applied: [`g1|o:${order!.id}:${paid.version}`],
        customers,
        cells,
        cohorts: [],
        spans: cells.map((c) => ({ key: segmentSpanKey(1, c.scope), day: c.day })),
      });
      const first = cells[0]!;
      await runner.segments.appendOnce(first.key, 'b:1', () => ({
        stream: first.key,
        sums: first.sums,
        cats: first.cats,
      }));

      // Fresh: its writer may still be at work.
      expect(await runner.drain()).toBe('busy');
      await batches.updateOne({ _id: 1 }, { $set: { at: new Date(Date.now() - 3 * 60_000) } });
      expect(await runner.drain()).toBe('empty');

      expect((await batches.findOne({ _id: 1 }))?.done).toBe(true);
      expect(await other.connection.collection('analytics_order_inbox').countDocuments()).toBe(0);
      for (const doc of customers) {
        const stored = await runner.customers.findOne({ _id: doc._id });
        expect({ orders: stored?.orders, net: stored?.net }).toEqual({ orders: 1, net: order!.totals.total });
      }
      // Every cell holds its one customer once, the one appended before the death included.
      for (const cell of cells) {
        const entry = await runner.segments.latest(cell.key);
        expect(
          entry?.sums?.map((r) => r.n[0]),
          cell.key,
        ).toEqual([1]);
      }
    } finally {
      await other.close();
    }
  }, 120_000);
});
