import type { Order, TimelineEntry } from '../orders';
import { orderMoney, refundParts } from '../settlement/money';
import { localSlot } from './time';
import { PLATFORM, type Contribution, type Row, type RowKind, type TotalField } from './types';

/** What the rollups need to know of a product: whose it is, its name and category. */
export interface ProductFacts {
  sellerId: string;
  name: string;
  categoryId: string;
  categoryName: string;
}

/** A city as the rollups group it; orders collected at a pickup point count under the point's city-less label. */
export function cityOf(order: Order): string {
  const city = order.delivery.address?.city?.trim();
  return city || (order.delivery.method === 'pickup' ? '(pickup)' : '(unknown)');
}

function forScopes(sellerId: string, build: (scope: string) => Contribution): Contribution[] {
  return [build(sellerId), build(PLATFORM)];
}

/**
 * What one entry of an order's stream adds, for the order's shop and for the platform. `timeline` is the
 * order's stream oldest first. Sales count when an order is paid, refunds when money goes back.
 */
export function orderContributions(
  order: Order,
  entry: TimelineEntry,
  timeline: TimelineEntry[],
  timeZone: string,
  facts: Map<string, ProductFacts | null>,
): Contribution[] {
  const { day, hour } = localSlot(new Date(entry.at), timeZone);
  const before = timeline.filter((e) => e.version < entry.version);
  const refundedBefore = before.reduce((sum, e) => sum + (e.event === 'refund' ? (e.amount ?? 0) : 0), 0);
  const base = (scope: string): Contribution => ({ scope, day, totals: {}, rows: {} });

  if (entry.event === 'created') {
    return forScopes(order.sellerId, (scope) => ({ ...base(scope), totals: { placed: 1 } }));
  }
  if (entry.event === 'refund') {
    // Money goes back only as refund entries (a cancel or full refund records the rest as one). A payment
    // that arrived after its order had expired is refunded at once: never a sale, so not a refund either.
    if (!before.some((e) => e.event === 'status' && e.status === 'paid')) return [];
    const amount = entry.amount ?? 0;
    const { commissionReversed } = refundParts(orderMoney(order), refundedBefore, amount);
    return forScopes(order.sellerId, (scope) => ({
      ...base(scope),
      totals: { refunds: amount, refundedOrders: refundedBefore === 0 ? 1 : 0, commissionReversed },
    }));
  }
  if (entry.status === 'completed') {
    return forScopes(order.sellerId, (scope) => ({ ...base(scope), totals: { completed: 1 } }));
  }
  if (entry.status !== 'paid') return [];

  const t = order.totals;
  const totals: Partial<Record<TotalField, number>> = {
    orders: 1,
    units: order.lines.reduce((sum, l) => sum + l.qty, 0),
    gross: t.items,
    discounts: t.discount + t.points,
    shipping: t.shipping,
    paid: t.total,
    commission: orderMoney(order).commission,
  };
  // `totals.discount` also holds the automatic promotions' amounts (orders before them have none).
  const couponDiscount = t.discount - (order.promotions ?? []).reduce((sum, p) => sum + p.amount, 0);
  if (order.coupon) Object.assign(totals, { couponOrders: 1, couponDiscount, couponPaid: t.total });

  const products = new Map<string, Row>();
  const categories = new Map<string, Row>();
  for (const line of order.lines) {
    const p = products.get(line.productId) ?? { k: line.productId, label: line.name, n: [0, 0, 1, 0, 0] };
    p.n[0]! += line.lineTotal;
    p.n[1]! += line.qty;
    products.set(line.productId, p);
    const fact = facts.get(line.productId);
    const catKey = fact?.categoryId ?? '(unknown)';
    const c = categories.get(catKey) ?? { k: catKey, label: fact?.categoryName ?? '(unknown)', n: [0, 1] };
    c.n[0]! += line.lineTotal;
    categories.set(catKey, c);
  }
  const city = cityOf(order);
  const rows: Partial<Record<RowKind, Row[]>> = {
    products: [...products.values()],
    categories: [...categories.values()],
    cities: [{ k: city, label: city, n: [t.total, 1] }],
  };
  if (order.coupon) {
    rows.coupons = [{ k: order.coupon.couponId, label: order.coupon.code, n: [1, couponDiscount, t.total] }];
  }
  return forScopes(order.sellerId, (scope) => ({
    scope,
    day,
    totals,
    hour: { hour, orders: 1, paid: t.total },
    rows:
      scope === PLATFORM
        ? { ...structuredClone(rows), shops: [{ k: order.sellerId, label: order.shopName, n: [t.total, 1] }] }
        : structuredClone(rows),
    buyer: { id: order.buyerId, orderId: order.id },
  }));
}

