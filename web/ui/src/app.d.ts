import type { Lang } from './lib/i18n/i18n.svelte';
import type { StorefrontBridge } from './lib/server/storefront-bridge';

declare global {
  namespace App {
    interface Locals {
      storefront: StorefrontBridge;
      /** The language this request renders in (`lib/i18n/lang.ts`). */
      lang: Lang;
    }
  }
}

export {};
