import { error } from '@sveltejs/kit';
import { catalogFilters, catalogQuery, SERVER_FIRST_PAGE_SIZE } from '../catalog-query';
import type { StorefrontBridge } from './storefront-bridge';

/**
 * The first page of a home, category or shop grid, read in-process for the URL's filters; null when
 * the API would refuse the filters (the page then shows the API's message, as in the browser).
 */
export async function loadCatalogPage(
  storefront: StorefrontBridge,
  url: URL,
  scope: { categoryId?: string; shopId?: string },
) {
  const query = catalogQuery(scope, catalogFilters(url.searchParams));
  return { listing: await storefront.listProducts({ ...query, limit: SERVER_FIRST_PAGE_SIZE }) };
}

export function notFound(what: string): never {
  error(404, `${what} not found`);
}
