import type { z } from 'zod';
import { hiddenReason, NotFoundError, type CoreServices } from '@market/core';
import type { RecsService } from '@market/recommender/service';
import { ListingQuerySchema } from '../schemas';
import { createPromotionViews } from './promotion-views';
import type { Category, ProductQuery } from '../wire';
import type { ProductLookup, StorefrontBridge } from '../../ui/src/lib/server/storefront-bridge';

/** The data half of the storefront bridge: the same reads and visibility rules as the catalog API. */
export type StorefrontReads = Pick<
  StorefrontBridge,
  'categories' | 'product' | 'listProducts' | 'hot' | 'shop' | 'sitemapStarts' | 'sitemapProducts'
>;

/** `GET /api/products`'s validated query as the listing service takes it. */
export function listingQueryOf(query: z.output<typeof ListingQuerySchema>) {
  return {
    categoryId: query.category,
    shopId: query.shop,
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    inStock: query.inStock,
    sort: query.sort,
    limit: query.limit,
    cursor: query.cursor,
  };
}

/** A category as `GET /api/categories` lists it. */
export function categoryListItem(c: Category): Category {
  return { id: c.id, slug: c.slug, name: c.name, nameZh: c.nameZh, parentId: c.parentId, depth: c.depth };
}

export function createStorefrontReads(
  core: CoreServices,
  recs: Pick<RecsService, 'hot'>,
  opts: { sitemapChunkSize: number },
): StorefrontReads {
  const promotionViews = createPromotionViews(core);
  return {
    hot: (limit) => recs.hot({ limit }),

    sitemapStarts: () => core.catalog.sitemapChunkStarts(opts.sitemapChunkSize),

    async sitemapProducts(after) {
      const products = await core.catalog.sitemapChunk(after, opts.sitemapChunkSize);
      const shopIds = [...new Set(products.map((p) => p.shopId))];
      const shops = new Map(
        await Promise.all(shopIds.map(async (id) => [id, await core.shops.getShop(id)] as const)),
      );
      // On sale only: the product page's rule (taken down, or its shop not trading, is a 404 there).
      return products
        .filter((p) => !p.takenDown && hiddenReason({ takedown: null }, shops.get(p.shopId) ?? null) === null)
        .map((p) => ({ id: p.id, urlHandle: p.urlHandle, lastModified: p.updatedAt.toISOString() }));
    },

    async categories() {
      return (await core.categories.list()).map(categoryListItem);
    },

    async listProducts(query: ProductQuery) {
      // Checked as `GET /api/products` checks its query string, so a page shows what the API would.
      const asQueryString = Object.fromEntries(
        Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])),
      );
      const parsed = ListingQuerySchema.safeParse(asQueryString);
      if (!parsed.success) return null;
      const page = await core.listings.query(listingQueryOf(parsed.data));
      return { ...page, items: await promotionViews.cards(page.items) };
    },

    async shop(id: string) {
      const shop = await core.shops.getShop(id);
      // A shop that does not trade (pending, suspended, owner blocked) has no public page: the rule that
      // hides its products, asked for the shop alone.
      if (!shop || hiddenReason({ takedown: null }, shop) !== null) return null;
      return { id: shop.id, name: shop.name, nameZh: shop.nameZh };
    },

    async product(key: string): Promise<ProductLookup> {
      const byHandle = await core.catalog.productIdByUrlHandle(key);
      const id = byHandle ?? key;
      try {
        const product = await core.productViews.productDetail(id);
        // Off sale (taken down, shop pending or suspended): anonymous shoppers do not see it (the API's rule).
        if (product.hiddenBecause) return { status: 'missing' };
        // One URL per product: the id form (old links, pages that only know the id) moves to the handle.
        if (!byHandle && product.urlHandle) return { status: 'moved', urlHandle: product.urlHandle };
        return { status: 'found', product: { ...product, promotion: await promotionViews.product(product) } };
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        return (await core.catalog.isDeleted(id)) ? { status: 'gone' } : { status: 'missing' };
      }
    },
  };
}
