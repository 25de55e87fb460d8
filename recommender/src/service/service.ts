import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config, CoreServices, EventBus, Logger, Redis } from '@market/core';
import type { Connection } from 'mongoose';
import { priceBand } from '../profiles';
import type { InteractionType, RecommenderOptions, Scored } from '../types';
import { dayOf } from './buckets';
import { createMemoryCache, createRedisCache, type RecsCache } from './cache';
import {
  recommended,
  summaryOf,
  type Names,
  type ProductSummary,
  type RecommendedProduct,
  type SummarySource,
} from './cards';
import type { StreamFollower } from './follower';
import {
  createRecsJobHandlers,
  isLive,
  RECS_ERASE_JOB,
  RECS_REBUILD_JOB,
  type EraseActorPayload,
} from './jobs';
import { loadModel, type LoadProgress } from './loader';
import { RecsModel, type ListingLike } from './model';
import { createRecorder, type PendingEvent } from './recorder';
import { createEventStore } from './store';
import type { EventPage, NodeDoc, NodeState, StoredEvent } from './types';

export interface EventInput {
  type: InteractionType | 'search';
  itemId?: string;
  q?: string;
  /** Epoch ms; the server's clock when absent. */
  at?: number;
  /** A client-chosen id: sending the same event again (a retried beacon) stores it once. */
  clientId?: string;
  /** Purchases: the order, so a redelivered `order.status_changed` records each line once. */
  orderId?: string;
}

export interface HotQuery {
  limit: number;
  categoryId?: string;
  sellerId?: string;
  trending?: boolean;
}

export interface ProfileView {
  actorId: string;
  events: number;
  categories: { id: string; name: string; nameZh: string; weight: number }[];
  brands: { name: string; weight: number }[];
  priceBands: { band: string; weight: number }[];
  recentlyViewed: ProductSummary[];
  purchased: ProductSummary[];
  recentSearches: { q: string; at: string }[];
  /** What the feed shows this actor now, each with its reasons ("why am I seeing this"). */
  recommendations: RecommendedProduct[];
}

export interface FeedView {
  /** False for a visitor we know nothing about: the items are the hot list. */
  personal: boolean;
  items: RecommendedProduct[];
  /** Neighbours of the item viewed last, for a "because you viewed …" strip. */
  becauseYouViewed: { product: ProductSummary; items: RecommendedProduct[] } | null;
}

export interface NodeStatus {
  id: string;
  host: string;
  pid: number;
  live: boolean;
  state: NodeState;
  phase: string;
  progress: number;
  generation: number;
  heartbeatAt: string;
  loadedAt: string | null;
  loadMs: number | null;
  loadedEvents: number;
  items: number;
  actors: number;
  events: number;
  buffered: number;
  dropped: number;
  lastSeq: number;
  rss: number;
  heapUsed: number;
}

export interface RecsStatus {
  thisNode: string;
  retentionDays: number;
  cache: 'memory' | 'redis';
  generation: number;
  nodes: NodeStatus[];
  rebuild: {
    jobId: string | null;
    requestedAt: string | null;
    status: string | null;
    result: unknown;
    lastError: string | null;
  };
}

/** A listing as the recommender reads it: catalog facts and the card fields. */
type Listing = ListingLike & SummarySource;

/** Client timestamps are trusted within this much of the server's clock (a beacon holds events briefly). */
const CLIENT_SKEW_MS = 10 * 60_000;
const WINDOW_MS = 10 * 60_000;
const BUFFER_LIMIT = 100_000;
const HOT_CACHE_VERSION = 1;
/** A "because you viewed" strip shorter than this is not worth a row. */
const MIN_STRIP = 3;

/**
 * The recommender as a live part of the marketplace, one per app process (recommender/README.md,
 * "Serving"). It records interaction events (memory first, the store in batches), keeps its in-memory
 * engine current from its own pages at once and from other processes' pages by tailing, follows the
 * catalog through the listing read model, and answers with product summaries joined in.
 */
