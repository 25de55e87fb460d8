import { urlSetXml, xmlResponse } from '../../../lib/seo/sitemap-xml';
import type { RequestHandler } from './$types';

/** The sitemap's other public pages: home and every category (a few hundred at most). */
export const GET: RequestHandler = async ({ locals }) => {
  const origin = locals.storefront.publicOrigin;
  const categories = await locals.storefront.categories();
  return xmlResponse(
    urlSetXml([
      { loc: new URL('/', origin).href },
      ...categories.map((c) => ({ loc: new URL(`/c/${encodeURIComponent(c.id)}`, origin).href })),
    ]),
  );
};
