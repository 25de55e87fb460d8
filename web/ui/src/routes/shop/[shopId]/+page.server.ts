import { loadCatalogPage, notFound } from '../../../lib/server/catalog-load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
  const shop = await locals.storefront.shop(params.shopId);
  if (!shop) notFound('Shop');
  return { shop, ...(await loadCatalogPage(locals.storefront, url, { shopId: shop.id })) };
};
