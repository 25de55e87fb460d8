import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  addDays,
  ANALYTICS_REBUILD_JOB,
  daysBetween,
  isDay,
  maskEmail,
  maskPhone,
  PLATFORM,
  ValidationError,
  type AnalyticsTableName,
  type DateRange,
  type Segment,
} from '@market/core';
import { csvCell, toCsv } from '@market/core/csv';
import type { RouteDefiner } from '../http/route';
import type { WebDeps } from '../web-deps';
import {
  AnalyticsLiveSchema,
  AnalyticsOverviewSchema,
  AnalyticsQuery,
  AnalyticsRebuildSchema,
  AnalyticsStatusSchema,
  AnalyticsTableParams,
  AnalyticsTableSchema,
  CohortReportSchema,
  MAX_RANGE_DAYS,
  SegmentParams,
  SegmentReportSchema,
} from './analytics-schemas';

const PRESET_DAYS = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;

/** The days a query asks for, in the analytics time zone; a custom range is checked field by field. */
export function resolveRange(query: z.output<typeof AnalyticsQuery>, today: string): DateRange {
  switch (query.range) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'custom': {
      const issues = (['from', 'to'] as const)
        .filter((f) => !query[f] || !isDay(query[f]))
        .map((f) => ({
          field: `query.${f}`,
          message: 'a date as YYYY-MM-DD is required for a custom range',
        }));
      if (issues.length) throw new ValidationError(issues);
      const range = { from: query.from!, to: query.to! };
      const length = daysBetween(range.from, range.to) + 1;
      if (length < 1) throw new ValidationError([{ field: 'query.to', message: 'must not be before from' }]);
      if (length > MAX_RANGE_DAYS) {
        throw new ValidationError([
          { field: 'query.to', message: `at most ${MAX_RANGE_DAYS} days after from` },
        ]);
      }
      return range;
    }
    default:
      return { from: addDays(today, 1 - PRESET_DAYS[query.range]), to: today };
  }
}

/**
 * Sales, funnel and search dashboards: `/api/seller/analytics/*` for a seller's own shop (the scope is
 * the signed-in seller, never a parameter), `/api/admin/analytics/*` for the platform. Every chart's
 * data is also a table, as JSON or as CSV.
 */
/** The columns of a segment export (money in fen; contact details masked as support sees them). */
export const SEGMENT_EXPORT_COLUMNS = [
  'customerId',
  'name',
  'email',
  'phone',
  'segment',
  'recencyDays',
  'r',
  'f',
  'm',
  'orders',
  'netSales',
  'firstOrder',
  'lastOrder',
] as const;

