export {
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