/** An interaction as the recommender's event store keeps it (`recommender/src/service/types.ts`). */
export interface InteractionEvent {
  /** Actor: an account or an anonymous visitor. */
  a: string;
  t: string;
  /** Epoch ms. */
  at: number;
  i?: string;
  q?: string;
  /** Results a search found (absent on events recorded before the count was kept). */
  n?: number;
}

type Acc = Map<string, Contribution & { visitorSet: Set<string>; rowMaps: Map<RowKind, Map<string, Row>> }>;

function accFor(acc: Acc, scope: string, day: string) {
  const key = `${scope}|${day}`;
  let c = acc.get(key);
  if (!c) {
    c = { scope, day, totals: {}, rows: {}, visitorSet: new Set(), rowMaps: new Map() };
    acc.set(key, c);
  }
  return c;
}

function addRow(c: ReturnType<typeof accFor>, kind: RowKind, key: string, label: string, n: number[]) {
  let rows = c.rowMaps.get(kind);
  if (!rows) c.rowMaps.set(kind, (rows = new Map()));
  const row = rows.get(key);
  if (!row) rows.set(key, { k: key, label, n: [...n] });
  else n.forEach((v, i) => (row.n[i]! += v));
}

function addTotal(c: Contribution, field: TotalField, n = 1) {
  c.totals[field] = (c.totals[field] ?? 0) + n;
}

const FIELD_OF: Record<string, TotalField | undefined> = {
  view: 'views',
  add_to_cart: 'cartAdds',
  click: 'clicks',
  search: 'searches',
};

/**
 * What a page of interaction events adds, grouped by scope and day: counts, per-product views and cart
 * adds, searches (with their no-result count) and distinct visitors. Purchases are left to the orders,
 * and `link`/`reset` controls count nothing.
 */
export function interactionContributions(
  events: InteractionEvent[],
  timeZone: string,
  facts: Map<string, ProductFacts | null>,
): Contribution[] {
  const acc: Acc = new Map();
  for (const e of events) {
    const field = FIELD_OF[e.t];
    if (!field) continue;
    const { day } = localSlot(new Date(e.at), timeZone);
    const fact = e.i ? facts.get(e.i) : undefined;
    const scopes = fact ? [PLATFORM, fact.sellerId] : [PLATFORM];
    for (const scope of scopes) {
      const c = accFor(acc, scope, day);
      addTotal(c, field);
      c.visitorSet.add(e.a);
      if (e.i && fact && (e.t === 'view' || e.t === 'add_to_cart')) {
        addRow(c, 'products', e.i, fact.name, e.t === 'view' ? [0, 0, 0, 1, 0] : [0, 0, 0, 0, 1]);
      }
      const q = e.q?.trim().toLowerCase();
      if (q && e.t === 'click') addRow(c, 'searches', q, q, [0, 0, 1]);
      if (q && e.t === 'search' && scope === PLATFORM) addRow(c, 'searches', q, q, [1, e.n === 0 ? 1 : 0, 0]);
    }
  }
  return [...acc.values()].map(({ visitorSet, rowMaps, ...c }) => ({
    ...c,
    visitors: [...visitorSet],
    rows: Object.fromEntries([...rowMaps].map(([kind, rows]) => [kind, [...rows.values()]])),
  }));
}
