import {
  PRICE_BUCKETS,
  type FacetValue,
  type SearchDocument,
  type SearchFacets,
  type SearchFilters,
} from '../types';
import { popularityFactor, stockFactor, type RankColumns } from './ranking';

/** The bucket of a product's price: its cheapest variant, which is the price a listing shows. */
export function priceBucketOf(doc: SearchDocument): string {
  return PRICE_BUCKETS[priceBucketIndex(doc.priceMin)]!.key;
}

function priceBucketIndex(priceMin: number): number {
  for (let i = 0; i < PRICE_BUCKETS.length; i++) {
    const bucket = PRICE_BUCKETS[i]!;
    if (priceMin >= bucket.from && priceMin < bucket.to) return i;
  }
  return PRICE_BUCKETS.length - 1;
}

const RATING_KEYS = [4, 3, 2, 1] as const;
const PRICE_KEYS = PRICE_BUCKETS.map((b) => b.key);
/** Long facets are cut to their largest values (selected values are always kept). */
const FACET_LIMIT = 50;

/** Strings of one facet (brands, shops, categories) as small integers, with a display label each. */
class Codes {
  private readonly codeOf = new Map<string, number>();
  readonly values: string[] = [];
  readonly labels: (string | undefined)[] = [];

  code(value: string, label?: string): number {
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codeOf.set(value, code);
      this.values.push(value);
      this.labels.push(undefined);
    }
    if (label) this.labels[code] = label;
    return code;
  }

  /** The codes of selected values; a value no product has gets none (it selects nothing). */
  selection(values: readonly string[] | undefined): Uint8Array | null {
    if (!values?.length) return null;
    const selected = new Uint8Array(this.values.length);
    for (const value of values) {
      const code = this.codeOf.get(value);
      if (code !== undefined) selected[code] = 1;
    }
    return selected;
  }

  clear(): void {
    this.codeOf.clear();
    this.values.length = 0;
    this.labels.length = 0;
  }
}

