import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import type { CatalogService } from '../catalog';
import type { CategoryService } from '../categories';
import { systemClock, type Clock } from '../clock';
import type { EventBus } from '../events';
import type { Logger } from '../logger';
import type { Order, OrderService } from '../orders';
import { cityOf, interactionContributions, type InteractionEvent, type ProductFacts } from './contributions';
import { createOrderBatches } from './order-batches';
import { mapPooled } from '../map-pooled';
import { createDayCache } from './day-cache';
import { createLiveView } from './live';
import { controlCollection, type ControlDoc } from './model';
import { createReports } from './reports';
import { createSegmentReader } from './segments';
import { analyticsTable } from './tables';
import { createRollupWriter } from './rollups';
import { localSlot } from './time';
import {
  PLATFORM,
  type AnalyticsTableName,
  type Comparison,
  type Contribution,
  type DateRange,
} from './types';

export const ANALYTICS_REBUILD_JOB = 'analytics.rebuild';
/** Applies noted order events to the day rollups and customer figures (frequent; live events also wake it). */
export const ANALYTICS_ORDERS_JOB = 'analytics.orders';

/** A page of interaction events as the recommender's store keeps it; `id` is unique per page. */
export interface InteractionPage {
  id: string;
  events: InteractionEvent[];
}

/** Where a rebuild reads interaction history from (the recommender's event store, given by the app). */
export type InteractionHistory = () => AsyncIterable<InteractionPage>;

const FACTS_CACHE_LIMIT = 50_000;
/** Settled day entries kept per process (a 365-day dashboard of one scope is 7 × 365 of them). */
const DAY_CACHE_LIMIT = 200_000;
const DAY_CACHE_MAX_AGE_MS = 15 * 60_000;
/** How long stopping waits for order events being noted and interaction pages being applied. */
const IN_FLIGHT_WAIT_MS = 5_000;

/**
 * Sales, funnel and search analytics: rollups per shop and for the platform, per local day, built from
 * the orders' event streams and the interaction events, read by the dashboards. See `rollups.ts` for why
 * an event counts once however often it is applied.
 */
