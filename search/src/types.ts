/**
 * The search port: what the storefront asks of a product search engine. Two adapters implement it —
 * the embedded in-process engine (default) and Elasticsearch (ELASTICSEARCH_URL) — and both must pass
 * the same contract suite (`search/test/contract.ts`). Nothing outside `search/` knows which one is in use.
 */

/** One product as the search engine sees it: denormalized, flat, built by the indexer from core services. */
export interface SearchDocument {
  id: string;
  /**
   * The product's public URL key (`/p/<urlHandle>`), for result links; not searched. Missing on a document
   * indexed before URL handles existed (and on fixtures): read it as null.
   */
  urlHandle?: string | null;
  name: string;
  nameZh: string;
  brand: string;
  description: string;
  descriptionZh: string;
  /** Leaf category id and its ancestors, root first (the leaf last). */
  categoryId: string;
  categoryPath: string[];
  /** Names of the categories on the path, English and Chinese (for matching words like "phone"/"手机"). */
  categoryNames: string[];
  shopId: string;
  shopName: string;
  /** Variant attribute values ("Black 黑色", "256GB", "XL"). */
  attributes: string[];
  tags: string[];
  /** Integer fen. */
  priceMin: number;
  priceMax: number;
  available: number;
  inStock: boolean;
  popularity: number;
  /** Average review rating 1–5, null while unrated. */
  rating: number | null;
  createdAt: string;
  /** Grows with every change of the product or its stock; an older version never replaces a newer one. */
  version: number;
}

export const SEARCH_SORTS = ['relevance', 'price_asc', 'price_desc', 'newest', 'popular'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Fixed price buckets in fen, so facet counts are comparable across engines: [from, to). */
export const PRICE_BUCKETS = [
  { key: '0-100', from: 0, to: 10_000 },
  { key: '100-500', from: 10_000, to: 50_000 },
  { key: '500-1000', from: 50_000, to: 100_000 },
  { key: '1000-5000', from: 100_000, to: 500_000 },
  { key: '5000+', from: 500_000, to: Number.MAX_SAFE_INTEGER },
] as const;
export type PriceBucketKey = (typeof PRICE_BUCKETS)[number]['key'];

export interface SearchFilters {
  /** OR inside each list, AND across lists. A category matches its descendants. */
  categoryIds?: string[];
  brands?: string[];
  shopIds?: string[];
  priceBuckets?: PriceBucketKey[];
  /** Products rated at least this (1–5). */
  minRating?: number;
  inStock?: boolean;
}

export interface SearchQuery {
  /** Free text in English and/or Chinese; empty means "browse" (filters and sort only). */
  q: string;
  filters: SearchFilters;
  sort: SearchSort;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface FacetValue {
  value: string;
  count: number;
  /** Display label where the value is an id (category, shop). */
  label?: string;
}

/**
 * Facet counts are computed with every *other* facet's filters applied (so ticking a brand does not
 * zero the other brands' counts) and with the text query applied.
 */
export interface SearchFacets {
  /** Per category id on any level of the path; the client builds the tree from the category list. */
  category: FacetValue[];
  brand: FacetValue[];
  shop: FacetValue[];
  price: FacetValue[];
  /** Keys '4', '3', '2', '1': products rated at least that. */
  rating: FacetValue[];
  inStock: FacetValue[];
}

export interface SearchHit {
  id: string;
  score: number;
  document: SearchDocument;
  /** Field → text with matches wrapped in <mark>…</mark> (already HTML-escaped otherwise). */
  highlights: Partial<Record<'name' | 'nameZh' | 'brand' | 'description', string>>;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets: SearchFacets;
  /** A corrected query when the original found nothing and a correction finds something. */
  didYouMean: string | null;
  /**
   * The query as understood when typo tolerance found these results through corrected words ("showing
   * results for …"): each unknown word replaced by the word the results matched. Null when every word
   * was found as typed.
   */
  correctedQuery: string | null;
  /**
   * Words of the query that matched no product and were left out, so the results are for the other
   * words ("no results for 苹果; showing …"). Empty when every word was honoured.
   */
  ignored: string[];
  tookMs: number;
}

export interface Suggestion {
  /** The completed query text to search for. */
  text: string;
  /** A product the suggestion comes from, when it names one. */
  productId?: string;
  highlighted: string;
}

export interface SearchStats {
  engine: string;
  documents: number;
  /** Approximate memory or disk used by the index, in bytes, when the engine can tell. */
  sizeBytes: number | null;
}

export interface SearchEngine {
  readonly name: string;
  /** Adds or replaces documents; a document whose `version` is lower than the stored one is ignored. */
  upsert(documents: SearchDocument[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  suggest(prefix: string, limit: number): Promise<Suggestion[]>;
  /** Stored versions by id, so the indexer can tell which documents lag the database. */
  versions(): Promise<Map<string, number>>;
  /** Makes every completed upsert/remove visible to search (a no-op for engines that are always fresh). */
  refresh(): Promise<void>;
  stats(): Promise<SearchStats>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  /** Removes every document. */
  clear(): Promise<void>;
  close(): Promise<void>;
}
