import type { Connection } from 'mongoose';
import { createAuthService } from './auth';
import { createCatalogService } from './catalog';
import { createCategoryService } from './categories';
import type { Config } from './config';
import type { EventBus } from './events';
import { createImportService, IMPORT_JOB } from './imports';
import { createInventoryService } from './inventory';
import { createJobQueue, type JobHandler } from './jobs';
import type { Logger } from './logger';
import { createRegistrationFlow, createSellerProductFlows } from './seller';
import { createShopService } from './shops';
import { createListingService, createProductViews } from './storefront';
import { createUserService } from './users';

export const SESSION_PRUNE_JOB = 'sessions.prune';
export const LISTINGS_REBUILD_JOB = 'listings.rebuild';
export const JOBS_PRUNE_JOB = 'jobs.prune';

const DAY_MS = 86_400_000;

/**
 * Builds every domain service on one database connection and event bus. The web app, the workers
 * process, scripts and tests all assemble the core through this one function.
 */
export function createCoreServices(deps: {
  config: Config;
  connection: Connection;
  bus: EventBus;
  log: Logger;
}) {
  const { connection, bus, log, config } = deps;
  const queue = createJobQueue({ connection, log });
  const users = createUserService({ connection });
  const auth = createAuthService({ connection, users, ttlHours: config.session.ttlHours });
  const shops = createShopService({ connection });
  const categories = createCategoryService({ connection });
  const catalog = createCatalogService({ connection, bus, categories });
  const inventory = createInventoryService({ connection, bus });
  const listings = createListingService({ connection, bus, catalog, inventory, shops, categories, log });
  const productViews = createProductViews({ catalog, inventory, categories, shops });
  const sellerProducts = createSellerProductFlows({ catalog, inventory });
  const registration = createRegistrationFlow({ users, shops });
  const imports = createImportService({
    connection,
    bus,
    queue,
    catalog,
    inventory,
    categories,
    dataDir: config.dataDir,
    readModelsSettled: () => listings.settled(),
  });

  /** Every background job the core knows how to run. Handlers are idempotent (at-least-once delivery). */
  const jobHandlers: Record<string, JobHandler> = {
    [IMPORT_JOB]: async (payload: { importId: string }, ctx) => {
      try {
        return await imports.runImport(payload, ctx);
      } catch (err) {
        // The queue dead-letters the job after this attempt: tell the seller instead of leaving it "running".
        if (ctx.attempt >= ctx.maxAttempts)
          await imports.markFailed(payload.importId, (err as Error).message);
        throw err;
      }
    },
    [SESSION_PRUNE_JOB]: async () => ({ deleted: await auth.pruneExpiredSessions() }),
    [LISTINGS_REBUILD_JOB]: async () => ({ listings: await listings.rebuildListings() }),
    // No TTL indexes on FerretDB: finished jobs (kept a week for inspection) and old claims go by job.
    [JOBS_PRUNE_JOB]: async () => {
      const now = Date.now();
      return {
        finished: await queue.pruneFinished(new Date(now - 7 * DAY_MS)),
        claims: await queue.pruneClaims(new Date(now - DAY_MS)),
      };
    },
  };

  return {
    queue,
    users,
    auth,
    shops,
    categories,
    catalog,
    inventory,
    listings,
    productViews,
    sellerProducts,
    registration,
    imports,
    jobHandlers,
  };
}

export type CoreServices = ReturnType<typeof createCoreServices>;
