import type { LayoutServerLoad } from './$types';

/** Every page's language, the site's origin and the category tree (the header's menu), read in-process. */
export const load: LayoutServerLoad = async ({ locals }) => ({
  lang: locals.lang,
  origin: locals.storefront.publicOrigin,
  categories: await locals.storefront.categories(),
});
