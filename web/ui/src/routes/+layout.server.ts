import type { LayoutServerLoad } from './$types';

/** Every page's language and the category tree (the header's menu), read in-process. */
export const load: LayoutServerLoad = async ({ locals }) => ({
  lang: locals.lang,
  categories: await locals.storefront.categories(),
});
