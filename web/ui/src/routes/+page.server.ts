import { loadCatalogPage } from '../lib/server/catalog-load';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => loadCatalogPage(locals.storefront, url, {});
