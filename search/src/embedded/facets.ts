import {
  PRICE_BUCKETS,
  type FacetValue,
  type SearchDocument,
  type SearchFacets,
  type SearchFilters,
} from '../types';

/** The bucket of a product's price: its cheapest variant, which is the price a listing shows. */
export function priceBucketOf(doc: SearchDocument): string {
  for (const bucket of PRICE_BUCKETS)
    if (doc.priceMin >= bucket.from && doc.priceMin < bucket.to) return bucket.key;
  return PRICE_BUCKETS.at(-1)!.key;
}

const RATING_KEYS = [4, 3, 2, 1] as const;
type FacetName = keyof SearchFacets;
const FACET_NAMES: FacetName[] = ['category', 'brand', 'shop', 'price', 'rating', 'inStock'];
/** Long facets are cut to their largest values (selected values are always kept). */
const FACET_LIMIT = 50;

/**
 * One predicate per facet. A document is in the result when it passes them all; it counts towards a
 * facet's values when it passes all the *others*, which is what keeps ticked brands from zeroing the
 * counts of the brands beside them.
 */
function predicates(filters: SearchFilters): Record<FacetName, ((doc: SearchDocument) => boolean) | null> {
  const categories = filters.categoryIds?.length ? new Set(filters.categoryIds) : null;
  const brands = filters.brands?.length ? new Set(filters.brands) : null;
  const shops = filters.shopIds?.length ? new Set(filters.shopIds) : null;
  const prices = filters.priceBuckets?.length ? new Set<string>(filters.priceBuckets) : null;
  const minRating = filters.minRating;
  const inStock = filters.inStock;
  return {
    category: categories ? (doc) => doc.categoryPath.some((id) => categories.has(id)) : null,
    brand: brands ? (doc) => brands.has(doc.brand) : null,
    shop: shops ? (doc) => shops.has(doc.shopId) : null,
    price: prices ? (doc) => prices.has(priceBucketOf(doc)) : null,
    rating: minRating != null ? (doc) => doc.rating != null && doc.rating >= minRating : null,
    // `inStock: false` is a filter too (out of stock only); leave it unset for no filter.
    inStock: inStock != null ? (doc) => doc.inStock === inStock : null,
  };
}

class Counter {
  readonly counts = new Map<string, number>();
  add(value: string): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
}

export interface FilteredSet {
  /** Documents passing every filter. */
  matched: SearchDocument[];
  facets: SearchFacets;
}

/**
 * Applies the filters to the text matches and counts facets in the same single pass. Categories count
 * on every level of the path; rating keys count products rated at least that many stars.
 */
export function filterAndCount(candidates: Iterable<SearchDocument>, filters: SearchFilters): FilteredSet {
  const preds = predicates(filters);
  const active = FACET_NAMES.filter((name) => preds[name] !== null);
  const counters = Object.fromEntries(FACET_NAMES.map((name) => [name, new Counter()])) as Record<
    FacetName,
    Counter
  >;
  const labels = new Map<string, string>();
  const matched: SearchDocument[] = [];
  for (const doc of candidates) {
    let failed: FacetName | null = null;
    let failures = 0;
    for (const name of active) {
      if (!preds[name]!(doc)) {
        failed = name;
        if (++failures > 1) break;
      }
    }
    if (failures > 1) continue;
    if (failures === 0) matched.push(doc);
    // With one failing filter the document counts only for that filter's own facet.
    const counts = (name: FacetName) => failures === 0 || failed === name;
    if (counts('category')) {
      const pairedNames = doc.categoryNames.length === doc.categoryPath.length * 2;
      doc.categoryPath.forEach((id, i) => {
        counters.category.add(id);
        if (pairedNames && !labels.has(id)) labels.set(id, doc.categoryNames[i * 2]!);
      });
    }
    if (counts('brand')) counters.brand.add(doc.brand);
    if (counts('shop')) {
      counters.shop.add(doc.shopId);
      if (!labels.has(doc.shopId)) labels.set(doc.shopId, doc.shopName);
    }
    if (counts('price')) counters.price.add(priceBucketOf(doc));
    if (counts('rating') && doc.rating != null)
      for (const key of RATING_KEYS) if (doc.rating >= key) counters.rating.add(String(key));
    if (counts('inStock')) counters.inStock.add(String(doc.inStock));
  }
  const byCount = (
    counter: Counter,
    selected: readonly string[] = [],
    withLabels = false,
    limit = FACET_LIMIT,
  ): FacetValue[] => {
    const values = [...counter.counts].map(([value, count]) => {
      const label = withLabels ? labels.get(value) : undefined;
      return label ? { value, count, label } : { value, count };
    });
    values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    const kept = values.slice(0, limit);
    for (const value of values.slice(limit)) if (selected.includes(value.value)) kept.push(value);
    return kept;
  };
  const inOrder = (counter: Counter, keys: readonly string[]): FacetValue[] =>
    keys
      .filter((key) => counter.counts.has(key))
      .map((value) => ({ value, count: counter.counts.get(value)! }));
  return {
    matched,
    facets: {
      // Every category: the client builds the tree from them.
      category: byCount(counters.category, filters.categoryIds, true, Number.POSITIVE_INFINITY),
      brand: byCount(counters.brand, filters.brands),
      shop: byCount(counters.shop, filters.shopIds, true),
      price: inOrder(
        counters.price,
        PRICE_BUCKETS.map((b) => b.key),
      ),
      rating: inOrder(counters.rating, RATING_KEYS.map(String)),
      inStock: inOrder(counters.inStock, ['true', 'false']),
    },
  };
}
