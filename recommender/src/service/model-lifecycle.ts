import type { CoreServices, Logger } from '@market/core';
import type { RecommenderOptions } from '../types';
import type { StreamFollower } from './follower';
import { RECS_REBUILD_JOB } from './jobs';
import { loadModel, type LoadProgress } from './loader';
import { RecsModel, type ListingLike } from './model';
import type { NodeReporter } from './node-status';
import type { EventStore } from './store';

/** The model that answers now, and the one a full load is building beside it (null between loads). */
export interface LiveModels {
  serving: RecsModel;
  loading: RecsModel | null;
}

/**
 * The model's life in one process: the first full load and every rebuild (a fresh model loaded from the
 * event store while the current one serves, then swapped in), tailing other processes' pages every
 * `tailMs`, and keeping both models current with the catalog.
 */
export function createModelLifecycle(deps: {
  models: LiveModels;
  engineOptions: RecommenderOptions;
  store: EventStore;
  listings: CoreServices['listings'];
  queue: CoreServices['queue'];
  nodeId: string;
  log: Logger;
  retentionDays: number;
  tailMs: number;
  reporter: NodeReporter;
  /** The last page this process stored and applied: a new model catches up to it before the swap. */
  ownSeq: () => number;
}) {
  const { models, store, nodeId, log, reporter, ownSeq } = deps;
  const { node } = reporter;
  let follower: StreamFollower | null = null;
  let reloading: Promise<void> | null = null;
  let stopped = false;
  let tailTimer: NodeJS.Timeout | null = null;
  /** Ticks run one after another (a timer tick and a `settle()` tick must not share the follower). */
  let tailChain: Promise<void> = Promise.resolve();
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

  let lastProgressSave = 0;
  function onProgress(p: LoadProgress): void {
    node.phase = p.phase;
    node.progress = Math.round(p.progress * 1000) / 1000;
    node.loadedEvents = p.events;
    if (Date.now() - lastProgressSave >= 500) {
      lastProgressSave = Date.now();
      void reporter.save();
    }
  }

  /** Loads a new model from scratch while the current one serves, then swaps them. */
  function reload(generation: number): Promise<void> {
    reloading ??= (async () => {
      log.info({ generation, node: nodeId }, 'recs: full load started');
      node.state = 'loading';
      node.progress = 0;
      node.phase = 'catalog';
      await reporter.save();
      const fresh = new RecsModel(deps.engineOptions);
      models.loading = fresh;
      const loaded = await loadModel({
        model: fresh,
        store,
        listings: deps.listings,
        selfId: nodeId,
        retentionDays: deps.retentionDays,
        log,
        onProgress,
      });
      onProgress({ phase: 'catching_up', progress: 1, events: loaded.events });
      // Catch up with every process, this one included, until nothing is left between the new model
      // and the live one; the last check and the swap happen in one turn of the event loop.
      for (;;) {
        const nodes = await store.listNodes();
        await loaded.follower.catchUp(nodes, (page) => fresh.applyPage(page), {
          includeSelf: true,
          upTo: new Map([[nodeId, ownSeq()]]),
        });
        if (loaded.follower.position(nodeId) >= ownSeq()) break;
      }
      models.serving = fresh;
      follower = loaded.follower;
      models.loading = null;
      Object.assign(node, {
        state: 'ready',
        phase: 'ready',
        progress: 1,
        generation,
        loadedEvents: loaded.events,
        loadMs: loaded.ms,
        loadedAt: new Date(),
      });
      await reporter.save();
      log.info(
        {
          generation,
          loadedEvents: loaded.events,
          days: loaded.days,
          ms: loaded.ms,
          ...fresh.engine.stats(),
        },
        'recs: full load finished',
      );
    })()
      .catch((err: unknown) => {
        models.loading = null;
        node.state = follower ? 'ready' : 'loading';
        node.phase = 'failed';
        log.error({ err }, 'recs: full load failed; the previous model keeps serving');
        void reporter.save();
      })
      .finally(() => {
        reloading = null;
        resolveReady();
      });
    return reloading;
  }

  /** Applies other processes' new pages, notices a requested rebuild, and writes the heartbeat. */
  async function tick(): Promise<void> {
    const nodes = await store.listNodes();
    const m = models.serving;
    const f = follower;
    if (f) {
      await f.catchUp(nodes, (page) => m.applyPage(page));
      f.retain(nodes);
    }
    const rebuild = await store.rebuildControl();
    if (rebuild && rebuild.generation > node.generation && !reloading) void reload(rebuild.generation);
    await reporter.save();
  }

  function runTick(): Promise<void> {
    tailChain = tailChain
      .then(tick)
      .catch((err: unknown) => log.warn({ err }, 'recs: reading other processes’ events failed'));
    return tailChain;
  }

  function scheduleTail(): void {
    if (stopped) return;
    tailTimer = setTimeout(() => void runTick().finally(scheduleTail), deps.tailMs);
    tailTimer.unref();
  }

  return {
    /** Starts the first full load (not awaited) for the current rebuild generation, and the tailing. */
    async start(): Promise<void> {
      const rebuild = await store.rebuildControl();
      void reload(rebuild?.generation ?? 0);
      scheduleTail();
    },

    /** Resolves once the first full load has finished (or failed). */
    ready: () => readyPromise,

    /** A listing changed (or went away): both the serving model and one being loaded follow it. */
    async applyListing(productId: string): Promise<void> {
      const listing: ListingLike | null = await deps.listings.getListing(productId);
      for (const m of [models.serving, models.loading]) {
        if (!m) continue;
        if (listing) m.upsertListing(listing);
        else m.removeItem(productId);
      }
    },

    /** Enqueues a full rebuild (one per minute at most: a second request joins the first). */
    async requestRebuild() {
      const minute = new Date().toISOString().slice(0, 16);
      return deps.queue.enqueue(RECS_REBUILD_JOB, {}, { dedupeKey: `rebuild:${minute}`, maxAttempts: 2 });
    },

    /** Waits for a load under way, then reads other processes' pages once. */
    async settle(): Promise<void> {
      if (reloading) await reloading;
      await runTick();
    },

    /** Stops tailing; the tick under way finishes first. */
    async stopTailing(): Promise<void> {
      stopped = true;
      if (tailTimer) clearTimeout(tailTimer);
      await tailChain;
    },

    /** Resolves when no load is under way (a load started before `stop` runs to its end). */
    async loadFinished(): Promise<void> {
      if (reloading) await reloading;
    },
  };
}

export type ModelLifecycle = ReturnType<typeof createModelLifecycle>;