export function analyticsRoutes(route: RouteDefiner, { core }: WebDeps) {
  /**
   * A segment's customers as CSV lines, a page at a time from the store; each page's names in one round
   * of `_id` lookups. Contact details are masked (`maskEmail`/`maskPhone`, as support reads them): a
   * seller learns no more of a buyer than their orders show (the buyer's id) plus a name to greet.
   */
  async function* segmentCsv(scope: string, segment: Segment): AsyncGenerator<string> {
    yield toCsv([[...SEGMENT_EXPORT_COLUMNS]]);
    for await (const page of core.analytics.segments.customersOf(scope, segment)) {
      const people = await core.users.accessOf(page.map((c) => c.customer));
      yield page
        .map((c) => {
          const person = people.get(c.customer);
          return (
            [
              c.customer,
              person?.name ?? '',
              person?.email ? maskEmail(person.email) : '',
              person?.phone ? maskPhone(person.phone) : '',
              c.segment,
              c.recencyDays,
              c.r,
              c.f,
              c.m,
              c.orders,
              c.netSales,
              c.firstOrder,
              c.lastOrder,
            ]
              .map(csvCell)
              .join(',') + '\r\n'
          );
        })
        .join('');
    }
  }

  const audiences = [
    { prefix: '/api/seller/analytics', auth: { roles: ['seller'] } as const, who: "your shop's" },
    { prefix: '/api/admin/analytics', auth: { roles: ['admin'] } as const, who: "the platform's" },
  ];
  for (const { prefix, auth, who } of audiences) {
    const scopeOf = (user: { id: string }) => (prefix.startsWith('/api/admin') ? PLATFORM : user.id);

    route(
      {
        method: 'get',
        path: `${prefix}/live`,
        summary: `Live view of ${who} sales: visitors in the last five minutes, paid orders per minute over the last hour, the latest paid orders`,
        tags: ['analytics'],
        auth,
        responses: { 200: { description: 'The live view', schema: AnalyticsLiveSchema } },
      },
      async (ctx, { user }) => {
        ctx.body = core.analytics.live(scopeOf(user));
      },
    );

    route(
      {
        method: 'get',
        path: `${prefix}/overview`,
        summary: `Headline figures, daily series, hours and funnel of ${who} sales for a date range, with the comparison period`,
        tags: ['analytics'],
        auth,
        query: AnalyticsQuery,
        responses: { 200: { description: 'The overview', schema: AnalyticsOverviewSchema } },
      },
      async (ctx, { query, user }) => {
        ctx.set('Cache-Control', 'no-store');
        const range = resolveRange(query, core.analytics.today());
        ctx.body = await core.analytics.overview(scopeOf(user), range, query.compare);
      },
    );

    const table = async (
      user: { id: string },
      name: AnalyticsTableName,
      query: z.output<typeof AnalyticsQuery>,
    ) => {
      const range = resolveRange(query, core.analytics.today());
      if (name === 'shops' && scopeOf(user) !== PLATFORM) {
        throw new ValidationError([{ field: 'params.table', message: 'shops is a platform table' }]);
      }
      return { range, table: await core.analytics.table(scopeOf(user), range, query.compare, name) };
    };

    route(
      {
        method: 'get',
        path: `${prefix}/tables/:table`,
        summary: `One of ${who} analytics tables (the data behind a chart, or a ranking) for a date range`,
        tags: ['analytics'],
        auth,
        params: AnalyticsTableParams,
        query: AnalyticsQuery,
        responses: { 200: { description: 'The table', schema: AnalyticsTableSchema } },
      },
      async (ctx, { params, query, user }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = (await table(user, params.table, query)).table;
      },
    );

    route(
      {
        method: 'get',
        path: `${prefix}/tables/:table/csv`,
        summary: `One of ${who} analytics tables as CSV (money in fen)`,
        tags: ['analytics'],
        auth,
        params: AnalyticsTableParams,
        query: AnalyticsQuery,
        responses: { 200: { description: 'CSV', schema: z.string(), contentType: 'text/csv' } },
      },
      async (ctx, { params, query, user }) => {
        const { range, table: t } = await table(user, params.table, query);
        ctx.set('Cache-Control', 'no-store');
        ctx.set('Content-Disposition', `attachment; filename="${t.name}_${range.from}_${range.to}.csv"`);
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = toCsv([t.columns, ...t.rows]);
      },
    );
  }

  for (const { prefix, auth, who, scopeOf } of [
    {
      prefix: '/api/seller/analytics',
      auth: { roles: ['seller'] } as const,
      who: "your shop's customers (first order in your shop)",
      scopeOf: (user: { id: string }) => user.id,
    },
    {
      prefix: '/api/admin/analytics',
      auth: { roles: ['admin'] } as const,
      who: "the platform's customers",
      scopeOf: () => PLATFORM,
    },
  ]) {
    route(
      {
        method: 'get',
        path: `${prefix}/segments`,
        summary: `RFM segments of ${who} today: counts, sales shares, average order value, category and price-band affinities`,
        tags: ['analytics'],
        auth,
        responses: { 200: { description: 'The segments', schema: SegmentReportSchema } },
      },
      async (ctx, { user }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await core.analytics.segments.report(scopeOf(user));
      },
    );

    route(
      {
        method: 'get',
        path: `${prefix}/cohorts`,
        summary: `Cohort retention of ${who}: month of first purchase × months after (0–11), with cohort sizes`,
        tags: ['analytics'],
        auth,
        responses: { 200: { description: 'The cohort grid', schema: CohortReportSchema } },
      },
      async (ctx, { user }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.body = await core.analytics.segments.cohorts(scopeOf(user));
      },
    );

    route(
      {
        method: 'get',
        path: `${prefix}/segments/:segment/export`,
        summary: `The customers of one of ${who} segments as CSV, streamed (money in fen, contact details masked)`,
        tags: ['analytics'],
        auth,
        params: SegmentParams,
        responses: { 200: { description: 'CSV', schema: z.string(), contentType: 'text/csv' } },
      },
      async (ctx, { params, user }) => {
        ctx.set('Cache-Control', 'no-store');
        ctx.set(
          'Content-Disposition',
          `attachment; filename="customers_${params.segment}_${core.analytics.today()}.csv"`,
        );
        ctx.type = 'text/csv; charset=utf-8';
        ctx.body = Readable.from(segmentCsv(scopeOf(user), params.segment));
      },
    );
  }

  route(
    {
      method: 'get',
      path: '/api/admin/analytics/status',
      summary: 'Which rollup generation the dashboards read, and the progress of a rebuild',
      tags: ['analytics'],
      auth: { roles: ['admin'] },
      responses: { 200: { description: 'Status', schema: AnalyticsStatusSchema } },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'no-store');
      const { _id: _ignored, ...status } = await core.analytics.status();
      ctx.body = status;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/analytics/rebuild',
      summary: 'Rebuild every analytics rollup from the orders and interaction history (a job)',
      tags: ['analytics'],
      auth: { roles: ['admin'] },
      responses: { 202: { description: 'The job', schema: AnalyticsRebuildSchema } },
    },
    async (ctx) => {
      const status = await core.analytics.status();
      // One rebuild at a time: while one runs, asking again returns it.
      const job = await core.queue.enqueue(
        ANALYTICS_REBUILD_JOB,
        {},
        { dedupeKey: `rebuild-of-${status.active}`, maxAttempts: 3 },
      );
      ctx.status = 202;
      ctx.body = { jobId: job.id };
    },
  );
}
