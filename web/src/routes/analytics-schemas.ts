import { z } from 'zod';
import { ANALYTICS_TABLES, COHORT_MONTHS, PRICE_BANDS, SEGMENTS } from '@market/core/browser';

export const RANGE_PRESETS = ['today', 'yesterday', '7d', '30d', '90d', '365d', 'custom'] as const;
/** The longest custom range a dashboard reads (a year and a day, for leap years). */
export const MAX_RANGE_DAYS = 366;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const AnalyticsQuery = z
  .object({
    range: z.enum(RANGE_PRESETS).default('30d'),
    from: Day.optional(),
    to: Day.optional(),
    compare: z.enum(['previous', 'year']).default('previous'),
  })
  .strict();

export const AnalyticsTableParams = z.object({ table: z.enum(ANALYTICS_TABLES) });

const Figure = z.object({ value: z.number(), previous: z.number(), changePct: z.number().nullable() });
const RangeSchema = z.object({ from: z.string(), to: z.string() });
const DailyPoint = z.object({
  day: z.string(),
  netSales: z.number().int(),
  paid: z.number().int(),
  orders: z.number().int(),
  refunds: z.number().int(),
  visitors: z.number().int(),
});

const FIGURES = [
  'netSales',
  'grossSales',
  'gmv',
  'commission',
  'discounts',
  'shipping',
  'paid',
  'orders',
  'placed',
  'units',
  'averageOrderValue',
  'refunds',
  'refundedOrders',
  'refundRatePct',
  'visitors',
  'views',
  'conversionRatePct',
  'buyers',
  'newBuyers',
  'returningBuyers',
  'returningBuyerRatePct',
  'couponOrders',
  'couponDiscount',
] as const;

export const AnalyticsOverviewSchema = z
  .object({
    scope: z.string(),
    range: RangeSchema,
    previousRange: RangeSchema,
    comparison: z.enum(['previous', 'year']),
    timeZone: z.string(),
    figures: z.object(
      Object.fromEntries(FIGURES.map((f) => [f, Figure])) as Record<(typeof FIGURES)[number], typeof Figure>,
    ),
    daily: z.array(DailyPoint),
    previousDaily: z.array(DailyPoint),
    byHour: z.array(z.object({ hour: z.number().int(), orders: z.number().int(), paid: z.number().int() })),
    funnel: z.array(
      z.object({
        step: z.enum(['views', 'cartAdds', 'placed', 'orders']),
        count: z.number().int(),
        dropOffPct: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'AnalyticsOverview' });

export const AnalyticsTableSchema = z
  .object({
    name: z.enum(ANALYTICS_TABLES),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number()]))),
  })
  .meta({ id: 'AnalyticsTable' });

export const AnalyticsStatusSchema = z
  .object({
    active: z.number().int(),
    building: z.number().int().nullable(),
    jobId: z.string().nullable(),
    progress: z.object({ phase: z.string(), done: z.number().int(), total: z.number().int() }).nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AnalyticsStatus' });

export const AnalyticsRebuildSchema = z.object({ jobId: z.string() }).meta({ id: 'AnalyticsRebuild' });

export const AnalyticsLiveSchema = z
  .object({
    visitors: z.number().int().describe('distinct visitors in the last five minutes'),
    perMinute: z.array(
      z.object({ minute: z.iso.datetime(), orders: z.number().int(), paid: z.number().int() }),
    ),
    feed: z.array(
      z.object({
        orderId: z.string(),
        shopName: z.string(),
        total: z.number().int(),
        units: z.number().int(),
        city: z.string(),
        at: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'AnalyticsLive' });

// ——— customers: RFM segments, affinities, cohorts ———

export const SegmentParams = z.object({ segment: z.enum(SEGMENTS) });

const Pct = z.number().describe('percent, one decimal');

export const SegmentReportSchema = z
  .object({
    scope: z.string(),
    today: z.string().describe('the local day recency is counted to'),
    timeZone: z.string(),
    customers: z.number().int(),
    orders: z.number().int(),
    netSales: z.number().int().describe('fen'),
    segments: z.array(
      z.object({
        segment: z.enum(SEGMENTS),
        customers: z.number().int(),
        customersPct: Pct,
        orders: z.number().int(),
        netSales: z.number().int().describe('Σ paid − refunded of the segment’s customers, fen'),
        salesPct: Pct,
        units: z.number().int(),
        averageOrderValue: z.number().int().describe('netSales / orders, fen'),
        categories: z.array(
          z.object({
            key: z.string(),
            label: z.string(),
            units: z.number().int(),
            sales: z.number().int(),
            unitsPct: Pct,
            salesPct: Pct,
          }),
        ),
        priceBands: z.array(z.object({ band: z.enum(PRICE_BANDS), units: z.number().int(), unitsPct: Pct })),
      }),
    ),
    bands: z
      .object({
        recencyDays: z.array(z.number().int()),
        frequencyOrders: z.array(z.number().int()),
        monetaryFen: z.array(z.number().int()),
      })
      .describe(
        'the fixed score bands: a value at or past the nth threshold scores n + 1 (R: days at or under)',
      ),
  })
  .meta({ id: 'SegmentReport' });

export const CohortReportSchema = z
  .object({
    scope: z.string(),
    timeZone: z.string(),
    cohorts: z.array(
      z.object({
        cohort: z.string().describe('YYYY-MM of the first paid order'),
        size: z.number().int(),
        months: z
          .array(z.object({ customers: z.number().int(), pct: Pct }).nullable())
          .describe(`months 0..${COHORT_MONTHS - 1} after; null for months still to come`),
      }),
    ),
  })
  .meta({ id: 'CohortReport' });
