import { mapPooled } from '../map-pooled';
import {
  cohortKey,
  customerKey,
  customerStateOf,
  segmentDayKey,
  segmentSpanKey,
  type OrderBatches,
} from './order-batches';
import type { DayCache } from './day-cache';
import type { CustomerDoc, SegmentEntry } from './model';
import {
  addMonths,
  COHORT_MONTHS,
  FREQUENCY_ORDERS,
  MONETARY_FEN,
  monthOf,
  monthsBetween,
  PRICE_BANDS,
  RECENCY_DAYS,
  recencyScore,
  SEGMENTS,
  segmentOf,
  type PriceBand,
  type Segment,
} from './rfm';
import { addDays, daysBetween, daysOf } from './time';

export interface SegmentCategory {
  key: string;
  label: string;
  units: number;
  sales: number;
  /** Shares of the segment's units and sales, percent with one decimal. */
  unitsPct: number;
  salesPct: number;
}

export interface SegmentFigures {
  segment: Segment;
  customers: number;
  customersPct: number;
  orders: number;
  /** Σ the customers' net sales (paid − refunded), fen. */
  netSales: number;
  salesPct: number;
  units: number;
  /** netSales / orders, fen. */
  averageOrderValue: number;
  /** The segment's top categories by units bought. */
  categories: SegmentCategory[];
  priceBands: Array<{ band: PriceBand; units: number; unitsPct: number }>;
}

export interface SegmentReport {
  scope: string;
  /** The local day recency is counted to. */
  today: string;
  timeZone: string;
  customers: number;
  orders: number;
  netSales: number;
  segments: SegmentFigures[];
  /** The fixed score bands (rfm.ts). */
  bands: { recencyDays: number[]; frequencyOrders: number[]; monetaryFen: number[] };
}

export interface CohortRow {
  /** `YYYY-MM` of the first paid order in the scope. */
  cohort: string;
  size: number;
  /** Months 0..11 after: customers of the cohort with a paid order that month; null for months to come. */
  months: Array<{ customers: number; pct: number } | null>;
}

export interface CohortReport {
  scope: string;
  timeZone: string;
  cohorts: CohortRow[];
}

/** One customer as the export lists them (the route adds the name and masked contact). */
export interface SegmentCustomer {
  customer: string;
  segment: Segment;
  recencyDays: number;
  r: number;
  f: number;
  m: number;
  orders: number;
  netSales: number;
  firstOrder: string;
  lastOrder: string;
}

const TOP_CATEGORIES = 5;
const EXPORT_PAGE = 500;

const pct = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : 0);

interface Acc {
  customers: number;
  orders: number;
  net: number;
  units: number;
  bands: number[];
  cats: Map<string, { label: string; units: number; sales: number }>;
}
const emptyAcc = (): Acc => ({
  customers: 0,
  orders: 0,
  net: 0,
  units: 0,
  bands: PRICE_BANDS.map(() => 0),
  cats: new Map(),
});

/**
 * The read side of customer segments: a scope's segment table from its `segments` day streams (one per
 * day that is some customer's latest order day, R worked out from the day), settled days through the
 * dashboards' day cache; the cohort grid from twelve month streams; one customer's segment from their
 * own stream (a coupon's audience); and a segment's customers, page by page, for the export.
 */
