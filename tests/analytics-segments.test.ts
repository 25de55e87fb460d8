import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CohortReport, SegmentReport } from '@market/web/wire';
import { registerUser, staffAccount, uniqueName, type SignedIn } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ApiClient } from './support/client';
import { createTestClock } from './support/clock';
import { ADDRESS, checkout, pay, stockedProduct } from './support/commerce';
import { waitFor } from './support/process';

/**
 * Customer segments, affinities and cohorts (issue 18 item 2), exact: five shoppers buy from two shops over
 * ten months (one order spans both shops, one is partly refunded); the test keeps every paid order and
 * refund itself and works out each customer's R/F/M, segment, categories, price bands and cohort with its
 * own copy of the documented bands and rules; the API's answers must equal them, after the whole stream
 * is applied again, and after a rebuild. Then exports, access, and a coupon aimed at a segment.
 */

const DAY_MS = 86_400_000;
const clock = createTestClock();
const shanghaiDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
const today = () => shanghaiDay(clock.now().getTime());

let app: TestApp;
let sellerA: SignedIn;
let sellerB: SignedIn;
let admin: SignedIn;
let support: SignedIn;
const shoppers: SignedIn[] = [];
const products: Record<string, { sku: string; productId: string; price: number; category: string }> = {};
const categoryNames = new Map<string, string>();

interface Paid {
  orderId: string;
  seller: string;
  buyer: string;
  day: string;
  total: number;
  lines: Array<{ productId: string; qty: number; unitPrice: number; lineTotal: number }>;
}
const paid: Paid[] = [];
const refunds: Array<{ orderId: string; amount: number }> = [];

async function buy(shopper: SignedIn, lines: Array<[string, number]>, couponCode?: string) {
  for (const [name, qty] of lines)
    expect((await shopper.post('/api/cart/lines', { sku: products[name]!.sku, qty })).status).toBe(200);
  const res = await checkout(shopper, couponCode ? { couponCode } : {});
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await pay(shopper, res.body);
  const state = await shopper.get(`/api/checkouts/${res.body.checkoutId}`);
  const orders = [];
  for (const o of state.body.orders) {
    const order = (await shopper.get(`/api/orders/${o.id}`)).body;
    paid.push({
      orderId: order.id,
      seller: order.sellerId,
      buyer: order.buyerId,
      day: today(),
      total: order.totals.total,
      lines: order.lines.map((l) => ({
        productId: l.productId,
        qty: l.qty,
        unitPrice: l.unitPrice,
        lineTotal: l.lineTotal,
      })),
    });
    orders.push(order);
  }
  return orders;
}

// ——— the test's own copy of the documented rules (core/src/analytics/rfm.ts) ———
const rScore = (days: number) => (days <= 30 ? 5 : days <= 90 ? 4 : days <= 180 ? 3 : days <= 365 ? 2 : 1);
const fScore = (n: number) => (n >= 10 ? 5 : n >= 5 ? 4 : n >= 3 ? 3 : n >= 2 ? 2 : 1);
const mScore = (fen: number) =>
  fen >= 300_000 ? 5 : fen >= 100_000 ? 4 : fen >= 30_000 ? 3 : fen >= 10_000 ? 2 : 1;
function segment(r: number, f: number, m: number) {
  if (r >= 4 && f + m >= 8) return 'champions';
  if (r >= 3 && f >= 2 && f + m >= 6) return 'loyal';
  if (r >= 4 && f === 1) return 'new';
  if (r >= 3) return 'potential_loyalists';
  if (f + m >= 8) return 'cant_lose';
  if (r === 2 && f + m >= 5) return 'at_risk';
  if (r === 2) return 'hibernating';
  return 'lost';
}
const SEGMENT_ORDER = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
];
const band = (unit: number) => (unit < 5_000 ? 0 : unit < 20_000 ? 1 : unit < 100_000 ? 2 : 3);
const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
const month = (day: string) => day.slice(0, 7);
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;

/** Each customer's figures in a scope (a seller id, or null for the platform), from the test's records. */
function customersOf(scope: string | null) {
  const byBuyer = new Map<string, { orders: Paid[]; refunded: number }>();
  for (const p of paid) {
    if (scope !== null && p.seller !== scope) continue;
    const c = byBuyer.get(p.buyer) ?? { orders: [], refunded: 0 };
    c.orders.push(p);
    byBuyer.set(p.buyer, c);
  }
  for (const r of refunds) {
    const order = paid.find((p) => p.orderId === r.orderId)!;
    if (scope === null || order.seller === scope) byBuyer.get(order.buyer)!.refunded += r.amount;
  }
  return [...byBuyer].map(([buyer, c]) => {
    const net = c.orders.reduce((s, o) => s + o.total, 0) - c.refunded;
    const days = c.orders.map((o) => o.day).sort();
    const f = fScore(c.orders.length);
    const m = mScore(net);
    const recency = daysBetween(days.at(-1)!, today());
    return {
      buyer,
      net,
      orders: c.orders,
      first: days[0]!,
      last: days.at(-1)!,
      f,
      m,
      recency,
      segment: segment(rScore(recency), f, m),
    };
  });
}

