import { loadMessages } from '../../lib/i18n/message-tables';
import type { LayoutLoad } from './$types';

// Signed-in pages, forms and staff consoles: rendered in the browser, as before the move to SvelteKit.
// The public pages around this group render on the server and hydrate.
export const ssr = false;

/** The messages these pages use beyond the storefront's, in the page's language, before they render. */
export const load: LayoutLoad = async ({ parent }) => {
  const { lang } = await parent();
  return { restMessages: { lang, table: await loadMessages(lang, 'rest') } };
};