export function createSegmentReader(deps: {
  batches: Pick<OrderBatches, 'customers' | 'segments'>;
  generation: () => Promise<number>;
  timeZone: string;
  today: () => string;
  cache: DayCache;
}) {
  const { segments, customers } = deps.batches;

  function readDay(generation: number, scope: string, day: string, today: string) {
    const key = segmentDayKey(generation, scope, day);
    const read = () => segments.latest(key);
    // Days before yesterday change only by an event applied to them, which tells every process to
    // forget them (`analytics.updated`), as the sales dashboards' days do.
    return day < addDays(today, -1) ? deps.cache.get(key, scope, day, read) : read();
  }

  function segmentOfState(s: { last: string; f: number; m: number }, today: string): Segment {
    return segmentOf(recencyScore(daysBetween(s.last, today)), s.f, s.m);
  }

  return {
    async report(scope: string): Promise<SegmentReport> {
      const generation = await deps.generation();
      const today = deps.today();
      const span = await segments.latest(segmentSpanKey(generation, scope));
      const days = span?.first && span.first <= today ? daysOf(span.first, today) : [];
      const entries = await mapPooled(days, (day) => readDay(generation, scope, day, today));
      const acc = new Map<Segment, Acc>(SEGMENTS.map((s) => [s, emptyAcc()]));
      entries.forEach((entry, i) => {
        if (!entry) return;
        const r = recencyScore(daysBetween(days[i]!, today));
        const into = (fm: string) => {
          const [f, m] = fm.split('|').map(Number) as [number, number];
          return acc.get(segmentOf(r, f, m))!;
        };
        for (const row of entry.sums ?? []) {
          const a = into(row.k);
          a.customers += row.n[0] ?? 0;
          a.orders += row.n[1] ?? 0;
          a.net += row.n[2] ?? 0;
          a.units += row.n[3] ?? 0;
          PRICE_BANDS.forEach((_, b) => (a.bands[b]! += row.n[4 + b] ?? 0));
        }
        for (const row of entry.cats ?? []) {
          const [f, m, ...rest] = row.k.split('|');
          const a = into(`${f}|${m}`);
          const key = rest.join('|');
          const have = a.cats.get(key) ?? { label: row.label, units: 0, sales: 0 };
          have.units += row.n[0] ?? 0;
          have.sales += row.n[1] ?? 0;
          a.cats.set(key, have);
        }
      });
      const all = [...acc.values()];
      const customers = all.reduce((s, a) => s + a.customers, 0);
      const netSales = all.reduce((s, a) => s + a.net, 0);
      const orders = all.reduce((s, a) => s + a.orders, 0);
      return {
        scope,
        today,
        timeZone: deps.timeZone,
        customers,
        orders,
        netSales,
        bands: {
          recencyDays: [...RECENCY_DAYS],
          frequencyOrders: [...FREQUENCY_ORDERS],
          monetaryFen: [...MONETARY_FEN],
        },
        segments: SEGMENTS.map((segment) => {
          const a = acc.get(segment)!;
          const catUnits = [...a.cats.values()].reduce((s, c) => s + c.units, 0);
          const catSales = [...a.cats.values()].reduce((s, c) => s + c.sales, 0);
          const bandUnits = a.bands.reduce((s, n) => s + n, 0);
          return {
            segment,
            customers: a.customers,
            customersPct: pct(a.customers, customers),
            orders: a.orders,
            netSales: a.net,
            salesPct: pct(a.net, netSales),
            units: a.units,
            averageOrderValue: a.orders ? Math.round(a.net / a.orders) : 0,
            categories: [...a.cats]
              .filter(([, c]) => c.units > 0)
              .sort(([ka, x], [kb, y]) => y.units - x.units || y.sales - x.sales || ka.localeCompare(kb))
              .slice(0, TOP_CATEGORIES)
              .map(([key, c]) => ({
                key,
                label: c.label,
                units: c.units,
                sales: c.sales,
                unitsPct: pct(c.units, catUnits),
                salesPct: pct(c.sales, catSales),
              })),
            priceBands: PRICE_BANDS.map((band, b) => ({
              band,
              units: a.bands[b]!,
              unitsPct: pct(a.bands[b]!, bandUnits),
            })),
          };
        }),
      };
    },

    /** The last twelve cohorts (this month's included), oldest first, each followed for twelve months. */
    async cohorts(scope: string): Promise<CohortReport> {
      const generation = await deps.generation();
      const current = monthOf(deps.today());
      const months = Array.from({ length: COHORT_MONTHS }, (_, i) =>
        addMonths(current, i - COHORT_MONTHS + 1),
      );
      const entries: Array<SegmentEntry | null> = await mapPooled(months, (month) =>
        segments.latest(cohortKey(generation, scope, month)),
      );
      return {
        scope,
        timeZone: deps.timeZone,
        cohorts: months.map((cohort, i) => {
          const size = entries[i]?.size ?? 0;
          const elapsed = monthsBetween(cohort, current);
          return {
            cohort,
            size,
            months: Array.from({ length: COHORT_MONTHS }, (_, k) => {
              if (k > elapsed) return null;
              const n = entries[i]?.active?.[k] ?? 0;
              return { customers: n, pct: pct(n, size) };
            }),
          };
        }),
      };
    },

    /** Whether `customer` is in `segment` of `scope` today (no paid order there: in no segment). */
    async isMember(scope: string, segment: Segment, customer: string): Promise<boolean> {
      const entry = await customers.findOne({ _id: customerKey(await deps.generation(), scope, customer) });
      if (!entry?.last) return false;
      return segmentOfState(entry, deps.today()) === segment;
    },

    /**
     * The customers of a segment, a page at a time, straight from the store (a cursor over the scope's
     * customer documents; never the whole segment in memory).
     */
    async *customersOf(scope: string, segment: Segment): AsyncGenerator<SegmentCustomer[]> {
      const generation = await deps.generation();
      const today = deps.today();
      const cursor = customers
        .find({ gs: `g${generation}|${scope}` })
        .batchSize(EXPORT_PAGE) as AsyncIterable<CustomerDoc>;
      let page: SegmentCustomer[] = [];
      for await (const head of cursor) {
        const s = customerStateOf(head);
        if (!s.last || segmentOfState(s, today) !== segment) continue;
        const recencyDays = daysBetween(s.last, today);
        page.push({
          customer: s.customer,
          segment,
          recencyDays,
          r: recencyScore(recencyDays),
          f: s.f,
          m: s.m,
          orders: s.orders,
          netSales: s.net,
          firstOrder: s.first,
          lastOrder: s.last,
        });
        if (page.length >= EXPORT_PAGE) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
    },
  };
}

export type SegmentReader = ReturnType<typeof createSegmentReader>;
