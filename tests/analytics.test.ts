import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsOverview, AnalyticsTable } from '@market/web/wire';
import { createEventStore, type StoredEvent } from '@market/recommender/service';
import { createLogger } from '@market/core';
import { registerUser, staffAccount, uniqueName, type SignedIn } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { checkout, leafCategory, pay, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Exactness of the analytics rollups: a known history (orders on three days, a coupon, partial and full
 * refunds, a cancelled paid order, an unpaid checkout, views, cart adds and searches) is played through
 * the real API; every dashboard figure is checked against sums the test keeps itself (orders) or counts
 * from the raw interaction pages; then the whole stream is applied again, and rebuilt from scratch.
 */

const DAY_MS = 86_400_000;
const clock = createTestClock();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const today = () => shanghaiDay(clock.now().getTime());

let app: TestApp;
let sellerA: SignedIn;
let sellerB: SignedIn;
let shopper1: SignedIn;
let shopper2: SignedIn;
let support: SignedIn;
let admin: SignedIn;
const product = { A: { sku: '', productId: '' }, B: { sku: '', productId: '' } };

/** What the test did, as it expects the dashboards to count it. */
interface PaidFact {
  day: string;
  seller: string;
  buyer: string;
  orderId: string;
  total: number;
  items: number;
  discount: number;
  points: number;
  shipping: number;
  units: number;
  coupon: boolean;
  /** Σ the order's commission lines, as its seller sees them. */
  commission: number;
  lines: Array<{ productId: string; lineTotal: number; qty: number }>;
}
const placed: Array<{ day: string; seller: string }> = [];
const paid: PaidFact[] = [];
const refunds: Array<{ day: string; seller: string; orderId: string; amount: number }> = [];

async function buy(
  shopper: SignedIn,
  lines: Array<{ sku: string; qty: number }>,
  opts: { couponCode?: string; pay?: boolean } = {},
) {
  for (const line of lines) expect((await shopper.post('/api/cart/lines', line)).status).toBe(200);
  const res = await checkout(shopper, opts.couponCode ? { couponCode: opts.couponCode } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const result = res.body as {
    checkoutId: string;
    orderIds?: string[];
    orders?: Array<{ id: string }>;
    payment: { redirectUrl: string };
  };
  const state = await shopper.get(`/api/checkouts/${result.checkoutId}`);
  for (const o of state.body.orders) {
    const order = (await shopper.get(`/api/orders/${o.id}`)).body;
    placed.push({ day: today(), seller: order.sellerId });
  }
  if (opts.pay === false) return [];
  await pay(shopper, result);
  const orders = [];
  for (const o of state.body.orders) {
    const order = (await shopper.get(`/api/orders/${o.id}`)).body;
    const seller = order.sellerId === sellerA.user.id ? sellerA : sellerB;
    const lines = (await seller.get(`/api/orders/${o.id}`)).body.commission;
    expect(lines.length, 'the test category has a commission rule').toBe(order.lines.length);
    paid.push({
      day: today(),
      seller: order.sellerId,
      buyer: order.buyerId,
      orderId: order.id,
      total: order.totals.total,
      items: order.totals.items,
      discount: order.totals.discount,
      points: order.totals.points,
      shipping: order.totals.shipping,
      units: order.lines.reduce((s, l) => s + l.qty, 0),
      coupon: order.coupon !== null,
      commission: lines.reduce((sum, line) => sum + line.amount, 0),
      lines: order.lines.map((l) => ({ productId: l.productId, lineTotal: l.lineTotal, qty: l.qty })),
    });
    orders.push(order);
  }
  return orders;
}

/**
 * The commission a refund gives back, computed here from the order's figures: refunds return the same
 * fraction of the commission as of the paid total, on cumulative amounts (whole fen; the test's refunded
 * orders have no platform-funded discount, so the paid total is the seller's earning plus commission).
 */
function commissionReversed(refund: (typeof refunds)[number]): number {
  const order = paid.find((p) => p.orderId === refund.orderId)!;
  const before = refunds
    .slice(0, refunds.indexOf(refund))
    .filter((r) => r.orderId === refund.orderId)
    .reduce((sum, r) => sum + r.amount, 0);
  const upTo = (refunded: number) => Math.round((refunded * order.commission) / order.total);
  return upTo(before + refund.amount) - upTo(before);
}

/** The figures the test expects for a scope (a seller id, or null for the platform) over some days. */
function expectedOrders(scope: string | null, days: string[]) {
  const inScope = <T extends { seller: string; day: string }>(xs: T[]) =>
    xs.filter((x) => (scope === null || x.seller === scope) && days.includes(x.day));
  const p = inScope(paid);
  const r = inScope(refunds);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // Distinct buyers per day; new when the day is the buyer's first paid day in the scope.
  let buyers = 0;
  let newBuyers = 0;
  for (const day of days) {
    const ofDay = new Set(p.filter((x) => x.day === day).map((x) => x.buyer));
    for (const buyer of ofDay) {
      buyers++;
      const first = paid
        .filter((x) => (scope === null || x.seller === scope) && x.buyer === buyer)
        .map((x) => x.day)
        .sort()[0];
      if (first === day) newBuyers++;
    }
  }
  const refundedOrderIds = new Set<string>();
  let refundedOrders = 0;
  for (const x of refunds) {
    if (refundedOrderIds.has(x.orderId)) continue;
    refundedOrderIds.add(x.orderId);
    if (r.includes(x)) refundedOrders++;
  }
  return {
    placed: inScope(placed).length,
    orders: p.length,
    paid: sum(p.map((x) => x.total)),
    grossSales: sum(p.map((x) => x.items)),
    gmv: sum(p.map((x) => x.items)),
    commission: sum(p.map((x) => x.commission)) - sum(r.map(commissionReversed)),
    discounts: sum(p.map((x) => x.discount + x.points)),
    shipping: sum(p.map((x) => x.shipping)),
    units: sum(p.map((x) => x.units)),
    refunds: sum(r.map((x) => x.amount)),
    refundedOrders,
    netSales: sum(p.map((x) => x.total)) - sum(r.map((x) => x.amount)),
    couponOrders: p.filter((x) => x.coupon).length,
    couponDiscount: sum(p.filter((x) => x.coupon).map((x) => x.discount)),
    buyers,
    newBuyers,
    returningBuyers: buyers - newBuyers,
  };
}

/** Interaction counts straight from the stored pages (what the recommender kept, after its dedupe). */
async function expectedInteractions(scope: string | null, days: string[]) {
  const store = createEventStore({
    connection: app.database.connection,
    log: createLogger('silent', 'test'),
  });
  const seller = new Map([
    [product.A.productId, sellerA.user.id],
    [product.B.productId, sellerB.user.id],
  ]);
  const events: StoredEvent[] = [];
  for (const day of await store.eventDays())
    for await (const page of store.scanDay(day)) events.push(...page.events);
  const counted = events.filter(
    (e) =>
      ['view', 'add_to_cart', 'click', 'search'].includes(e.t) &&
      days.includes(shanghaiDay(e.at)) &&
      (scope === null || (e.i !== undefined && seller.get(e.i) === scope)),
  );
  const visitors = new Set(counted.map((e) => `${shanghaiDay(e.at)}|${e.a}`)).size;
  return {
    views: counted.filter((e) => e.t === 'view').length,
    cartAdds: counted.filter((e) => e.t === 'add_to_cart').length,
    searches: counted.filter((e) => e.t === 'search'),
    visitors,
  };
}

function figuresOf(o: AnalyticsOverview) {
  const f = o.figures;
  return {
    placed: f.placed.value,
    orders: f.orders.value,
    paid: f.paid.value,
    grossSales: f.grossSales.value,
    gmv: f.gmv.value,
    commission: f.commission.value,
    discounts: f.discounts.value,
    shipping: f.shipping.value,
    units: f.units.value,
    refunds: f.refunds.value,
    refundedOrders: f.refundedOrders.value,
    netSales: f.netSales.value,
    couponOrders: f.couponOrders.value,
    couponDiscount: f.couponDiscount.value,
    buyers: f.buyers.value,
    newBuyers: f.newBuyers.value,
    returningBuyers: f.returningBuyers.value,
  };
}

let day1 = '';
let day2 = '';
let day3 = '';

const overview = async (
  client: ApiClient,
  prefix: string,
  from: string,
  to: string,
  compare = 'previous',
) => {
  const res = await client.get(`${prefix}/overview?range=custom&from=${from}&to=${to}&compare=${compare}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AnalyticsOverview;
};
const table = async (client: ApiClient, prefix: string, name: string, from: string, to: string) => {
  const res = await client.get(`${prefix}/tables/${name}?range=custom&from=${from}&to=${to}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as AnalyticsTable;
};

/** Every figure of every scope, for each day alone and for the three days together. */
async function snapshot() {
  const out: Record<string, unknown> = {};
  const scopes: Array<[string, ApiClient, string]> = [
    ['A', sellerA, '/api/seller/analytics'],
    ['B', sellerB, '/api/seller/analytics'],
    ['platform', admin, '/api/admin/analytics'],
  ];
  for (const [name, client, prefix] of scopes) {
    for (const [from, to] of [
      [day1, day1],
      [day2, day2],
      [day3, day3],
      [day1, day3],
    ] as const) {
      const o = await overview(client, prefix, from, to);
      out[`${name} ${from}..${to}`] = {
        figures: o.figures,
        daily: o.daily,
        funnel: o.funnel,
        byHour: o.byHour,
      };
    }
    for (const t of ['products', 'categories', 'cities', 'coupons', 'searches', 'no-result-searches']) {
      out[`${name} ${t}`] = (await table(client, prefix, t, day1, day3)).rows;
    }
  }
  return out;
}

beforeAll(async () => {
  clock.freeze();
  app = await startTestApp({ clock: clock.now, products: 1 });
  sellerA = await registerUser(app, 'seller');
  sellerB = await registerUser(app, 'seller');
  shopper1 = await registerUser(app.url, 'shopper');
  shopper2 = await registerUser(app.url, 'shopper');
  support = await staffAccount(app, 'support');
  admin = await staffAccount(app, 'admin');
  const categoryId = await leafCategory(sellerA);
  const rule = { scope: 'category', targetId: categoryId, kind: 'percent', rateBp: 550 };
  expect((await admin.post('/api/admin/commission-rules', rule)).status).toBe(201);
  product.A = await stockedProduct(sellerA, { price: 12_345, stock: 100, categoryId });
  product.B = await stockedProduct(sellerB, { price: 5_050, stock: 100, categoryId });

  // Day 1: two paid checkouts (one spans both shops), one left unpaid; views and searches.
  day1 = today();
  const anonymous = new ApiClient(app.url);
  for (const client of [shopper1, shopper2, anonymous]) {
    expect((await client.get(`/api/products/${product.A.productId}?view=1`)).status).toBe(200);
  }
  expect((await shopper1.get(`/api/products/${product.B.productId}?view=1`)).status).toBe(200);
  expect((await shopper1.get(`/api/search?q=${encodeURIComponent('Test item')}`)).status).toBe(200);
  expect((await shopper2.get('/api/search?q=qqqxyznothingmatches')).status).toBe(200);
  const [o1] = await buy(shopper1, [{ sku: product.A.sku, qty: 2 }]);
  await buy(shopper2, [
    { sku: product.A.sku, qty: 1 },
    { sku: product.B.sku, qty: 3 },
  ]);
  await buy(shopper2, [{ sku: product.B.sku, qty: 1 }], { pay: false });

  // Day 2: a returning buyer with the seller's coupon; a partial refund of a day-1 order.
  clock.advance(DAY_MS);
  day2 = today();
  const code = uniqueName('AN')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
  expect((await sellerA.post('/api/coupons', { code, kind: 'fixed', value: 1_000 })).status).toBe(201);
  await buy(shopper1, [{ sku: product.A.sku, qty: 1 }], { couponCode: code });
  expect(paid.at(-1)!.coupon).toBe(true);
  const partial = await support.request('POST', `/api/orders/${o1!.id}/refunds`, {
    json: { amount: 3_000, reason: 'one item arrived scratched' },
    headers: { 'idempotency-key': uniqueName('refund') },
  });
  expect(partial.status, JSON.stringify(partial.body)).toBe(200);
  refunds.push({ day: day2, seller: sellerA.user.id, orderId: o1!.id, amount: 3_000 });

  // Day 3: the seller cancels a paid order (refunded in full), support refunds the rest of the first
  // order, and a day-1 buyer comes back to shop B.
  clock.advance(DAY_MS);
  day3 = today();
  const o2a = paid.find(
    (p) => p.day === day1 && p.seller === sellerA.user.id && p.buyer === shopper2.user.id,
  )!;
  const cancel = await sellerA.post(`/api/orders/${o2a.orderId}/cancel`, {
    reason: 'out of stock after all',
  });
  expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
  refunds.push({ day: day3, seller: sellerA.user.id, orderId: o2a.orderId, amount: o2a.total });
  const rest = await support.request('POST', `/api/orders/${o1!.id}/refunds`, {
    json: { reason: 'the buyer sent it all back' },
    headers: { 'idempotency-key': uniqueName('refund') },
  });
  expect(rest.status, JSON.stringify(rest.body)).toBe(200);
  refunds.push({ day: day3, seller: sellerA.user.id, orderId: o1!.id, amount: o1!.totals.total - 3_000 });
  await buy(shopper2, [{ sku: product.B.sku, qty: 2 }]);
  await app.recs.settled();
}, 240_000);

afterAll(() => app?.close());

describe('analytics rollups', () => {
  const scopes = () =>
    [
      ['seller A', sellerA, '/api/seller/analytics', sellerA.user.id],
      ['seller B', sellerB, '/api/seller/analytics', sellerB.user.id],
      ['platform', admin, '/api/admin/analytics', null],
    ] as const;

  it('match the orders to the fen, for each shop and the platform, each day and the whole range', async () => {
    for (const [name, client, prefix, scope] of scopes()) {
      for (const days of [[day1], [day2], [day3], [day1, day2, day3]]) {
        const want = expectedOrders(scope, days);
        // Order events reach the rollups through the bus: wait until the last of them has.
        const got = await waitFor(
          async () => {
            const o = await overview(client, prefix, days[0]!, days.at(-1)!);
            return JSON.stringify(figuresOf(o)) === JSON.stringify(want) ? o : null;
          },
          30_000,
          `${name} ${days.join(',')}`,
        ).catch(async () => overview(client, prefix, days[0]!, days.at(-1)!));
        expect(figuresOf(got), `${name} ${days.join(',')}`).toEqual(want);
        const { orders, paid: paidSum, refunds: refundSum } = want;
        expect(got.figures.averageOrderValue.value).toBe(orders ? Math.round(paidSum / orders) : 0);
        expect(got.daily.map((d) => d.netSales).reduce((a, b) => a + b, 0)).toBe(paidSum - refundSum);
      }
    }
  });

  it('count views, cart adds, searches and visitors as the stored interaction pages hold them', async () => {
    for (const [name, client, prefix, scope] of scopes()) {
      const want = await expectedInteractions(scope, [day1, day2, day3]);
      expect(want.views).toBeGreaterThan(0);
      const o = await waitFor(
        async () => {
          const r = await overview(client, prefix, day1, day3);
          return r.figures.views.value === want.views && r.figures.visitors.value === want.visitors
            ? r
            : null;
        },
        30_000,
        `${name} interactions`,
      ).catch(() => overview(client, prefix, day1, day3));
      expect(o.figures.views.value, name).toBe(want.views);
      expect(o.figures.visitors.value, name).toBe(want.visitors);
      expect(
        o.funnel.map((s) => s.count),
        name,
      ).toEqual([
        want.views,
        want.cartAdds,
        expectedOrders(scope, [day1, day2, day3]).placed,
        expectedOrders(scope, [day1, day2, day3]).orders,
      ]);
    }
    const platform = await expectedInteractions(null, [day1, day2, day3]);
    const noResults = await table(admin, '/api/admin/analytics', 'no-result-searches', day1, day3);
    expect(noResults.rows).toEqual([['qqqxyznothingmatches', 'qqqxyznothingmatches', 1, 1]]);
    const top = await table(admin, '/api/admin/analytics', 'searches', day1, day3);
    expect(top.rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(platform.searches.length);
  });

  it('rank products, coupons and cities from the same orders', async () => {
    const products = await table(sellerA, '/api/seller/analytics', 'products', day1, day3);
    const lines = paid.filter((p) => p.seller === sellerA.user.id).flatMap((p) => p.lines);
    expect(products.columns).toEqual(['key', 'label', 'revenue', 'units', 'orders', 'views', 'cartAdds']);
    expect(products.rows[0]!.slice(0, 5)).toEqual([
      product.A.productId,
      expect.any(String),
      lines.reduce((s, l) => s + l.lineTotal, 0),
      lines.reduce((s, l) => s + l.qty, 0),
      lines.length,
    ]);
    const coupons = await table(sellerA, '/api/seller/analytics', 'coupons', day1, day3);
    const withCoupon = paid.filter((p) => p.coupon);
    expect(coupons.rows).toEqual([
      [expect.any(String), expect.any(String), 1, withCoupon[0]!.discount, withCoupon[0]!.total],
    ]);
    const cities = await table(admin, '/api/admin/analytics', 'cities', day1, day3);
    expect(cities.rows).toEqual([
      ['Shanghai', 'Shanghai', paid.reduce((s, p) => s + p.total, 0), paid.length],
    ]);
    const shops = await table(admin, '/api/admin/analytics', 'shops', day1, day3);
    expect(Object.fromEntries(shops.rows.map((r) => [r[0], r[2]]))).toEqual({
      [sellerA.user.id]: expectedOrders(sellerA.user.id, [day1, day2, day3]).paid,
      [sellerB.user.id]: expectedOrders(sellerB.user.id, [day1, day2, day3]).paid,
    });
    const csv = await sellerA.get(
      `/api/seller/analytics/tables/products/csv?range=custom&from=${day1}&to=${day3}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(String(csv.body).split(/\r?\n/)[0]).toBe('key,label,revenue,units,orders,views,cartAdds');
  });

  it('compare with the previous period and the same days a year before', async () => {
    const o = await overview(sellerA, '/api/seller/analytics', day2, day3);
    expect(o.previousRange).toEqual({ from: shanghaiDay(Date.parse(day2) - 2 * DAY_MS), to: day1 });
    const previous = expectedOrders(sellerA.user.id, [day1]);
    const current = expectedOrders(sellerA.user.id, [day2, day3]);
    expect(o.figures.orders).toEqual({
      value: current.orders,
      previous: previous.orders,
      changePct: Math.round(((current.orders - previous.orders) / previous.orders) * 1000) / 10,
    });
    const lastYear = await overview(sellerA, '/api/seller/analytics', day2, day3, 'year');
    expect(lastYear.previousRange.from.slice(0, 4)).toBe(String(Number(day2.slice(0, 4)) - 1));
    expect(lastYear.figures.orders.previous).toBe(0);
    expect(lastYear.figures.orders.changePct).toBeNull();
  });

  it('show a seller only their own shop, and the platform only to admins', async () => {
    const b = await overview(sellerB, '/api/seller/analytics', day1, day3);
    expect(b.scope).toBe(sellerB.user.id);
    expect(b.figures.orders.value).toBe(expectedOrders(sellerB.user.id, [day1, day2, day3]).orders);
    expect((await sellerA.get('/api/admin/analytics/overview')).status).toBe(403);
    expect((await shopper1.get('/api/seller/analytics/overview')).status).toBe(403);
    expect((await new ApiClient(app.url).get('/api/seller/analytics/overview')).status).toBe(401);
    expect((await sellerA.get('/api/seller/analytics/tables/shops')).status).toBe(422);
    const bad = await sellerA.get('/api/seller/analytics/overview?range=custom&from=2026-02-30');
    expect(bad.status).toBe(422);
    expect(bad.error.fields?.map((f) => f.field).sort()).toEqual(['query.from', 'query.to']);
    const long = await sellerA.get(
      '/api/seller/analytics/overview?range=custom&from=2024-01-01&to=2026-01-01',
    );
    expect(long.status).toBe(422);
    expect(long.error.fields?.[0]?.field).toBe('query.to');
  });

  it('count every event once when the whole stream is applied again, and rebuild to the same figures', async () => {
    const before = await snapshot();
    // The same stream again: every entry of every order's stream, every interaction page.
    const store = createEventStore({
      connection: app.database.connection,
      log: createLogger('silent', 'test'),
    });
    for (const orderId of new Set([...paid.map((p) => p.orderId), ...refunds.map((r) => r.orderId)])) {
      const order = await app.core.orders.get(orderId);
      for (const entry of order.timeline) await app.core.analytics.applyOrderEvent(orderId, entry.version);
    }
    for (const day of await store.eventDays()) {
      for await (const page of store.scanDay(day)) {
        await app.core.analytics.applyInteractionPage({ id: page._id, events: page.events });
      }
    }
    // Every noted order event is through the batch runner before the figures are compared again.
    await app.core.analytics.drainOrders();
    expect(await snapshot()).toEqual(before);

    const rebuild = await admin.post('/api/admin/analytics/rebuild');
    expect(rebuild.status).toBe(202);
    await waitFor(
      async () => {
        const status = await admin.get('/api/admin/analytics/status');
        return status.body.active === 2 && status.body.building === null;
      },
      120_000,
      'rebuild',
    );
    const status = (await admin.get('/api/admin/analytics/status')).body;
    expect(status.progress).toMatchObject({ phase: 'done' });
    expect(await snapshot()).toEqual(before);
  }, 240_000);
});
