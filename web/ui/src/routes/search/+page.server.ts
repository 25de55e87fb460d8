import { parseSearchState, toSearchParams } from '../../lib/search-state';
import type { PageServerLoad } from './$types';

/** The results for the URL's query and filters, asked as the page asks `GET /api/search`. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const params = toSearchParams(parseSearchState(url.searchParams), { api: true });
  return { result: await locals.storefront.search(Object.fromEntries(params)) };
};
