export { loadConfig, ConfigError, type Config } from './config';
export { createLogger, type Logger } from './logger';
export {
  openDatabase,
  connectDatabase,
  embeddedStoreUri,
  openDatabaseForTool,
  type Database,
} from './db/database';
export { createInProcessEventBus, type EventBus, type DomainEvents, type DomainEventName } from './events';
export {
  createCoreServices,
  SESSION_PRUNE_JOB,
  LISTINGS_REBUILD_JOB,
  JOBS_PRUNE_JOB,
  type CoreServices,
} from './services';
export * from './errors';
export { startHousekeeping } from './housekeeping';
export { ROLES, type Role, type User } from './users';
export type { Actor, Product, ProductInput, VariantInput } from './catalog';
export { LISTING_SORTS, type ListingSort, type ProductCard, type ProductDetail } from './storefront';
export { IMPORT_COLUMNS, type ImportJob } from './imports';
export type { Shop } from './shops';
export type { Category } from './categories';
export type { StockLevel } from './inventory';