const grow = <T extends Int32Array | Uint8Array | Float64Array>(array: T, size: number): T => {
  if (size <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
};

/**
 * The facet fields of every document as columns of small integers, one row ("slot") per document, so
 * filtering and counting a result set of 50,000 products reads typed arrays instead of objects and
 * counts into integer arrays instead of maps of strings. Slots of removed documents are reused.
 */
export class FacetColumns implements RankColumns {
  private readonly slotOf = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  /** The document in each slot; undefined for a free slot. */
  readonly documents: (SearchDocument | undefined)[] = [];
  private brand = new Int32Array(1024);
  private shop = new Int32Array(1024);
  private price = new Uint8Array(1024);
  /** Stars rounded down to the rating keys (4 … 1); 0 while unrated or below one star. */
  private stars = new Uint8Array(1024);
  private stock = new Uint8Array(1024);
  /** Ranking's per-product factors and tie-breaker (see `firstKByRelevance`). */
  stockFactor = new Float64Array(1024);
  popularityFactor = new Float64Array(1024);
  popularity = new Float64Array(1024);
  /** The category path of each slot, as category codes. */
  private readonly categoryPaths: Int32Array[] = [];
  private readonly brands = new Codes();
  private readonly shops = new Codes();
  private readonly categories = new Codes();

  /** One more than the highest slot in use. */
  get capacity(): number {
    return this.documents.length;
  }

  get size(): number {
    return this.slotOf.size;
  }

  slot(id: string): number | undefined {
    return this.slotOf.get(id);
  }

  /** Stores the document's facet fields; returns its slot. */
  set(doc: SearchDocument): number {
    let slot = this.slotOf.get(doc.id);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.documents.length;
      this.slotOf.set(doc.id, slot);
      const size = slot + 1;
      this.brand = grow(this.brand, size);
      this.shop = grow(this.shop, size);
      this.price = grow(this.price, size);
      this.stars = grow(this.stars, size);
      this.stock = grow(this.stock, size);
      this.stockFactor = grow(this.stockFactor, size);
      this.popularityFactor = grow(this.popularityFactor, size);
      this.popularity = grow(this.popularity, size);
    }
    this.documents[slot] = doc;
    this.brand[slot] = this.brands.code(doc.brand);
    this.shop[slot] = this.shops.code(doc.shopId, doc.shopName);
    this.price[slot] = priceBucketIndex(doc.priceMin);
    this.stars[slot] = doc.rating == null ? 0 : Math.max(0, Math.min(4, Math.floor(doc.rating)));
    this.stock[slot] = doc.inStock ? 1 : 0;
    this.stockFactor[slot] = stockFactor(doc);
    this.popularityFactor[slot] = popularityFactor(doc);
    this.popularity[slot] = doc.popularity;
    const pairedNames = doc.categoryNames.length === doc.categoryPath.length * 2;
    this.categoryPaths[slot] = Int32Array.from(doc.categoryPath, (id, i) =>
      this.categories.code(id, pairedNames ? doc.categoryNames[i * 2] : undefined),
    );
    return slot;
  }

  delete(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.documents[slot] = undefined;
    this.categoryPaths[slot] = new Int32Array(0);
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.slotOf.clear();
    this.freeSlots.length = 0;
    this.documents.length = 0;
    this.categoryPaths.length = 0;
    this.brands.clear();
    this.shops.clear();
    this.categories.clear();
  }

  /** Every occupied slot (a browse without words). */
  *allSlots(): Iterable<number> {
    for (let slot = 0; slot < this.documents.length; slot++) if (this.documents[slot]) yield slot;
  }

  /**
   * Applies the filters to the candidate slots and counts the facets in the same single pass. A
   * document is in the result when it passes every filter; it counts towards a facet's values when it
   * passes all the *others*, which keeps ticked brands from zeroing the brands beside them. Categories
   * count on every level of the path; rating keys count products rated at least that many stars.
   */
  filterAndCount(candidates: Iterable<number>, filters: SearchFilters): FilteredSlots {
    const selectedCategories = this.categories.selection(filters.categoryIds);
    const selectedBrands = this.brands.selection(filters.brands);
    const selectedShops = this.shops.selection(filters.shopIds);
    const selectedPrices = filters.priceBuckets?.length
      ? Uint8Array.from(PRICE_KEYS, (key) => (filters.priceBuckets!.includes(key as never) ? 1 : 0))
      : null;
    const minRating = filters.minRating;
    // `inStock: false` is a filter too (out of stock only); unset is no filter.
    const inStock = filters.inStock == null ? -1 : filters.inStock ? 1 : 0;

    const categoryCounts = new Int32Array(this.categories.values.length);
    const brandCounts = new Int32Array(this.brands.values.length);
    const shopCounts = new Int32Array(this.shops.values.length);
    const priceCounts = new Int32Array(PRICE_BUCKETS.length);
    const starCounts = new Int32Array(5);
    const stockCounts = new Int32Array(2);
    const matched: number[] = [];
    const { brand, shop, price, stars, stock, categoryPaths, documents } = this;

    const filtered =
      selectedCategories ||
      selectedBrands ||
      selectedShops ||
      selectedPrices ||
      minRating != null ||
      inStock >= 0;
    for (const slot of candidates) {
      const path = categoryPaths[slot]!;
      // Which filters a document fails: how many, and the facet of the last one (1 category … 6 stock).
      let failed = 0;
      let failures = 0;
      if (filtered) {
        if (selectedCategories && !onPath(path, selectedCategories)) {
          failed = 1;
          failures++;
        }
        if (selectedBrands && selectedBrands[brand[slot]!] !== 1) {
          failed = 2;
          failures++;
        }
        if (selectedShops && selectedShops[shop[slot]!] !== 1) {
          failed = 3;
          failures++;
        }
        if (selectedPrices && selectedPrices[price[slot]!] !== 1) {
          failed = 4;
          failures++;
        }
        if (minRating != null && !((documents[slot]!.rating ?? -1) >= minRating)) {
          failed = 5;
          failures++;
        }
        if (inStock >= 0 && stock[slot] !== inStock) {
          failed = 6;
          failures++;
        }
        if (failures > 1) continue;
      }
      if (failures === 0) matched.push(slot);
      // With one failing filter the document counts only for that filter's own facet.
      if (failures === 0 || failed === 1) for (let i = 0; i < path.length; i++) categoryCounts[path[i]!]!++;
      if (failures === 0 || failed === 2) brandCounts[brand[slot]!]!++;
      if (failures === 0 || failed === 3) shopCounts[shop[slot]!]!++;
      if (failures === 0 || failed === 4) priceCounts[price[slot]!]!++;
      if (failures === 0 || failed === 5) starCounts[stars[slot]!]!++;
      if (failures === 0 || failed === 6) stockCounts[stock[slot]!]!++;
    }

    // Rating keys mean "at least": a four-star product counts for 4, 3, 2 and 1.
    const atLeast = RATING_KEYS.map((key) => {
      let count = 0;
      for (let s = key; s <= 4; s++) count += starCounts[s]!;
      return count;
    });
    const inOrder = (keys: readonly string[], counts: ArrayLike<number>): FacetValue[] =>
      keys.flatMap((value, i) => (counts[i] ? [{ value, count: counts[i] }] : []));
    return {
      matched,
      facets: {
        // Every category: the client builds the tree from them.
        category: byCount(this.categories, categoryCounts, filters.categoryIds, true, Infinity),
        brand: byCount(this.brands, brandCounts, filters.brands, false),
        shop: byCount(this.shops, shopCounts, filters.shopIds, true),
        price: inOrder(PRICE_KEYS, priceCounts),
        rating: inOrder(RATING_KEYS.map(String), atLeast),
        inStock: inOrder(['true', 'false'], [stockCounts[1]!, stockCounts[0]!]),
      },
    };
  }
}

export interface FilteredSlots {
  /** Slots of the documents passing every filter. */
  matched: number[];
  facets: SearchFacets;
}

function onPath(path: Int32Array, selected: Uint8Array): boolean {
  for (let i = 0; i < path.length; i++) if (selected[path[i]!] === 1) return true;
  return false;
}

/** A facet's counted values, largest first, cut to `limit` (selected values are always kept). */
function byCount(
  codes: Codes,
  counts: Int32Array,
  selected: readonly string[] = [],
  withLabels: boolean,
  limit = FACET_LIMIT,
): FacetValue[] {
  const values: FacetValue[] = [];
  for (let code = 0; code < counts.length; code++) {
    const count = counts[code]!;
    if (!count) continue;
    const value = codes.values[code]!;
    const label = withLabels ? codes.labels[code] : undefined;
    values.push(label ? { value, count, label } : { value, count });
  }
  values.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  const kept = values.slice(0, limit);
  for (const value of values.slice(limit)) if (selected.includes(value.value)) kept.push(value);
  return kept;
}
