import type { IncomingMessage } from 'node:http';

/**
 * Where the Koa app leaves the bridge on each request it hands to SvelteKit (`req[STOREFRONT_BRIDGE]`).
 * A registered symbol, because the Koa side and the built SvelteKit server are separate module graphs.
 */
export const STOREFRONT_BRIDGE = Symbol.for('bazaar.storefront-bridge');

/**
 * What the server side of the storefront gets from the Koa app it runs in (web/src/http/storefront.ts):
 * the app's own services in-process, never HTTP to itself. One per request.
 */
export interface StorefrontBridge {
  /** The page policy (web/src/http/content-security.ts) allowing also these inline-script sources. */
  contentSecurityPolicy(inlineScriptSources: string[]): string;
  /** Whether development-only pages (`/dev/mailbox`) exist: not in production. */
  devPages: boolean;
}

export function bridgeOf(req: IncomingMessage | undefined): StorefrontBridge | null {
  return ((req as { [STOREFRONT_BRIDGE]?: StorefrontBridge } | undefined)?.[STOREFRONT_BRIDGE] ??
    null) as StorefrontBridge | null;
}
