import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config, CoreServices, EventBus, Logger, Redis } from '@market/core';
import type { Connection } from 'mongoose';
import type { RecommenderOptions } from '../types';
import { createMemoryCache, createRedisCache, type RecsCache } from './cache';
import { createIntake } from './intake';
import { createRecsJobHandlers } from './jobs';
import { RecsModel } from './model';
import { createModelLifecycle, type LiveModels } from './model-lifecycle';
import { createNodeReporter, newNodeDoc, readRecsStatus, type RecsStatus } from './node-status';
import { createQueries } from './queries';
import { createEventStore } from './store';
import type { EventPage } from './types';

export type { EventInput } from './intake';
export type { FeedView, HotQuery, ProfileView } from './queries';
export type { NodeStatus, RecsStatus } from './node-status';

/**
 * The recommender as a live part of the marketplace, one per app process (recommender/README.md,
 * "Serving"). It records interaction events (memory first, the store in batches: `intake.ts`), keeps its
 * in-memory engine current from its own pages at once and from other processes' pages by tailing, and
 * reloads it on a rebuild (`model-lifecycle.ts`), follows the catalog through the listing read model, and
 * answers with product summaries joined in (`queries.ts`). This function only wires them together.
 */
export function createRecsService(deps: {
  config: Config;
  log: Logger;
  connection: Connection;
  bus: EventBus;
  core: Pick<CoreServices, 'listings' | 'orders' | 'queue' | 'categories' | 'analytics'>;
  redis?: Redis | null;
  /** Engine options (half-lives, weights); the defaults are the shop's. */
  options?: RecommenderOptions;
}) {
  const { config, log, core } = deps;
  const { retentionDays, tailMs, hotCacheMs } = config.recs;
  // Content neighbours change with the catalog, not with events, so they are reused for minutes; the
  // popularity lists inside the feed for a couple of seconds (never longer than hot lists are cached).
  // Together they make a feed several times cheaper (recommender/README.md, "Serving").
  const engineOptions: RecommenderOptions = {
    contentCacheMs: 10 * 60_000,
    rankingCacheMs: Math.min(2000, hotCacheMs),
    ...deps.options,
  };
  const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`.replace(/[^\w.-]/g, '-');
  const store = createEventStore({ connection: deps.connection, log });
  const cache: RecsCache = deps.redis ? createRedisCache(deps.redis) : createMemoryCache();
  const models: LiveModels = { serving: new RecsModel(engineOptions), loading: null };
  const offs: (() => void)[] = [];

  const reporter = createNodeReporter({
    store,
    log,
    node: newNodeDoc(nodeId),
    // Read at write time only, once `intake` below exists.
    counters: () => {
      const { items, actors, events } = models.serving.engine.stats();
      const { buffered, dropped } = intake.stats();
      return { items, actors, events, buffered, dropped };
    },
  });
  const intake = createIntake({ store, nodeId, log, models, reporter, core });
  const lifecycle = createModelLifecycle({
    models,
    engineOptions,
    store,
    listings: core.listings,
    queue: core.queue,
    nodeId,
    log,
    retentionDays,
    tailMs,
    reporter,
    ownSeq: intake.ownSeq,
  });
  const queries = createQueries({ models, core, cache, hotCacheMs, log, appliedFor: intake.appliedFor });

  return {
    nodeId,
    store,
    cacheKind: cache.kind,

    /** Subscribes to the catalog and orders, starts the first full load (not awaited) and the tailing. */
    async start(): Promise<void> {
      await store.saveNode({ ...reporter.node });
      offs.push(
        core.listings.onChange((productId) => {
          lifecycle
            .applyListing(productId)
            .catch((err: unknown) => log.warn({ err, productId }, 'recs: catalog update failed'));
        }),
        deps.bus.subscribe('order.status_changed', (e) => {
          if (e.event !== 'status' || e.status !== 'paid') return;
          return intake.recordPurchases(e);
        }),
      );
      await lifecycle.start();
    },

    /** Resolves once the first full load has finished (or failed). */
    ready: lifecycle.ready,

    record: intake.record,
    acceptsClientEvents: intake.acceptsClientEvents,
    link: intake.link,
    reset: intake.reset,

    hot: queries.hot,
    similar: queries.similar,
    boughtTogether: queries.boughtTogether,
    feed: queries.feed,
    profile: queries.profile,
    affinity: queries.affinity,

    status: (): Promise<RecsStatus> =>
      readRecsStatus({
        store,
        queue: core.queue,
        thisNode: nodeId,
        retentionDays,
        tailMs,
        cache: cache.kind,
      }),

    requestRebuild: lifecycle.requestRebuild,

    /** Job handlers for the queue (any process that runs jobs may take them). */
    jobHandlers: createRecsJobHandlers({
      connection: deps.connection,
      log,
      retentionDays,
      tailMs,
      store,
      analytics: core.analytics,
    }),

    /** Writes what is buffered, applies it, and reads other processes' pages once (tests, benchmarks). */
    async settled(): Promise<void> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await intake.flush();
      await lifecycle.settle();
    },

    stats: () => ({
      ...models.serving.engine.stats(),
      ...intake.stats(),
      state: reporter.node.state,
      generation: reporter.node.generation,
    }),

    async stop(): Promise<void> {
      offs.forEach((off) => off());
      await lifecycle.stopTailing();
      await intake.stop();
      await lifecycle.loadFinished();
      reporter.node.state = 'stopped';
      await reporter.save();
    },
  };
}

export type RecsService = ReturnType<typeof createRecsService>;
export type { EventPage };
