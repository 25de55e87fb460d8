import { error, redirect } from '@sveltejs/kit';
import { productHref } from '../../../lib/product-href';
import type { PageServerLoad } from './$types';

/**
 * The product as an anonymous shopper may see it, at `/p/<urlHandle>`; the id form answers 301 to that
 * (query kept, so `?lang=` survives), which a client-side navigation follows too. A deleted product is
 * gone (410), others missing (404).
 */
export const load: PageServerLoad = async ({ params, locals, url }) => {
  const found = await locals.storefront.product(params.key);
  if (found.status === 'moved')
    redirect(301, productHref({ id: params.key, urlHandle: found.urlHandle }) + url.search);
  if (found.status === 'gone') error(410, 'This product is no longer sold');
  if (found.status === 'missing') error(404, 'Product not found');
  return { product: found.product };
};
