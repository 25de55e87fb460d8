import type { CoreServices, EventBus, Logger, Product } from '@market/core';
import { toSearchDocument } from './document';
import type { SearchDocument, SearchEngine } from './types';

type Sources = Pick<CoreServices, 'catalog' | 'shops' | 'categories' | 'listings' | 'ratings'>;

const BATCH = 500;
const FULL_SCAN_ABOVE = 2000;

/**
 * Keeps the search index in step with the listing read model, which itself follows product and stock
 * events: each listing change is coalesced per product and re-indexed from the product document plus the
 * listing (never from an event payload, so a late or repeated event cannot write stale data).
 * `catchUp` compares the index with the listings at start-up; `reindexAll` rebuilds from the database.
 */
export function createSearchIndexer(deps: {
  engine: SearchEngine;
  core: Sources;
  log: Logger;
  /** Review events move a product's rating; without a bus (a one-off reindex) ratings are read as they are. */
  events?: Pick<EventBus, 'subscribe'>;
}) {
  const { engine, core, log } = deps;

  /**
   * Search documents of the products shoppers may see. A product with no listing yet is left out (its
   * listing change brings it here); one whose listing is hidden (taken down, shop not trading) too, and
   * `reindexProducts` removes it from the index.
   */
  async function documentsFor(products: Product[]): Promise<SearchDocument[]> {
    const ratings = await core.ratings.ratingsOf(products.map((p) => p.id));
    const docs = await Promise.all(
      products.map(async (product) => {
        const listing = await core.listings.getListing(product.id);
        if (!listing || listing.hiddenBecause) return null;
        const [path, shop] = await Promise.all([
          core.categories.breadcrumbs(product.categoryId),
          core.shops.getShop(product.shopId),
        ]);
        const rating = ratings.get(product.id);
        return toSearchDocument(product, listing, {
          path,
          shopName: shop?.name ?? '',
          rating: rating?.count ? rating.average : null,
        });
      }),
    );
    return docs.filter((d): d is SearchDocument => d !== null);
  }

  async function reindexProducts(ids: string[]): Promise<void> {
    const products = (await Promise.all(ids.map((id) => core.catalog.getProduct(id)))).filter(
      (p): p is Product => p !== null,
    );
    const docs = products.length ? await documentsFor(products) : [];
    const live = new Set(docs.map((d) => d.id));
    // Gone: deleted, not listed yet, or hidden from shoppers.
    const gone = ids.filter((id) => !live.has(id));
    if (docs.length) await engine.upsert(docs);
    if (gone.length) await engine.remove(gone);
    await engine.refresh();
  }

  // Coalesce bursts (an import, a busy product) into one re-index per product per flush.
  const pending = new Set<string>();
  let flushing: Promise<void> | null = null;
  function schedule(productId: string) {
    pending.add(productId);
    flushing ??= new Promise<void>((resolve) => setTimeout(resolve, 20)).then(async () => {
      while (pending.size) {
        const batch = [...pending].slice(0, BATCH);
        batch.forEach((id) => pending.delete(id));
        await reindexProducts(batch).catch((err: unknown) =>
          log.error({ err, products: batch.length }, 'search indexing failed'),
        );
      }
      flushing = null;
    });
  }

  return {
    reindexProducts,

    start(): () => void {
      const offs = [
        core.listings.onChange(schedule),
        deps.events?.subscribe('review.changed', (e) => schedule(e.productId)) ?? (() => undefined),
      ];
      return () => offs.forEach((off) => off());
    },

    /** Resolves when every scheduled re-index has been applied. */
    async settled(): Promise<void> {
      while (flushing) await flushing;
    },

    /**
     * Brings the index up to the listing read model: indexes products it lacks or holds at an older
     * version, and removes documents of products that are gone. Returns how many it touched.
     */
    async catchUp(): Promise<{ indexed: number; removed: number }> {
      const indexed = await engine.versions();
      const lagging: string[] = [];
      const listed = new Set<string>();
      for (const [id, version] of core.listings.sourceVersions()) {
        listed.add(id);
        if ((indexed.get(id) ?? -1) < version) lagging.push(id);
      }
      const removed = [...indexed.keys()].filter((id) => !listed.has(id));
      if (lagging.length > FULL_SCAN_ABOVE) {
        // An empty or far-behind index (first start, lost snapshot): one pass over the products beats
        // an `_id` read per product.
        const wanted = new Set(lagging);
        for await (const products of core.catalog.allActive(BATCH)) {
          const stale = products.filter((p) => wanted.has(p.id));
          if (stale.length) await engine.upsert(await documentsFor(stale));
        }
      } else {
        for (let i = 0; i < lagging.length; i += BATCH) await reindexProducts(lagging.slice(i, i + BATCH));
      }
      if (removed.length) await engine.remove(removed);
      await engine.refresh();
      return { indexed: lagging.length, removed: removed.length };
    },

    /**
     * Re-indexes every product from the database without emptying the index first (search keeps
     * answering meanwhile), then removes documents of products that no longer exist.
     */
    async reindexAll(onProgress?: (done: number) => void): Promise<number> {
      const before = await engine.versions();
      const seen = new Set<string>();
      let done = 0;
      for await (const products of core.catalog.allActive(BATCH)) {
        const docs = await documentsFor(products);
        await engine.upsert(docs);
        docs.forEach((d) => seen.add(d.id));
        done += products.length;
        onProgress?.(done);
      }
      const gone = [...before.keys()].filter((id) => !seen.has(id));
      if (gone.length) await engine.remove(gone);
      await engine.refresh();
      return done;
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
