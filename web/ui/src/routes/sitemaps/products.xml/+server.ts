import { error } from '@sveltejs/kit';
import { productHref } from '../../../lib/product-href';
import { urlSetXml, xmlResponse } from '../../../lib/seo/sitemap-xml';
import type { RequestHandler } from './$types';

/** One products file of the sitemap: the products on sale after `?after=` (from the start without it). */
export const GET: RequestHandler = async ({ locals, url }) => {
  const after = url.searchParams.get('after');
  if (after !== null && (after.length === 0 || after.length > 200)) error(400, 'after: a product id');
  const origin = locals.storefront.publicOrigin;
  const products = await locals.storefront.sitemapProducts(after);
  return xmlResponse(
    urlSetXml(
      products.map((p) => ({
        loc: new URL(productHref(p), origin).href,
        lastmod: p.lastModified,
      })),
    ),
  );
};
