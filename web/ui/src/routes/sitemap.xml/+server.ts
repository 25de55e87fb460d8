import { sitemapIndexXml, xmlResponse } from '../../lib/seo/sitemap-xml';
import type { RequestHandler } from './$types';

/**
 * The sitemap index: the pages file, then one products file per chunk of at most SITEMAP_CHUNK_SIZE
 * products, each named by the id it starts after, so a file is one range read from the store.
 */
export const GET: RequestHandler = async ({ locals }) => {
  const origin = locals.storefront.publicOrigin;
  const starts = await locals.storefront.sitemapStarts();
  const productFiles = starts.map((after) => {
    const url = new URL('/sitemaps/products.xml', origin);
    if (after !== null) url.searchParams.set('after', after);
    return url.href;
  });
  return xmlResponse(sitemapIndexXml([new URL('/sitemaps/pages.xml', origin).href, ...productFiles]));
};