export function createRecsService(deps: {
  config: Config;
  log: Logger;
  connection: Connection;
  bus: EventBus;
  core: Pick<CoreServices, 'listings' | 'orders' | 'queue' | 'categories'>;
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

  let model = new RecsModel(engineOptions);
  let follower: StreamFollower | null = null;
  /** The model being loaded, which catalog changes reach as well. */
  let nextModel: RecsModel | null = null;
  let reloading: Promise<void> | null = null;
  let ownSeq = 0;
  let stopped = false;
  let tailTimer: NodeJS.Timeout | null = null;
  /** Ticks run one after another (a timer tick and a `settled()` tick must not share the follower). */
  let tailChain: Promise<void> = Promise.resolve();
  const offs: (() => void)[] = [];
  let resolveReady!: () => void;
  const readyPromise = new Promise<void>((resolve) => (resolveReady = resolve));

  const node: NodeDoc = {
    _id: nodeId,
    host: hostname(),
    pid: process.pid,
    startedAt: new Date(),
    heartbeatAt: new Date(),
    lastSeq: 0,
    lastDay: null,
    generation: 0,
    state: 'loading',
    progress: 0,
    phase: 'starting',
    loadedEvents: 0,
    loadMs: null,
    loadedAt: null,
    items: 0,
    actors: 0,
    events: 0,
    buffered: 0,
    dropped: 0,
    rss: 0,
    heapUsed: 0,
  };

  // Every write of this process's node document goes through one chain, whole document at a time:
  // FerretDB applies an update by rewriting the document, so two concurrent partial updates could undo
  // each other (a lost `lastSeq` would hide a page from the other processes).
  let nodeWrite: Promise<void> = Promise.resolve();
  let nodeWriteQueued = false;
  function saveNode(): Promise<void> {
    if (nodeWriteQueued) return nodeWrite;
    nodeWriteQueued = true;
    nodeWrite = nodeWrite.then(async () => {
      nodeWriteQueued = false;
      const stats = model.engine.stats();
      const recorded = recorder.stats();
      const memory = process.memoryUsage();
      Object.assign(node, {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        heartbeatAt: new Date(),
        items: stats.items,
        actors: stats.actors,
        events: stats.events,
        buffered: recorded.buffered,
        dropped: recorded.dropped,
      });
      await store
        .saveNode({ ...node })
        .catch((err: unknown) => log.warn({ err }, 'recs: node status not saved'));
    });
    return nodeWrite;
  }

  const recorder = createRecorder({
    store,
    nodeId,
    log,
    onPage: async (page) => {
      ownSeq = page.seq;
      model.applyPage(page);
      node.lastSeq = page.seq;
      node.lastDay = dayOf(page.at.getTime());
      await saveNode();
    },
    options: { windowMs: WINDOW_MS, maxBuffered: BUFFER_LIMIT },
  });

  // ---- recording -------------------------------------------------------------------------------

  function keyOf(e: StoredEvent, input: EventInput): { key: string; windowKey: string | null } {
    const subject = e.t === 'search' ? `q:${e.q}` : (e.i ?? '');
    const windowKey = `${e.a}|${e.t}|${subject}`;
    if (e.t === 'purchase' && input.orderId) return { key: `p:${input.orderId}:${e.i}`, windowKey: null };
    if (input.clientId) return { key: `c:${e.a}:${input.clientId}`, windowKey };
    return { key: `w:${e.a}:${e.t}:${subject}:${Math.floor(e.at / WINDOW_MS)}`, windowKey };
  }

  function record(actorId: string, input: EventInput): 'queued' | 'duplicate' | 'dropped' {
    const now = Date.now();
    const at = input.at === undefined ? now : Math.min(now, Math.max(now - CLIENT_SKEW_MS, input.at));
    const event: StoredEvent = { a: actorId, t: input.type, at };
    if (input.itemId) event.i = input.itemId;
    if (input.q) event.q = input.q.trim().slice(0, 200).toLowerCase();
    const pending: PendingEvent = { event, ...keyOf(event, input) };
    return recorder.offer(pending);
  }

  function control(event: StoredEvent, key: string): void {
    recorder.offer({ event, key, windowKey: null });
  }

  // ---- catalog and purchases ---------------------------------------------------------------------

  async function applyListing(productId: string): Promise<void> {
    const listing: Listing | null = await core.listings.getListing(productId);
    for (const m of [model, nextModel]) {
      if (!m) continue;
      if (listing) m.upsertListing(listing);
      else m.removeItem(productId);
    }
  }

  async function recordPurchases(e: { orderId: string; buyerId: string; at: string }): Promise<void> {
    const order = await core.orders.get(e.orderId);
    const at = Date.parse(e.at) || Date.now();
    for (const line of order.lines) {
      record(e.buyerId, { type: 'purchase', itemId: line.productId, orderId: e.orderId, at });
    }
  }

  // ---- loading and tailing -----------------------------------------------------------------------

  let lastProgressSave = 0;
  function onProgress(p: LoadProgress): void {
    node.phase = p.phase;
    node.progress = Math.round(p.progress * 1000) / 1000;
    node.loadedEvents = p.events;
    if (Date.now() - lastProgressSave >= 500) {
      lastProgressSave = Date.now();
      void saveNode();
    }
  }

  /** Loads a new model from scratch while the current one serves, then swaps them. */
  function reload(generation: number): Promise<void> {
    reloading ??= (async () => {
      log.info({ generation, node: nodeId }, 'recs: full load started');
      node.state = 'loading';
      node.progress = 0;
      node.phase = 'catalog';
      await saveNode();
      const fresh = new RecsModel(engineOptions);
      nextModel = fresh;
      const loaded = await loadModel({
        model: fresh,
        store,
        listings: core.listings,
        selfId: nodeId,
        retentionDays,
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
          upTo: new Map([[nodeId, ownSeq]]),
        });
        if (loaded.follower.position(nodeId) >= ownSeq) break;
      }
      model = fresh;
      follower = loaded.follower;
      nextModel = null;
      Object.assign(node, {
        state: 'ready',
        phase: 'ready',
        progress: 1,
        generation,
        loadedEvents: loaded.events,
        loadMs: loaded.ms,
        loadedAt: new Date(),
      });
      await saveNode();
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
        nextModel = null;
        node.state = follower ? 'ready' : 'loading';
        node.phase = 'failed';
        log.error({ err }, 'recs: full load failed; the previous model keeps serving');
        void saveNode();
      })
      .finally(() => {
        reloading = null;
        resolveReady();
      });
    return reloading;
  }

  async function tick(): Promise<void> {
    const nodes = await store.listNodes();
    const m = model;
    const f = follower;
    if (f) {
      await f.catchUp(nodes, (page) => m.applyPage(page));
      f.retain(nodes);
    }
    const rebuild = await store.rebuildControl();
    if (rebuild && rebuild.generation > node.generation && !reloading) void reload(rebuild.generation);
    await saveNode();
  }

  function runTick(): Promise<void> {
    tailChain = tailChain
      .then(tick)
      .catch((err: unknown) => log.warn({ err }, 'recs: reading other processes’ events failed'));
    return tailChain;
  }

  function scheduleTail(): void {
    if (stopped) return;
    tailTimer = setTimeout(() => void runTick().finally(scheduleTail), tailMs);
    tailTimer.unref();
  }

  // ---- answers ------------------------------------------------------------------------------------

  async function listingsOf(ids: Iterable<string>): Promise<Map<string, Listing>> {
    const unique = [...new Set(ids)];
    const docs: (Listing | null)[] = await Promise.all(unique.map((id) => core.listings.getListing(id)));
    const map = new Map<string, Listing>();
    docs.forEach((doc, k) => {
      if (doc) map.set(unique[k]!, doc);
    });
    return map;
  }

  async function namesFor(listings: Map<string, { name: string; nameZh: string }>): Promise<Names> {
    const categories = new Map((await core.categories.list()).map((c) => [c.id, c]));
    return {
      product: (id) => {
        const l = listings.get(id);
        return l ? { name: l.name, nameZh: l.nameZh } : null;
      },
      category: (id) => {
        const c = categories.get(id);
        return c ? { name: c.name, nameZh: c.nameZh } : null;
      },
    };
  }

  /** Scored ids → recommended products (with the items their reasons name). */
  async function join(scored: Scored[], limit: number): Promise<RecommendedProduct[]> {
    const ids = scored.flatMap((s) => [
      s.itemId,
      ...s.reasons.flatMap((r) => ('itemId' in r ? [r.itemId] : [])),
    ]);
    const listings = await listingsOf(ids);
    return recommended(scored, (id) => listings.get(id), await namesFor(listings), { limit });
  }

  /** Asks for more than needed: some candidates drop out at the join (sold out, delisted). */
  const overfetch = (limit: number) => limit * 2 + 10;

  async function hot(q: HotQuery): Promise<RecommendedProduct[]> {
    const key = `hot:v${HOT_CACHE_VERSION}:${q.limit}:${q.categoryId ?? ''}:${q.sellerId ?? ''}:${q.trending ? 1 : 0}`;
    if (hotCacheMs > 0) {
      const cached = await cache.get(key).catch((err: unknown) => {
        log.warn({ err }, 'recs: cache read failed');
        return null;
      });
      if (cached) return JSON.parse(cached) as RecommendedProduct[];
    }
    const items = await join(
      model.engine.hot({
        now: Date.now(),
        limit: overfetch(q.limit),
        categoryId: q.categoryId,
        sellerId: q.sellerId,
        trending: q.trending,
      }),
      q.limit,
    );
    if (hotCacheMs > 0) {
      await cache
        .set(key, JSON.stringify(items), hotCacheMs)
        .catch((err: unknown) => log.warn({ err }, 'recs: cache write failed'));
    }
    return items;
  }

  async function feed(actorId: string, limit: number): Promise<FeedView> {
    await recorder.appliedFor(actorId);
    const now = Date.now();
    const engine = model.engine;
    const profile = engine.profile(actorId, now);
    const items = await join(engine.feed(actorId, { now, limit: overfetch(limit) }), limit);
    let becauseYouViewed: FeedView['becauseYouViewed'] = null;
    const seed = profile?.recentlyViewed[0];
    if (profile && seed) {
      // Neighbours of the last item viewed that the main feed does not already show.
      const shown = new Set([
        ...profile.recentlyViewed,
        ...profile.purchased,
        ...items.map((i) => i.product.id),
      ]);
      const neighbours = engine.similar(seed, { now, limit: 40 }).filter((s) => !shown.has(s.itemId));
      const [seedListing] = (await listingsOf([seed])).values();
      const joined = await join(neighbours, limit);
      if (seedListing && joined.length >= MIN_STRIP)
        becauseYouViewed = { product: summaryOf(seedListing), items: joined };
    }
    return { personal: profile !== null && profile.events > 0, items, becauseYouViewed };
  }

  async function profileOf(actorId: string): Promise<ProfileView> {
    await recorder.appliedFor(actorId);
    const now = Date.now();
    const profile = model.engine.profile(actorId, now);
    const listings = await listingsOf([...(profile?.recentlyViewed ?? []), ...(profile?.purchased ?? [])]);
    const categories = new Map((await core.categories.list()).map((c) => [c.id, c]));
    const summaries = (ids: string[]) =>
      ids.flatMap((id) => {
        const l = listings.get(id);
        return l ? [summaryOf(l)] : [];
      });
    const round = (w: number) => Math.round(w * 1000) / 1000;
    return {
      actorId,
      events: profile?.events ?? 0,
      categories: (profile?.categories ?? []).map((c) => ({
        id: c.id,
        name: categories.get(c.id)?.name ?? c.id,
        nameZh: categories.get(c.id)?.nameZh ?? '',
        weight: round(c.weight),
      })),
      brands: (profile?.brands ?? []).map((b) => ({ name: b.name, weight: round(b.weight) })),
      priceBands: (profile?.priceBands ?? []).map((b) => ({ band: b.band, weight: round(b.weight) })),
      recentlyViewed: summaries(profile?.recentlyViewed ?? []),
      purchased: summaries(profile?.purchased ?? []),
      recentSearches: model.searches.of(actorId).map((s) => ({ q: s.q, at: new Date(s.at).toISOString() })),
      recommendations: (await feed(actorId, 8)).items,
    };
  }

  return {
    nodeId,
    store,
    cacheKind: cache.kind,

    /** Subscribes to the catalog and orders, starts the first full load (not awaited) and the tailing. */
    async start(): Promise<void> {
      await store.saveNode({ ...node });
      offs.push(
        core.listings.onChange((productId) => {
          applyListing(productId).catch((err: unknown) =>
            log.warn({ err, productId }, 'recs: catalog update failed'),
          );
        }),
        deps.bus.subscribe('order.status_changed', (e) => {
          if (e.event !== 'status' || e.status !== 'paid') return;
          return recordPurchases(e);
        }),
      );
      const rebuild = await store.rebuildControl();
      void reload(rebuild?.generation ?? 0);
      scheduleTail();
    },

    /** Resolves once the first full load has finished (or failed). */
    ready: () => readyPromise,

    record,

    /** False while the write buffer is more than half full: clients should send their events later. */
    acceptsClientEvents: () => recorder.stats().buffered < BUFFER_LIMIT / 2,

    /** An anonymous visitor logged in: their history becomes the account's, on every process. */
    link(anonymousId: string, userId: string): void {
      if (anonymousId === userId) return;
      model.engine.mergeActor(anonymousId, userId);
      model.searches.merge(anonymousId, userId);
      control({ a: anonymousId, t: 'link', to: userId, at: Date.now() }, `l:${anonymousId}:${userId}`);
    },

    /**
     * Forgets an actor now in this process, on every other one through the event stream (a `reset`
     * record, which a later full load replays too), and erases their stored events with a durable job.
     */
    async reset(actorId: string): Promise<{ eraseJobId: string }> {
      const at = Date.now();
      model.engine.forget(actorId);
      model.searches.forget(actorId);
      recorder.forgetActor(actorId);
      control({ a: actorId, t: 'reset', at }, `r:${actorId}:${at}`);
      const payload: EraseActorPayload = { actorId, until: at };
      const job = await core.queue.enqueue(RECS_ERASE_JOB, payload, { delayMs: 1000 });
      return { eraseJobId: job.id };
    },

    hot,

    async similar(itemId: string, limit: number): Promise<RecommendedProduct[]> {
      return join(model.engine.similar(itemId, { now: Date.now(), limit: overfetch(limit) }), limit);
    },

    async boughtTogether(itemId: string, limit: number): Promise<RecommendedProduct[]> {
      return join(model.engine.boughtTogether(itemId, { now: Date.now(), limit: overfetch(limit) }), limit);
    },

    feed,

    profile: profileOf,

    /**
     * A light personal bonus for search ranking: the actor's share of affinity to a result's leaf
     * category, plus half their brand share and a quarter of their price-band share (0 … 1.75). Null when
     * the actor has no history, so search ranks as it always does.
     */
    affinity(
      actorId: string,
    ): ((doc: { categoryId?: unknown; brand?: unknown; priceMin?: unknown }) => number) | null {
      const profile = model.engine.profile(actorId, Date.now());
      if (!profile || profile.events === 0) return null;
      const categories = new Map(profile.categories.map((c) => [c.id, c.weight]));
      const brands = new Map(profile.brands.map((b) => [b.name, b.weight]));
      const bands = new Map(profile.priceBands.map((b) => [b.band, b.weight]));
      return (doc) =>
        (typeof doc.categoryId === 'string' ? (categories.get(doc.categoryId) ?? 0) : 0) +
        0.5 * (typeof doc.brand === 'string' ? (brands.get(doc.brand) ?? 0) : 0) +
        0.25 * (typeof doc.priceMin === 'number' ? (bands.get(priceBand(doc.priceMin)) ?? 0) : 0);
    },

    async status(): Promise<RecsStatus> {
      const [nodes, rebuild] = await Promise.all([store.listNodes(), store.rebuildControl()]);
      const job = rebuild?.jobId ? await core.queue.get(rebuild.jobId) : null;
      const now = Date.now();
      return {
        thisNode: nodeId,
        retentionDays,
        cache: cache.kind,
        generation: rebuild?.generation ?? 0,
        nodes: nodes
          .sort((a, b) => a._id.localeCompare(b._id))
          .map((n) => ({
            id: n._id,
            host: n.host,
            pid: n.pid,
            live: isLive(n, tailMs, now),
            state: n.state,
            phase: n.phase,
            progress: n.progress,
            generation: n.generation,
            heartbeatAt: new Date(n.heartbeatAt).toISOString(),
            loadedAt: n.loadedAt ? new Date(n.loadedAt).toISOString() : null,
            loadMs: n.loadMs,
            loadedEvents: n.loadedEvents,
            items: n.items,
            actors: n.actors,
            events: n.events,
            buffered: n.buffered,
            dropped: n.dropped,
            lastSeq: n.lastSeq,
            rss: n.rss ?? 0,
            heapUsed: n.heapUsed ?? 0,
          })),
        rebuild: {
          jobId: rebuild?.jobId ?? null,
          requestedAt: rebuild ? new Date(rebuild.requestedAt).toISOString() : null,
          status: job?.status ?? null,
          result: job?.result ?? null,
          lastError: job?.lastError ?? null,
        },
      };
    },

    /** Enqueues a full rebuild (one per minute at most: a second request joins the first). */
    async requestRebuild() {
      const minute = new Date().toISOString().slice(0, 16);
      return core.queue.enqueue(RECS_REBUILD_JOB, {}, { dedupeKey: `rebuild:${minute}`, maxAttempts: 2 });
    },

    /** Job handlers for the queue (any process that runs jobs may take them). */
    jobHandlers: createRecsJobHandlers({ connection: deps.connection, log, retentionDays, tailMs, store }),

    /** Writes what is buffered, applies it, and reads other processes' pages once (tests, benchmarks). */
    async settled(): Promise<void> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await recorder.flush();
      if (reloading) await reloading;
      await runTick();
    },

    stats: () => ({
      ...model.engine.stats(),
      ...recorder.stats(),
      state: node.state,
      generation: node.generation,
    }),

    async stop(): Promise<void> {
      stopped = true;
      offs.forEach((off) => off());
      if (tailTimer) clearTimeout(tailTimer);
      await tailChain;
      await recorder.stop();
      if (reloading) await reloading;
      node.state = 'stopped';
      await saveNode();
    },
  };
}

export type RecsService = ReturnType<typeof createRecsService>;
export type { EventPage };
