import { addDays, daysBetween, daysOf, yearBefore } from './time';
import { mapPooled } from '../map-pooled';
import { streamKey, type RollupWriter } from './rollups';
import type { DayCache } from './day-cache';
import type { RollupEntry } from './model';
import {
  emptyTotals,
  ROW_METRICS,
  TOTAL_FIELDS,
  type Comparison,
  type DailyPoint,
  type DateRange,
  type DayTotals,
  type FigureChange,
  type FunnelStep,
  type Overview,
  type OverviewFigures,
  type RankedRow,
  type Row,
  type RowKind,
} from './types';

function sumTotals(days: DayTotals[]): DayTotals {
  const sum = emptyTotals();
  for (const d of days) {
    for (const f of TOTAL_FIELDS) sum[f] += d[f] ?? 0;
    d.hourOrders.forEach((n, h) => (sum.hourOrders[h]! += n));
    d.hourPaid.forEach((n, h) => (sum.hourPaid[h]! += n));
  }
  return sum;
}

const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

function change(value: number, previous: number): FigureChange {
  return {
    value,
    previous,
    changePct: previous ? Math.round(((value - previous) / Math.abs(previous)) * 1000) / 10 : null,
  };
}

/** The headline figures of summed days; every ratio is computed from sums, never averaged. */
function headline(t: DayTotals) {
  return {
    netSales: t.paid - t.refunds,
    grossSales: t.gross,
    /** Gross merchandise value: what the paid orders' goods sold for, before any discount. */
    gmv: t.gross,
    /** The platform's fee on the period's sales, less what its refunds gave back. */
    commission: t.commission - t.commissionReversed,
    discounts: t.discounts,
    shipping: t.shipping,
    paid: t.paid,
    orders: t.orders,
    placed: t.placed,
    units: t.units,
    averageOrderValue: t.orders ? Math.round(t.paid / t.orders) : 0,
    refunds: t.refunds,
    refundedOrders: t.refundedOrders,
    refundRatePct: pct(t.refunds, t.paid),
    visitors: t.visitors,
    views: t.views,
    conversionRatePct: pct(t.orders, t.visitors),
    buyers: t.buyers,
    newBuyers: t.newBuyers,
    returningBuyers: t.returningBuyers,
    returningBuyerRatePct: pct(t.returningBuyers, t.buyers),
    couponOrders: t.couponOrders,
    couponDiscount: t.couponDiscount,
  };
}

export function previousRange(range: DateRange, comparison: Comparison): DateRange {
  if (comparison === 'year') return { from: yearBefore(range.from), to: yearBefore(range.to) };
  const length = daysBetween(range.from, range.to) + 1;
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

function point(day: string, t: DayTotals): DailyPoint {
  return {
    day,
    netSales: t.paid - t.refunds,
    paid: t.paid,
    orders: t.orders,
    refunds: t.refunds,
    visitors: t.visitors,
  };
}

/** The read side: dashboards summed from day streams, one `_id` lookup chain per day and kind. */
export function createReports(deps: {
  writer: RollupWriter;
  generation: () => Promise<number>;
  timeZone: string;
  /** The shops' today (`YYYY-MM-DD`): days before yesterday are settled and may be served from `cache`. */
  today: () => string;
  cache: DayCache;
}) {
  /** The first day that may still move (yesterday): days before it are settled. */
  const unsettledFrom = () => addDays(deps.today(), -1);

  /** Every day of `days` of one stream kind, settled ones through the cache. */
  function readDays(generation: number, scope: string, days: string[], kind: 'totals' | RowKind) {
    const from = unsettledFrom();
    return mapPooled(days, (day) => {
      const key = streamKey(generation, scope, day, kind);
      const read = (): Promise<RollupEntry | null> => deps.writer.read(key);
      return day < from ? deps.cache.get(key, scope, day, read) : read();
    });
  }

  async function dayTotals(
    scope: string,
    range: DateRange,
  ): Promise<Array<{ day: string; totals: DayTotals }>> {
    const generation = await deps.generation();
    const days = daysOf(range.from, range.to);
    const entries = await readDays(generation, scope, days, 'totals');
    return days.map((day, i) => ({ day, totals: entries[i]?.totals ?? emptyTotals() }));
  }

  async function rows(scope: string, range: DateRange, kind: RowKind): Promise<RankedRow[]> {
    const generation = await deps.generation();
    const days = daysOf(range.from, range.to);
    const entries = await readDays(generation, scope, days, kind);
    const merged = new Map<string, Row>();
    for (const entry of entries) {
      for (const row of entry?.rows ?? []) {
        const have = merged.get(row.k);
        if (!have) merged.set(row.k, { ...row, n: [...row.n] });
        else row.n.forEach((v, i) => (have.n[i] = (have.n[i] ?? 0) + v));
      }
    }
    const metrics = ROW_METRICS[kind];
    return [...merged.values()].map((r) => ({
      key: r.k,
      label: r.label,
      values: Object.fromEntries(metrics.map((m, i) => [m, r.n[i] ?? 0])),
    }));
  }

  return {
    dayTotals,
    rows,
    /** A late event changed `scope`'s `day`: read it from the store again (today and yesterday always are). */
    forget(scope: string, day: string): void {
      if (day < unsettledFrom()) deps.cache.forget(scope, day);
    },

    async overview(scope: string, range: DateRange, comparison: Comparison): Promise<Overview> {
      const before = previousRange(range, comparison);
      const [current, previous] = await Promise.all([dayTotals(scope, range), dayTotals(scope, before)]);
      const now = sumTotals(current.map((d) => d.totals));
      const then = sumTotals(previous.map((d) => d.totals));
      const a = headline(now);
      const b = headline(then);
      const figures = Object.fromEntries(
        (Object.keys(a) as (keyof typeof a)[]).map((k) => [k, change(a[k], b[k])]),
      ) as unknown as OverviewFigures;
      const steps = [
        ['views', now.views],
        ['cartAdds', now.cartAdds],
        ['placed', now.placed],
        ['orders', now.orders],
      ] as const;
      const funnel: FunnelStep[] = steps.map(([step, count], i) => ({
        step,
        count,
        dropOffPct: i === 0 ? null : pct(Math.max(0, steps[i - 1]![1] - count), steps[i - 1]![1]),
      }));
      return {
        scope,
        range,
        previousRange: before,
        comparison,
        timeZone: deps.timeZone,
        figures,
        daily: current.map((d) => point(d.day, d.totals)),
        previousDaily: previous.map((d) => point(d.day, d.totals)),
        byHour: now.hourOrders.map((orders, hour) => ({ hour, orders, paid: now.hourPaid[hour]! })),
        funnel,
      };
    },

    /** Rows of a breakdown, largest first by `metric`, at most `limit`. */
    async ranked(scope: string, range: DateRange, kind: RowKind, metric: string, limit: number) {
      const all = await rows(scope, range, kind);
      return all
        .filter((r) => (r.values[metric] ?? 0) > 0)
        .sort((x, y) => (y.values[metric] ?? 0) - (x.values[metric] ?? 0) || x.key.localeCompare(y.key))
        .slice(0, limit);
    },
  };
}