function expectedSegments(scope: string | null) {
  const customers = customersOf(scope);
  const total = customers.length;
  const totalNet = customers.reduce((s, c) => s + c.net, 0);
  return SEGMENT_ORDER.map((name) => {
    const members = customers.filter((c) => c.segment === name);
    const lines = members.flatMap((c) => c.orders.flatMap((o) => o.lines));
    const orders = members.reduce((s, c) => s + c.orders.length, 0);
    const net = members.reduce((s, c) => s + c.net, 0);
    const cats = new Map<string, { units: number; sales: number }>();
    for (const l of lines) {
      const key = Object.values(products).find((p) => p.productId === l.productId)!.category;
      const have = cats.get(key) ?? { units: 0, sales: 0 };
      have.units += l.qty;
      have.sales += l.lineTotal;
      cats.set(key, have);
    }
    const units = lines.reduce((s, l) => s + l.qty, 0);
    const sales = lines.reduce((s, l) => s + l.lineTotal, 0);
    const bands = [0, 0, 0, 0];
    for (const l of lines) bands[band(l.unitPrice)]! += l.qty;
    return {
      segment: name,
      customers: members.length,
      customersPct: pct(members.length, total),
      orders,
      netSales: net,
      salesPct: pct(net, totalNet),
      units,
      averageOrderValue: orders ? Math.round(net / orders) : 0,
      categories: [...cats]
        .sort(([ka, a], [kb, b]) => b.units - a.units || b.sales - a.sales || ka.localeCompare(kb))
        .map(([key, c]) => ({
          key,
          label: categoryNames.get(key)!,
          units: c.units,
          sales: c.sales,
          unitsPct: pct(c.units, units),
          salesPct: pct(c.sales, sales),
        })),
      priceBands: ['under50', '50to200', '200to1000', 'over1000'].map((b, i) => ({
        band: b,
        units: bands[i]!,
        unitsPct: pct(bands[i]!, units),
      })),
    };
  });
}

function expectedCohorts(scope: string | null) {
  const customers = customersOf(scope);
  const current = monthIndex(month(today()));
  return Array.from({ length: 12 }, (_, i) => {
    const index = current - 11 + i;
    const cohort = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    const members = customers.filter((c) => month(c.first) === cohort);
    return {
      cohort,
      size: members.length,
      months: Array.from({ length: 12 }, (_, k) => {
        if (index + k > current) return null;
        const n = members.filter((c) => c.orders.some((o) => monthIndex(month(o.day)) === index + k)).length;
        return { customers: n, pct: pct(n, members.length) };
      }),
    };
  });
}

const SCOPES = () =>
  [
    ['seller A', sellerA, '/api/seller/analytics', sellerA.user.id],
    ['seller B', sellerB, '/api/seller/analytics', sellerB.user.id],
    ['platform', admin, '/api/admin/analytics', null],
  ] as const;

async function snapshot() {
  const out: Record<string, unknown> = {};
  for (const [name, client, prefix] of SCOPES()) {
    out[`${name} segments`] = (await client.get(`${prefix}/segments`)).body;
    out[`${name} cohorts`] = (await client.get(`${prefix}/cohorts`)).body;
  }
  return out;
}

/** The report once every order event has reached the rollups (they follow the bus). */
async function settledReports() {
  for (const [name, client, prefix, scope] of SCOPES()) {
    const want = expectedSegments(scope);
    await waitFor(
      async () => {
        const got = (await client.get(`${prefix}/segments`)).body as SegmentReport;
        return JSON.stringify(got.segments) === JSON.stringify(want);
      },
      60_000,
      `${name} segments`,
    ).catch(() => undefined);
  }
}

