import type { Logger } from '@market/core';
import { dayOf, DAY_MS } from './buckets';
import { StreamFollower } from './follower';
import type { ListingLike, RecsModel } from './model';
import type { EventStore } from './store';

export interface LoadProgress {
  phase: 'catalog' | 'events' | 'catching_up';
  /** 0…1: the catalog is the first tenth, then one step per day bucket. */
  progress: number;
  events: number;
}

export interface LoadedModel {
  model: RecsModel;
  follower: StreamFollower;
  events: number;
  days: number;
  ms: number;
}

/** The listings the storefront serves (core `listings`), read from its in-memory index. */
export interface ListingSource {
  sourceVersions(): IterableIterator<[id: string, sourceVersion: number]>;
  getListing(id: string): Promise<ListingLike | null>;
}

/**
 * Builds a model from scratch: the catalog from the listing index, then every page of the retention
 * window, day bucket by day bucket, oldest first. The node documents are read before the scan, so every
 * page at or below a process's `lastSeq` then is in the scan; pages written during the scan are applied
 * if met and remembered, so tailing skips them.
 */
export async function loadModel(deps: {
  /** A fresh model; catalog changes may reach it while it loads. */
  model: RecsModel;
  store: EventStore;
  listings: ListingSource;
  selfId: string;
  retentionDays: number;
  log: Logger;
  onProgress?: (p: LoadProgress) => void;
}): Promise<LoadedModel> {
  const started = performance.now();
  const { store, log } = deps;
  const { model } = deps;
  const report = (p: LoadProgress) => deps.onProgress?.(p);

  report({ phase: 'catalog', progress: 0, events: 0 });
  let items = 0;
  for (const [id] of deps.listings.sourceVersions()) {
    const listing = await deps.listings.getListing(id);
    if (listing) model.upsertListing(listing);
    if (++items % 20_000 === 0) await yieldToRequests();
  }

  const follower = new StreamFollower(store, deps.selfId);
  follower.startFrom(await store.listNodes());
  const oldest = dayOf(Date.now() - deps.retentionDays * DAY_MS);
  const days = (await store.eventDays()).filter((d) => d >= oldest);
  log.info({ items, days: days.length }, 'recs: catalog loaded; loading interaction events');
  report({ phase: 'events', progress: 0.1, events: 0 });

  let pages = 0;
  for (const [n, day] of days.entries()) {
    for await (const page of store.scanDay(day)) {
      follower.noteLoaded(page);
      model.applyPage(page);
      // A long load must not starve the requests this process is serving with the previous model.
      if (++pages % 50 === 0) await yieldToRequests();
    }
    const progress = 0.1 + (0.9 * (n + 1)) / days.length;
    log.info(
      { day, events: model.applied, progress: Math.round(progress * 100) / 100 },
      `recs: loaded ${n + 1}/${days.length} days of events`,
    );
    report({ phase: 'events', progress, events: model.applied });
  }
  const ms = Math.round(performance.now() - started);
  return { model, follower, events: model.applied, days: days.length, ms };
}

function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
