import { loadMessages } from '../lib/i18n/message-tables';
import type { LayoutLoad } from './$types';

/**
 * The words of the language the server picked, before the first render on either side: the page hydrates
 * with the same table it was rendered from, and ships no other language and no back-office messages.
 */
export const load: LayoutLoad = async ({ data }) => ({
  ...data,
  messages: await loadMessages(data.lang, 'storefront'),
});
