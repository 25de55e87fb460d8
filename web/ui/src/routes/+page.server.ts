import { loadCatalogPage } from '../lib/server/catalog-load';
import { HOME_HOT_ITEMS } from '../lib/recs-api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const [page, hot] = await Promise.all([
    loadCatalogPage(locals.storefront, url, {}),
    // The "hot now" strip is in the first screen on a phone: rendered with the page, not after it. A
    // recommender that cannot answer does not take the home page down: the browser asks for the strip
    // itself then (and shows its own failure).
    locals.storefront.hot(HOME_HOT_ITEMS).catch(() => null),
  ]);
  return { ...page, hot };
};
