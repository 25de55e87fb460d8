import { loadCatalogPage, notFound } from '../../../lib/server/catalog-load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params, parent }) => {
  const { categories } = await parent();
  const category = categories.find((c) => c.id === params.categoryId);
  if (!category) notFound('Category');
  return { category, ...(await loadCatalogPage(locals.storefront, url, { categoryId: category.id })) };
};
