/**
 * The additive figures of one scope (a shop, or the whole platform) on one local day. Money in integer
 * fen. Every field is a sum over events, so days add up to any range and a rebuild reproduces them.
 */
export interface DayTotals {
  /** Orders created (checkout started). */
  placed: number;
  /** Orders paid, and what they hold. */
  orders: number;
  units: number;
  /** Σ line totals of paid orders. */
  gross: number;
  /** Σ coupon discounts and points redeemed on paid orders. */
  discounts: number;
  shipping: number;
  /** Σ order totals of paid orders (what shoppers paid: gross − discounts + shipping). */
  paid: number;
  /** Σ commission lines of paid orders (the platform's fee, fixed when each order was placed). */
  commission: number;
  /** The commission the day's refunds gave back (the same shares settlement debits; `settlement/money.ts`). */
  commissionReversed: number;
  /** Money refunded on this day (partial refunds, and the rest of a cancelled or refunded paid order). */
  refunds: number;
  /** Orders with a refund recorded on this day. */
  refundedOrders: number;
  completed: number;
  /** Paid orders that used a coupon, their discount and their totals. */
  couponOrders: number;
  couponDiscount: number;
  couponPaid: number;
  /** Distinct buyers who paid that day, of them first-time buyers (of the scope) and returning ones. */
  buyers: number;
  newBuyers: number;
  returningBuyers: number;
  /** Interaction events (from the recommender's event store). */
  views: number;
  cartAdds: number;
  clicks: number;
  searches: number;
  /** Distinct actors (accounts and anonymous visitors) with any interaction that day. */
  visitors: number;
  /** Paid orders and paid totals by local hour of day (0–23). */
  hourOrders: number[];
  hourPaid: number[];
}

export const TOTAL_FIELDS = [
  'placed',
  'orders',
  'units',
  'gross',
  'discounts',
  'shipping',
  'paid',
  'commission',
  'commissionReversed',
  'refunds',
  'refundedOrders',
  'completed',
  'couponOrders',
  'couponDiscount',
  'couponPaid',
  'buyers',
  'newBuyers',
  'returningBuyers',
  'views',
  'cartAdds',
  'clicks',
  'searches',
  'visitors',
] as const satisfies readonly (keyof DayTotals)[];
export type TotalField = (typeof TOTAL_FIELDS)[number];

export function emptyTotals(): DayTotals {
  const t = Object.fromEntries(TOTAL_FIELDS.map((f) => [f, 0])) as Record<TotalField, number>;
  return { ...t, hourOrders: new Array<number>(24).fill(0), hourPaid: new Array<number>(24).fill(0) };
}

/**
 * Breakdowns kept per day as rows: key, a label, and the metrics listed in `ROW_METRICS` in that order.
 * Stored as arrays rather than maps because the keys (city names, search text) may hold `.` or `$`.
 */
export const ROW_METRICS = {
  products: ['revenue', 'units', 'orders', 'views', 'cartAdds'],
  categories: ['revenue', 'orders'],
  cities: ['revenue', 'orders'],
  coupons: ['orders', 'discount', 'paid'],
  searches: ['count', 'noResults', 'clicks'],
  /** Platform scope only: each shop's sales. */
  shops: ['paid', 'orders'],
} as const;
export type RowKind = keyof typeof ROW_METRICS;
export const ROW_KINDS = Object.keys(ROW_METRICS) as RowKind[];

export interface Row {
  k: string;
  label: string;
  n: number[];
}

/** What one source event adds to one scope's day. */
export interface Contribution {
  scope: string;
  day: string;
  totals: Partial<Record<TotalField, number>>;
  hour?: { hour: number; orders: number; paid: number };
  rows: Partial<Record<RowKind, Row[]>>;
  /** Distinct-actor claims that decide `visitors` / `buyers` (the event that wins a claim counts it). */
  visitors?: string[];
  buyer?: { id: string; orderId: string };
}

/** The scope of the whole platform; a shop's scope is its seller's id. */
export const PLATFORM = 'platform';

export interface DateRange {
  from: string;
  to: string;
}

export type Comparison = 'previous' | 'year';

export interface FigureChange {
  value: number;
  previous: number;
  /** (value − previous) / previous × 100, one decimal; null when the previous value is 0. */
  changePct: number | null;
}

export interface OverviewFigures {
  netSales: FigureChange;
  grossSales: FigureChange;
  gmv: FigureChange;
  commission: FigureChange;
  discounts: FigureChange;
  shipping: FigureChange;
  paid: FigureChange;
  orders: FigureChange;
  placed: FigureChange;
  units: FigureChange;
  averageOrderValue: FigureChange;
  refunds: FigureChange;
  refundedOrders: FigureChange;
  refundRatePct: FigureChange;
  visitors: FigureChange;
  views: FigureChange;
  conversionRatePct: FigureChange;
  buyers: FigureChange;
  newBuyers: FigureChange;
  returningBuyers: FigureChange;
  returningBuyerRatePct: FigureChange;
  couponOrders: FigureChange;
  couponDiscount: FigureChange;
}

export interface DailyPoint {
  day: string;
  netSales: number;
  paid: number;
  orders: number;
  refunds: number;
  visitors: number;
}

export interface FunnelStep {
  step: 'views' | 'cartAdds' | 'placed' | 'orders';
  count: number;
  /** Share of the previous step that did not reach this one, percent; null for the first step. */
  dropOffPct: number | null;
}

export interface Overview {
  scope: string;
  range: DateRange;
  previousRange: DateRange;
  comparison: Comparison;
  timeZone: string;
  figures: OverviewFigures;
  daily: DailyPoint[];
  previousDaily: DailyPoint[];
  byHour: Array<{ hour: number; orders: number; paid: number }>;
  funnel: FunnelStep[];
}

export interface RankedRow {
  key: string;
  label: string;
  values: Record<string, number>;
}

/** Every chart's data as a table: the table view beside the chart and the CSV export. */
export const ANALYTICS_TABLES = [
  'daily',
  'hours',
  'funnel',
  'products',
  'categories',
  'cities',
  'coupons',
  'searches',
  'no-result-searches',
  'shops',
] as const;
export type AnalyticsTableName = (typeof ANALYTICS_TABLES)[number];
