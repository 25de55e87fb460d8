import { setTimeout as sleep } from 'node:timers/promises';
import { ANALYTICS_REBUILD_JOB, RECS_RETENTION_JOB, type AnalyticsService, type Logger } from '@market/core';
import type { JobHandler } from '@market/core/jobs';
import type { Connection } from 'mongoose';
import { dayOf, DAY_MS } from './buckets';
import { createEventStore, type EventStore } from './store';
import type { NodeDoc } from './types';

export { RECS_RETENTION_JOB };
/** Every serving process reloads its recommender from the event store; the job follows their progress. */
export const RECS_REBUILD_JOB = 'recs.rebuild';
/** Deletes one actor's stored events (after a profile reset). */
export const RECS_ERASE_JOB = 'recs.erase_actor';

/** Dedupe keys outlive the longest dedupe horizon (client retries, the 10-minute window) comfortably. */
const KEY_DAYS = 2;
/** A process that has not written its node document for this long is gone; its document is removed. */
const NODE_EXPIRY_MS = DAY_MS;
const REBUILD_TIMEOUT_MS = 30 * 60_000;

/** A node is serving when it wrote its heartbeat recently and has not said it stopped. */
export function isLive(node: NodeDoc, tailMs: number, now = Date.now()): boolean {
  return (
    node.state !== 'stopped' && now - new Date(node.heartbeatAt).getTime() <= Math.max(10_000, 5 * tailMs)
  );
}

export interface EraseActorPayload {
  actorId: string;
  /** Events at or before this time (epoch ms) are erased; later ones are new history. */
  until: number;
}

/**
 * The recommender's durable jobs. They need only the database, so any process that runs jobs can run
 * them: an app node (RUN_WORKERS) or `npm run workers`.
 */
export function createRecsJobHandlers(deps: {
  connection: Connection;
  log: Logger;
  retentionDays: number;
  tailMs: number;
  store?: EventStore;
  /** Analytics rebuilds its rollups from the orders and from this store's interaction pages. */
  analytics: Pick<AnalyticsService, 'rebuild'>;
}): Record<string, JobHandler> {
  const store = deps.store ?? createEventStore({ connection: deps.connection, log: deps.log });

  async function* interactionPages() {
    for (const day of await store.eventDays()) {
      for await (const page of store.scanDay(day)) yield { id: page._id, events: page.events };
    }
  }

  return {
    /** Rebuilds the analytics rollups from history (progress in `GET /api/admin/analytics/status`). */
    [ANALYTICS_REBUILD_JOB]: (_payload: unknown, ctx) =>
      deps.analytics.rebuild(interactionPages, {
        jobId: ctx.jobId,
        heartbeat: () => ctx.heartbeat(),
        signal: ctx.signal,
      }),

    /**
     * Bumps the rebuild generation, which every serving process notices on its next poll and answers by
     * loading a new model from scratch (the old one serves meanwhile); then waits, heartbeating, until
     * every live process reports the new generation loaded. Progress is in the node documents (admin
     * status) and in the log.
     */
    [RECS_REBUILD_JOB]: async (_payload: unknown, ctx) => {
      const started = Date.now();
      const control = await store.bumpGeneration(ctx.jobId, new Date());
      ctx.log.info({ generation: control.generation }, 'recs: rebuild requested');
      let lastLog = 0;
      for (;;) {
        if (ctx.signal.aborted) throw new Error('rebuild interrupted');
        const live = (await store.listNodes()).filter((n) => isLive(n, deps.tailMs));
        const behind = live.filter((n) => n.generation < control.generation || n.state !== 'ready');
        if (!behind.length) {
          const result = {
            generation: control.generation,
            nodes: live.length,
            events: Math.max(0, ...live.map((n) => n.loadedEvents)),
            ms: Date.now() - started,
          };
          ctx.log.info(result, 'recs: rebuild finished on every serving process');
          return result;
        }
        if (Date.now() - lastLog >= 2000) {
          lastLog = Date.now();
          const progress = live.reduce(
            (sum, n) => sum + (n.generation >= control.generation ? n.progress : 0),
            0,
          );
          ctx.log.info(
            { generation: control.generation, nodes: live.length, waiting: behind.length },
            `recs: rebuilding ${Math.round((100 * progress) / live.length)}%`,
          );
        }
        if (Date.now() - started > REBUILD_TIMEOUT_MS)
          throw new Error('rebuild did not finish in 30 minutes');
        await ctx.heartbeat();
        await sleep(500);
      }
    },

    /**
     * Retention: drops whole day buckets older than RECS_RETENTION_DAYS (the oldest kept day may hold
     * events up to a day older than that), dedupe keys older than two days, and node documents of
     * processes gone for a day.
     */
    [RECS_RETENTION_JOB]: async () => {
      const now = Date.now();
      const dropped = await store.dropBefore(
        dayOf(now - deps.retentionDays * DAY_MS),
        dayOf(now - KEY_DAYS * DAY_MS),
      );
      const gone = (await store.listNodes()).filter(
        (n) => now - new Date(n.heartbeatAt).getTime() > NODE_EXPIRY_MS,
      );
      await store.removeNodes(gone.map((n) => n._id));
      if (dropped.events.length)
        deps.log.info({ days: dropped.events }, 'recs: dropped expired event buckets');
      return { eventDays: dropped.events.length, keyDays: dropped.keys.length, nodes: gone.length };
    },

    /** Erases an actor's stored events up to the reset, and those of visitors that became that actor. */
    [RECS_ERASE_JOB]: async (payload: EraseActorPayload, ctx) => {
      const actors = new Set([payload.actorId]);
      for (const linked of await store.linkedActors(actors)) actors.add(linked);
      const removed = await store.eraseActors(actors, payload.until, () => {
        ctx.heartbeat().catch(() => undefined);
      });
      const keys = await store.eraseKeysOf(actors);
      return { removed, keys, actors: actors.size };
    },
  };
}
