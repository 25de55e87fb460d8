import type { Lang } from './i18n.svelte';
import type { MessageKey } from './messages';

/** Some of one language's messages: a part of the catalogue as the browser loads it. */
export type MessageTable = Partial<Record<MessageKey, string>>;

/**
 * `storefront`: what the server-rendered shopper pages use (the root layout loads it before hydrating);
 * `rest`: everything else, for the signed-in pages and consoles (their `(client)` layout loads it). The
 * split is computed at build time (`web/ui/message-bundles.ts`, the `virtual:messages` modules).
 */
export type MessagePart = 'storefront' | 'rest';

const loaders: Record<MessagePart, Record<Lang, () => Promise<{ default: MessageTable }>>> = {
  storefront: {
    en: () => import('virtual:messages/storefront/en'),
    zh: () => import('virtual:messages/storefront/zh'),
  },
  rest: {
    en: () => import('virtual:messages/rest/en'),
    zh: () => import('virtual:messages/rest/zh'),
  },
};

/** One language's part of the catalogue, in its own chunk, so a page loads no other language's words. */
export async function loadMessages(lang: Lang, part: MessagePart): Promise<MessageTable> {
  return (await loaders[part][lang]()).default;
}