beforeAll(async () => {
  clock.freeze();
  // Sessions outlive the ten months the test's clock jumps through.
  app = await startTestApp({ clock: clock.now, products: 1, env: { SESSION_TTL_HOURS: String(24 * 800) } });
  sellerA = await registerUser(app, 'seller');
  sellerB = await registerUser(app, 'seller');
  admin = await staffAccount(app, 'admin');
  support = await staffAccount(app, 'support');
  for (let i = 0; i < 5; i++) shoppers.push(await registerUser(app.url, 'shopper'));
  const categories = (await sellerA.get('/api/categories')).body.items;
  const leaves = categories.filter((c) => !categories.some((d) => d.parentId === c.id));
  expect(leaves.length).toBeGreaterThanOrEqual(2);
  for (const c of leaves) categoryNames.set(c.id, c.name);
  const [cat1, cat2] = [leaves[0]!.id, leaves[1]!.id];
  for (const [name, seller, price, category] of [
    ['A1', sellerA, 3_000, cat1],
    ['A2', sellerA, 25_000, cat2],
    ['B1', sellerB, 8_000, cat1],
  ] as const) {
    products[name] = {
      ...(await stockedProduct(seller, { price, stock: 500, categoryId: category })),
      price,
      category,
    };
  }
  const [s1, s2, s3, s4, s5] = shoppers as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];

  await buy(s1, [['A1', 2]]);
  const [s2a] = await buy(s2, [
    ['A2', 1],
    ['B1', 1],
  ]);
  await buy(s3, [['A1', 1]]);

  clock.advance(35 * DAY_MS);
  await buy(s1, [['A2', 1]]);
  await buy(s4, [['B1', 3]]);
  const refund = await support.request('POST', `/api/orders/${s2a!.id}/refunds`, {
    json: { amount: 5_000, reason: 'one strap was missing' },
    headers: { 'idempotency-key': uniqueName('refund') },
  });
  expect(refund.status, JSON.stringify(refund.body)).toBe(200);
  refunds.push({ orderId: s2a!.id, amount: 5_000 });

  clock.advance(35 * DAY_MS);
  await buy(s1, [
    ['A1', 1],
    ['B1', 1],
  ]);
  await buy(s2, [['B1', 1]]);

  clock.advance(250 * DAY_MS);
  await buy(s5, [['A2', 5]]);
  await buy(s1, [['A2', 3]]);
  await settledReports();
}, 400_000);

afterAll(() => app?.close());

