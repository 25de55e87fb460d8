import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The product as an anonymous shopper may see it; a deleted one is gone (410), others missing (404). */
export const load: PageServerLoad = async ({ params, locals }) => {
  const found = await locals.storefront.product(params.productId);
  if (found.status === 'gone') error(410, 'This product is no longer sold');
  if (found.status === 'missing') error(404, 'Product not found');
  return { product: found.product };
};
