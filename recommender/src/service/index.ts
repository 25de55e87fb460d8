export {
  createRecsService,
  type EventInput,
  type FeedView,
  type HotQuery,
  type ProfileView,
  type RecsService,
  type RecsStatus,
  type NodeStatus,
} from './service';
export type { ProductSummary, ReasonView, RecommendedProduct } from './cards';
export { createMemoryCache, createRedisCache, type RecsCache } from './cache';
export {
  createRecsJobHandlers,
  RECS_ERASE_JOB,
  RECS_REBUILD_JOB,
  RECS_RETENTION_JOB,
  type EraseActorPayload,
} from './jobs';
export { createEventStore, type EventStore } from './store';
export { loadModel } from './loader';
export { RecsModel } from './model';
export { seedDemoInteractions, DEMO_EVENTS_NODE } from './demo';
export { dayOf, EVENTS_PREFIX, KEYS_PREFIX } from './buckets';
export type { EventPage, StoredEvent, StoredEventType } from './types';
