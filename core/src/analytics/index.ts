export {
  ANALYTICS_ORDERS_JOB,
  ANALYTICS_REBUILD_JOB,
  createAnalyticsService,
  type AnalyticsService,
  type InteractionHistory,
  type InteractionPage,
} from './service';
export type { InteractionEvent } from './contributions';
export { addDays, daysBetween, isDay, localSlot } from './time';
export * from './types';
export { analyticsTable, type AnalyticsTable } from './tables';
// The write and read sides on their own, for `npm run bench:analytics` (synthetic events, no app).
export { createRollupWriter } from './rollups';
export { createReports } from './reports';
export { createDayCache } from './day-cache';
export { orderContributions, interactionContributions } from './contributions';
export type { LiveOrder, LiveSnapshot } from './live';
// Customer segments and cohorts (issue 18 item 2).
export {
  COHORT_MONTHS,
  PRICE_BANDS,
  SEGMENTS,
  frequencyScore,
  monetaryScore,
  recencyScore,
  segmentOf,
  type PriceBand,
  type Segment,
} from './rfm';
export { createOrderBatches } from './order-batches';
export { createSegmentReader } from './segments';
export { customerContributions } from './customers';
export type {
  CohortReport,
  CohortRow,
  SegmentCustomer,
  SegmentFigures,
  SegmentReport,
  SegmentReader,
} from './segments';
