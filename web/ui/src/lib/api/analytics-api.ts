import { createHttpClient } from './http-client';
import type {
  AnalyticsLive,
  AnalyticsOverview,
  AnalyticsTable,
  CohortReport,
  CustomerSegment,
  SegmentReport,
} from './wire';

export type AnalyticsScope = 'seller' | 'admin';
export type RangePreset = 'today' | 'yesterday' | '7d' | '30d' | '90d' | '365d' | 'custom';

export interface AnalyticsQuery {
  range: RangePreset;
  from?: string;
  to?: string;
  compare: 'previous' | 'year';
}

/** What the query string of every analytics request says (a custom range carries its dates). */
export function analyticsQuery(q: AnalyticsQuery): Record<string, string> {
  return {
    range: q.range,
    compare: q.compare,
    ...(q.range === 'custom' && q.from && { from: q.from }),
    ...(q.range === 'custom' && q.to && { to: q.to }),
  };
}

/**
 * The dashboards' reads: a seller's own shop (`/api/seller/analytics`) or the platform
 * (`/api/admin/analytics`). Only GETs, so the page needs no CSRF token; it builds its own client so the
 * analytics pages stay one lazily loaded chunk (with the chart library) that no other page pulls in.
 */
export function createAnalyticsApi(scope: AnalyticsScope) {
  const http = createHttpClient({ csrfToken: () => '', refreshCsrfToken: async () => undefined });
  const prefix = scope === 'admin' ? '/api/admin/analytics' : '/api/seller/analytics';
  return {
    live: (signal?: AbortSignal): Promise<AnalyticsLive> =>
      http.get(`${prefix}/live`, { signal }) as Promise<AnalyticsLive>,
    overview: (q: AnalyticsQuery, signal?: AbortSignal): Promise<AnalyticsOverview> =>
      http.get(`${prefix}/overview`, { query: analyticsQuery(q), signal }) as Promise<AnalyticsOverview>,
    table: (name: string, q: AnalyticsQuery, signal?: AbortSignal): Promise<AnalyticsTable> =>
      http.get(`${prefix}/tables/${encodeURIComponent(name)}`, {
        query: analyticsQuery(q),
        signal,
      }) as Promise<AnalyticsTable>,
    segments: (signal?: AbortSignal): Promise<SegmentReport> =>
      http.get(`${prefix}/segments`, { signal }) as Promise<SegmentReport>,
    cohorts: (signal?: AbortSignal): Promise<CohortReport> =>
      http.get(`${prefix}/cohorts`, { signal }) as Promise<CohortReport>,
    /** The segment's customers as a CSV download (streamed by the server). */
    segmentExportUrl: (segment: CustomerSegment) => `${prefix}/segments/${segment}/export`,
    csvUrl: (name: string, q: AnalyticsQuery) =>
      `${prefix}/tables/${encodeURIComponent(name)}/csv?${new URLSearchParams(analyticsQuery(q))}`,
  };
}
export type AnalyticsApi = ReturnType<typeof createAnalyticsApi>;