describe('customer segments', () => {
  it('match the test’s own RFM, affinities and shares for each shop and the platform', async () => {
    const seen = new Set<string>();
    for (const [name, client, prefix, scope] of SCOPES()) {
      const report = (await client.get(`${prefix}/segments`)).body as SegmentReport;
      expect(report.today).toBe(today());
      expect(report.scope).toBe(scope ?? 'platform');
      const want = expectedSegments(scope);
      expect(report.segments, name).toEqual(want);
      expect(report.customers).toBe(customersOf(scope).length);
      for (const s of report.segments) if (s.customers) seen.add(s.segment);
    }
    // The history reaches several segments, so the comparison is not of empty tables.
    expect([...seen].sort()).toEqual(['champions', 'hibernating', 'loyal', 'new', 'at_risk'].sort());
  });

  it('give the cohort grid of first-purchase months, for each shop and the platform', async () => {
    for (const [name, client, prefix, scope] of SCOPES()) {
      const report = (await client.get(`${prefix}/cohorts`)).body as CohortReport;
      expect(report.cohorts, name).toEqual(expectedCohorts(scope));
    }
    const platform = (await admin.get('/api/admin/analytics/cohorts')).body as CohortReport;
    expect(platform.cohorts.reduce((s, c) => s + c.size, 0)).toBe(5);
  });

  it('count every event once when applied again, and rebuild to the same figures', async () => {
    const before = await snapshot();
    for (const orderId of new Set(paid.map((p) => p.orderId))) {
      const order = await app.core.orders.get(orderId);
      for (const entry of order.timeline) await app.core.analytics.applyOrderEvent(orderId, entry.version);
    }
    // Every note is through the customer runner before the figures are compared again.
    await app.core.analytics.drainOrders();
    expect(await app.database.connection.collection('analytics_order_inbox').countDocuments()).toBe(0);
    expect(await snapshot()).toEqual(before);
    const status = (await admin.get('/api/admin/analytics/status')).body;
    expect((await admin.post('/api/admin/analytics/rebuild')).status).toBe(202);
    await waitFor(
      async () => {
        const now = (await admin.get('/api/admin/analytics/status')).body;
        return now.active === status.active + 1 && now.building === null;
      },
      180_000,
      'rebuild',
    );
    expect(await snapshot()).toEqual(before);
  }, 300_000);

  it('export a segment as CSV with masked contacts, and only to its shop or admins', async () => {
    const s1 = shoppers[0]!;
    const csv = await sellerA.get('/api/seller/analytics/segments/loyal/export');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = String(csv.body).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'customerId,name,email,phone,segment,recencyDays,r,f,m,orders,netSales,firstOrder,lastOrder',
    );
    const a1 = customersOf(sellerA.user.id).find((c) => c.buyer === s1.user.id)!;
    expect(lines.slice(1)).toHaveLength(1);
    const cells = lines[1]!.split(',');
    expect(cells[0]).toBe(s1.user.id);
    expect(cells[1]).not.toBe('');
    expect(cells[2]).toBe(`${s1.email[0]}***@example.com`);
    expect(String(csv.body)).not.toContain(s1.email);
    expect(cells.slice(4)).toEqual([
      'loyal',
      String(a1.recency),
      '5',
      String(a1.f),
      String(a1.m),
      String(a1.orders.length),
      String(a1.net),
      a1.first,
      a1.last,
    ]);
    // Seller B's hibernating customers are B's only; the platform's champions include s1.
    const hibernating = await sellerB.get('/api/seller/analytics/segments/hibernating/export');
    const bRows = String(hibernating.body)
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(bRows.sort()).toEqual(
      customersOf(sellerB.user.id)
        .filter((c) => c.segment === 'hibernating')
        .map((c) => c.buyer)
        .sort(),
    );
    const champions = await admin.get('/api/admin/analytics/segments/champions/export');
    expect(String(champions.body)).toContain(s1.user.id);

    expect((await s1.get('/api/seller/analytics/segments')).status).toBe(403);
    expect((await s1.get('/api/seller/analytics/segments/loyal/export')).status).toBe(403);
    expect((await sellerA.get('/api/admin/analytics/segments')).status).toBe(403);
    expect((await sellerA.get('/api/admin/analytics/segments/champions/export')).status).toBe(403);
    expect((await new ApiClient(app.url).get('/api/seller/analytics/cohorts')).status).toBe(401);
    const bad = await sellerA.get('/api/seller/analytics/segments/whales/export');
    expect(bad.status).toBe(422);
    expect(bad.error.fields?.[0]?.field).toBe('params.segment');
  });

  it('let only the audience use a segment coupon, at quote, redeem and checkout, and audit the change', async () => {
    const [s1, , , s4, s5] = shoppers as [SignedIn, SignedIn, SignedIn, SignedIn, SignedIn];
    const code = uniqueName('NEWA')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    const created = await sellerA.post('/api/coupons', {
      code,
      kind: 'fixed',
      value: 1_000,
      audience: { segment: 'new' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.audience).toEqual({ segment: 'new' });

    // s1 is loyal in shop A: refused at the quote, naming the field.
    expect((await s1.post('/api/cart/lines', { sku: products.A1!.sku, qty: 1 })).status).toBe(200);
    const refused = await checkout(s1, { couponCode: code });
    expect(refused.status).toBe(422);
    expect(refused.error.fields?.map((f) => f.field)).toEqual(['body.couponCode']);
    expect(refused.error.message).toContain('segment');
    // And at redeem, should anything call it without a quote.
    expect(
      await app.core.promotions.redeem(created.body.id, { userId: s1.user.id, redemptionId: 'r1' }),
    ).toEqual({
      ok: false,
      reason: 'audience',
    });

    // s5 is new in shop A: the coupon goes through checkout and payment.
    const [order] = await buy(s5, [['A1', 1]], code);
    expect(order!.coupon?.code).toBe(code);
    expect(order!.totals.discount).toBe(1_000);

    // Aimed at the loyal instead: s1 may now; the change is in the audit log (a second later, so the log's
    // newest-first order is the order of the changes).
    clock.advance(1_000);
    const changed = await sellerA.request('PUT', `/api/coupons/${created.body.id}/audience`, {
      json: { audience: { segment: 'loyal' } },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    const ok = await s1.post('/api/checkout/quote', {
      delivery: { method: 'courier', address: ADDRESS },
      couponCode: code,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const audit = await admin.get(`/api/admin/audit?targetId=${created.body.id}`);
    expect(audit.body.items.map((e: { action: string; after: unknown }) => [e.action, e.after])).toEqual([
      ['coupon.audience_changed', { audience: { segment: 'loyal' } }],
      ['coupon.audience_changed', { audience: { segment: 'new' } }],
    ]);
    const bad = await sellerA.request('PUT', `/api/coupons/${created.body.id}/audience`, {
      json: { audience: { segment: 'whales' } },
    });
    expect(bad.status).toBe(422);

    // A platform coupon for the platform's champions: s1 is one, s4 is not.
    const platformCode = uniqueName('CHAMP')
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '');
    expect(
      (
        await admin.post('/api/coupons', {
          code: platformCode,
          kind: 'percent',
          value: 5,
          audience: { segment: 'champions' },
        })
      ).status,
    ).toBe(201);
    expect((await s4.post('/api/cart/lines', { sku: products.B1!.sku, qty: 1 })).status).toBe(200);
    const s4Quote = await checkout(s4, { couponCode: platformCode });
    expect(s4Quote.status).toBe(422);
    expect(s4Quote.error.fields?.[0]?.field).toBe('body.couponCode');
    const s1Quote = await checkout(s1, { couponCode: platformCode });
    expect(s1Quote.status, JSON.stringify(s1Quote.body)).toBe(201);
  });
});
