import { PRICE_BUCKETS, SEARCH_SORTS, type PriceBucketKey, type SearchSort } from '@market/search/browser';

export const SEARCH_PAGE_SIZE = 24;

/** What a results page shows, as carried by its URL (`/search?q=…&brand=…&page=2`). */
export interface SearchState {
  q: string;
  categories: string[];
  brands: string[];
  shops: string[];
  prices: PriceBucketKey[];
  /** "Rated at least"; null for any rating. */
  rating: number | null;
  inStock: boolean;
  sort: SearchSort;
  page: number;
}

/** The facets whose values are ticked as a list (OR inside one facet). */
export type ListFacet = 'category' | 'brand' | 'shop' | 'price';

export const EMPTY_SEARCH: SearchState = {
  q: '',
  categories: [],
  brands: [],
  shops: [],
  prices: [],
  rating: null,
  inStock: false,
  sort: 'relevance',
  page: 1,
};

const LIST_KEYS: Record<ListFacet, 'categories' | 'brands' | 'shops' | 'prices'> = {
  category: 'categories',
  brand: 'brands',
  shop: 'shops',
  price: 'prices',
};

const PRICE_KEYS = new Set<string>(PRICE_BUCKETS.map((b) => b.key));

/** Reads a results page's state from its query string, dropping anything malformed rather than failing. */
export function parseSearchState(params: URLSearchParams): SearchState {
  const list = (key: string) =>
    [...new Set((params.get(key) ?? '').split(',').map((v) => v.trim()))].filter(Boolean);
  const sort = params.get('sort');
  const rating = Number(params.get('rating'));
  const page = Number(params.get('page'));
  return {
    q: (params.get('q') ?? '').trim(),
    categories: list('category'),
    brands: list('brand'),
    shops: list('shop'),
    prices: list('price').filter((p): p is PriceBucketKey => PRICE_KEYS.has(p)),
    rating: Number.isInteger(rating) && rating >= 1 && rating <= 4 ? rating : null,
    inStock: params.get('inStock') === 'true',
    sort: SEARCH_SORTS.find((s) => s === sort) ?? 'relevance',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/**
 * The query parameters for a state. The page URL leaves defaults out so shared links stay short; the
 * API form always names the sort, page and page size.
 */
export function toSearchParams(state: SearchState, opts: { api?: boolean } = {}): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.categories.length) params.set('category', state.categories.join(','));
  if (state.brands.length) params.set('brand', state.brands.join(','));
  if (state.shops.length) params.set('shop', state.shops.join(','));
  if (state.prices.length) params.set('price', state.prices.join(','));
  if (state.rating !== null) params.set('rating', String(state.rating));
  if (state.inStock) params.set('inStock', 'true');
  if (opts.api || state.sort !== 'relevance') params.set('sort', state.sort);
  if (opts.api || state.page > 1) params.set('page', String(state.page));
  if (opts.api) params.set('pageSize', String(SEARCH_PAGE_SIZE));
  return params;
}

export function searchHref(state: Partial<SearchState>): string {
  const search = toSearchParams({ ...EMPTY_SEARCH, ...state }).toString();
  return search ? `/search?${search}` : '/search';
}

export function selectedValues(state: SearchState, facet: ListFacet): readonly string[] {
  return state[LIST_KEYS[facet]];
}

/** Ticks or unticks one value of a list facet; any change of filters starts again from page 1. */
export function toggleValue(state: SearchState, facet: ListFacet, value: string): SearchState {
  const key = LIST_KEYS[facet];
  const current: readonly string[] = state[key];
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
  return { ...state, [key]: next, page: 1 };
}

export function hasFilters(state: SearchState): boolean {
  return (
    state.categories.length + state.brands.length + state.shops.length + state.prices.length > 0 ||
    state.rating !== null ||
    state.inStock
  );
}

export function clearFilters(state: SearchState): SearchState {
  return { ...EMPTY_SEARCH, q: state.q, sort: state.sort };
}