export function createAnalyticsService(deps: {
  connection: Connection;
  bus: EventBus;
  log: Logger;
  orders: Pick<OrderService, 'get' | 'pageByCreation' | 'countAll'>;
  catalog: Pick<CatalogService, 'requireProduct'>;
  categories: Pick<CategoryService, 'get'>;
  timeZone: string;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  const writer = createRollupWriter({ connection: deps.connection, clock: deps.clock });
  const control = controlCollection(deps.connection);

  async function controlDoc(): Promise<ControlDoc> {
    return (
      (await control.findOne({ _id: 'generation' })) ?? {
        _id: 'generation',
        active: 1,
        building: null,
        jobId: null,
        progress: null,
        updatedAt: new Date(0),
      }
    );
  }

  /** Generations a live event goes to: the one read, and the one being rebuilt. */
  async function liveGenerations(): Promise<number[]> {
    const c = await controlDoc();
    return c.building && c.building !== c.active ? [c.active, c.building] : [c.active];
  }

  const today = () => localSlot(now(), deps.timeZone).day;
  const activeGeneration = async () => (await controlDoc()).active;
  const cache = createDayCache({
    limit: DAY_CACHE_LIMIT,
    maxAgeMs: DAY_CACHE_MAX_AGE_MS,
    now: () => now().getTime(),
  });
  const reports = createReports({
    writer,
    generation: activeGeneration,
    timeZone: deps.timeZone,
    today,
    cache,
  });
  const orderBatches = createOrderBatches({
    connection: deps.connection,
    writer,
    orders: deps.orders,
    factsFor: (ids) => factsFor(ids),
    liveGenerations: () => liveGenerations(),
    timeZone: deps.timeZone,
    onDaysChanged: (changes) => announce(changes),
    log: deps.log,
    clock: deps.clock,
  });
  const segments = createSegmentReader({
    batches: orderBatches,
    generation: activeGeneration,
    timeZone: deps.timeZone,
    today,
    cache,
  });

  const live = createLiveView({ now });

  /** A product's seller, name and category; `null` for one deleted since (its events count for the platform only). */
  const facts = new Map<string, ProductFacts | null>();
  async function factsFor(productIds: Iterable<string>): Promise<Map<string, ProductFacts | null>> {
    const missing = [...new Set(productIds)].filter((id) => !facts.has(id));
    await Promise.all(
      missing.map(async (id) => {
        const product = await deps.catalog.requireProduct(id).catch(() => null);
        const category = product ? await deps.categories.get(product.categoryId) : null;
        if (facts.size >= FACTS_CACHE_LIMIT) facts.clear();
        facts.set(
          id,
          product && {
            sellerId: product.sellerId,
            name: product.name,
            categoryId: product.categoryId,
            categoryName: category?.name ?? product.categoryId,
          },
        );
      }),
    );
    return facts;
  }

  async function applyAll(generations: number[], ref: string, contributions: Contribution[]): Promise<void> {
    for (const generation of generations) {
      for (const c of contributions) await writer.apply(generation, ref, c);
    }
  }

  async function announce(contributions: Array<Pick<Contribution, 'scope' | 'day'>>): Promise<void> {
    const at = now().toISOString();
    const seen = new Set<string>();
    for (const c of contributions) {
      const key = `${c.scope}|${c.day}`;
      if (seen.has(key)) continue;
      seen.add(key);
      await deps.bus.publish('analytics.updated', { scope: c.scope, day: c.day, at });
    }
  }

  /** The entries of an order's stream up to `upTo` (all of them without it), as runner notes. */
  const orderEvents = (order: Order, upTo?: number) =>
    order.timeline
      .filter((e) => upTo === undefined || e.version <= upTo)
      .map((e) => ({ orderId: order.id, version: e.version }));

  /**
   * Notes an order event for the batch runner, with the entries before it: an order's creation is not
   * published on the bus (only its later events are), and a note a crash lost comes back with the next
   * event. Entries applied before are found by their marks and count once.
   */
  async function applyOrderEvent(orderId: string, version: number): Promise<void> {
    const order = await deps.orders.get(orderId);
    await orderBatches.enqueue(orderEvents(order, version));
    orderBatches.wake();
    const entry = order.timeline.find((e) => e.version === version);
    if (entry?.event === 'status' && entry.status === 'paid') {
      await deps.bus.publish('analytics.live_order', {
        scopes: [order.sellerId, PLATFORM],
        order: {
          orderId: order.id,
          shopName: order.shopName,
          total: order.totals.total,
          units: order.lines.reduce((sum, l) => sum + l.qty, 0),
          city: cityOf(order),
          at: new Date(entry.at).toISOString(),
        },
      });
    }
  }

  /** Work a shutdown waits for (boundedly) before the store closes: events being noted, pages applied. */
  const inFlight = new Set<Promise<unknown>>();
  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    const done = () => void inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  async function applyInteractionPage(
    page: InteractionPage,
    generations?: number[],
  ): Promise<Contribution[]> {
    const productFacts = await factsFor(page.events.flatMap((e) => (e.i ? [e.i] : [])));
    const contributions = interactionContributions(page.events, deps.timeZone, productFacts);
    await applyAll(generations ?? (await liveGenerations()), `i:${page.id}`, contributions);
    return contributions;
  }

  return {
    reports,
    overview: (scope: string, range: DateRange, comparison: Comparison) =>
      reports.overview(scope, range, comparison),
    table: (scope: string, range: DateRange, comparison: Comparison, name: AnalyticsTableName) =>
      analyticsTable(reports, scope, range, comparison, name),
    timeZone: deps.timeZone,
    /** Today's local day in the analytics time zone. */
    today,
    /** Customer segments, cohorts, a segment's members (segments.ts). */
    segments,
    applyOrderEvent,
    /** Applies every noted order event to the rollups and customer figures (the frequent job; tests). */
    drainOrders: (signal?: AbortSignal) => orderBatches.drainFully(signal),
    async applyInteractionPage(page: InteractionPage): Promise<void> {
      const contributions = await track(applyInteractionPage(page));
      await announce(contributions);
      const visitors: Record<string, string[]> = {};
      for (const c of contributions) if (c.visitors?.length) visitors[c.scope] = c.visitors;
      if (Object.keys(visitors).length)
        await deps.bus.publish('analytics.visitors', { visitors, at: now().toISOString() });
    },
    /** Visitors in the last five minutes, paid orders per minute over the last hour, the latest paid orders. */
    live: (scope: string) => live.snapshot(scope),
    status: controlDoc,

    /**
     * Follows the orders' events in this cluster (each event once, at least once). The returned stop
     * waits (boundedly) for the events being noted and for the order batch in hand.
     */
    start(): () => Promise<void> {
      // Any process's late event on a settled day: forget what this one keeps of it.
      const stopForgetting = deps.bus.subscribe('analytics.updated', (e) => reports.forget(e.scope, e.day));
      const stopLiveOrders = deps.bus.subscribe('analytics.live_order', (e) =>
        live.recordOrder(e.scopes, e.order),
      );
      const stopLiveVisitors = deps.bus.subscribe('analytics.visitors', (e) => {
        for (const [scope, actors] of Object.entries(e.visitors))
          live.recordVisitors(scope, actors, new Date(e.at));
      });
      const stopFollowing = deps.bus.subscribe(
        'order.status_changed',
        async (e) => {
          await track(applyOrderEvent(e.orderId, e.version)).catch((err: unknown) => {
            // The rollup stays exact (the order's next event or a rebuild brings it, never twice).
            deps.log.error(
              { err, orderId: e.orderId, version: e.version },
              'analytics: order event not noted',
            );
          });
        },
        { origin: 'local' },
      );
      return async () => {
        stopForgetting();
        stopLiveOrders();
        stopLiveVisitors();
        stopFollowing();
        // Before the store closes under them (they would fail half-way and log an error on every shutdown).
        await Promise.race([
          Promise.allSettled(inFlight),
          sleep(IN_FLIGHT_WAIT_MS, undefined, { ref: false }),
        ]);
        await orderBatches.settle();
      };
    },

    /**
     * Rebuilds every rollup from history into a new generation while live events go to both, then
     * switches the dashboards to it and drops the old one. Resumable: a retried job continues the same
     * generation, and what it applied before counts once.
     */
    async rebuild(
      history: InteractionHistory,
      job: { jobId: string; heartbeat?: () => Promise<void>; signal?: AbortSignal },
    ): Promise<{ generation: number; orders: number; interactionPages: number }> {
      const start = await controlDoc();
      const generation = start.building ?? start.active + 1;
      const setProgress = (progress: ControlDoc['progress']) =>
        control.updateOne(
          { _id: 'generation' },
          {
            $set: {
              active: start.active,
              building: generation,
              jobId: job.jobId,
              progress,
              updatedAt: now(),
            },
          },
          { upsert: true },
        );
      const total = await deps.orders.countAll();
      await setProgress({ phase: 'orders', done: 0, total });
      let done = 0;
      let after: { createdAt: Date; id: string } | null = null;
      for (;;) {
        job.signal?.throwIfAborted();
        const page = await deps.orders.pageByCreation(after, 200);
        if (!page.length) break;
        const orders = await mapPooled(page, ({ id }) => deps.orders.get(id));
        // In creation order, so a batch's events fall on a few days and collapse into few appends.
        await orderBatches.enqueue(
          orders.flatMap((order) => orderEvents(order)),
          generation,
        );
        await orderBatches.drainFully(job.signal);
        done += page.length;
        after = page[page.length - 1]!;
        await setProgress({ phase: 'orders', done, total: Math.max(total, done) });
        await job.heartbeat?.();
      }
      let pages = 0;
      for await (const page of history()) {
        job.signal?.throwIfAborted();
        await applyInteractionPage(page, [generation]);
        if (++pages % 20 === 0) {
          await setProgress({ phase: 'interactions', done: pages, total: 0 });
          await job.heartbeat?.();
        }
      }
      // Live payments noted while building reach the new generation before it is read.
      await orderBatches.drainFully(job.signal);
      await control.updateOne(
        { _id: 'generation' },
        {
          $set: {
            active: generation,
            building: null,
            jobId: job.jobId,
            progress: { phase: 'done', done: done + pages, total: done + pages },
            updatedAt: now(),
          },
        },
        { upsert: true },
      );
      await dropGeneration(start.active === generation ? 0 : start.active);
      return { generation, orders: done, interactionPages: pages };
    },
  };

  /** Deletes a generation nobody reads any more (a job's work: these filters scan the collections). */
  async function dropGeneration(generation: number): Promise<void> {
    if (generation <= 0) return;
    const prefix = new RegExp(`^g${generation}\\|`);
    await writer.ledger.collection.deleteMany({ stream: prefix } as never);
    await deps.connection.collection('analytics_rollup_heads').deleteMany({ _id: prefix } as never);
    await deps.connection.collection('analytics_rollups_refs').deleteMany({ _id: prefix } as never);
    await writer.claims.deleteMany({ generation });
    await orderBatches.dropGeneration(generation);
  }
}

export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
