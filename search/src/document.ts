import type { Category, Product } from '@market/core';
import type { SearchDocument } from './types';

export interface ProductAvailability {
  available: number;
  /** The listing's source version: product version × 1e6 + the sum of its SKUs' ledger versions. */
  sourceVersion: number;
}

/**
 * The search document of a product. Availability and `version` come from the listing read model, which
 * the search index follows, so the index can be compared with the listings version by version.
 */
export function toSearchDocument(
  product: Product,
  availability: ProductAvailability,
  context: { path: Category[]; shopName: string; rating?: number | null },
): SearchDocument {
  const prices = product.variants.map((v) => v.price);
  const attributes = new Set<string>();
  for (const v of product.variants) for (const value of Object.values(v.attributes)) attributes.add(value);
  return {
    id: product.id,
    urlHandle: product.urlHandle,
    name: product.name,
    nameZh: product.nameZh,
    brand: product.brand,
    description: product.description,
    descriptionZh: product.descriptionZh,
    categoryId: product.categoryId,
    categoryPath: [...product.categoryAncestors, product.categoryId],
    categoryNames: context.path.flatMap((c) => [c.name, c.nameZh].filter(Boolean)),
    shopId: product.shopId,
    shopName: context.shopName,
    attributes: [...attributes],
    tags: product.tags,
    priceMin: prices.length ? Math.min(...prices) : 0,
    priceMax: prices.length ? Math.max(...prices) : 0,
    available: availability.available,
    inStock: availability.available > 0,
    popularity: product.popularity,
    rating: context.rating ?? null,
    createdAt: product.createdAt.toISOString(),
    version: availability.sourceVersion,
  };
}
