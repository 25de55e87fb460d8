import { SORTS, type CatalogFilterValues } from '../components/CatalogFilters.svelte';
import type { ProductQuery, ProductSort } from './api/wire';

/** Cards per page of the home, category and shop grids. */
export const CATALOG_PAGE_SIZE = 24;
/**
 * Cards in the server-rendered first page: a phone's first screens and a desktop's first three rows. Every
 * card is HTML, hydration data and hydration work (its live-stock watcher, favourite button, image) before
 * the page responds; 24 made the home page's main thread busy for seconds on a phone (Lighthouse TBT).
 * "Load more" continues from where it ends, a full page at a time.
 */
export const SERVER_FIRST_PAGE_SIZE = 12;

/**
 * The grid's filters from the URL's query string. The server renders the first page from it and the page
 * reads it again in the browser, so both ask the listing the same question.
 */
export function catalogFilters(params: URLSearchParams): CatalogFilterValues {
  return {
    sort: parseSort(params.get('sort')),
    minPrice: parseFen(params.get('minPrice')),
    maxPrice: parseFen(params.get('maxPrice')),
    inStock: params.get('inStock') === 'true',
  };
}

export function catalogQuery(
  scope: { categoryId?: string; shopId?: string },
  filters: CatalogFilterValues,
): ProductQuery {
  return {
    category: scope.categoryId,
    shop: scope.shopId,
    sort: filters.sort,
    minPrice: filters.minPrice,
    maxPrice: filters.maxPrice,
    inStock: filters.inStock || undefined,
    limit: CATALOG_PAGE_SIZE,
  };
}

function parseSort(value: string | null): ProductSort {
  return SORTS.find((s) => s === value) ?? 'popular';
}

function parseFen(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
