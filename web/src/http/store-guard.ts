import { ServiceUnavailableError, type StoreHealth } from '@market/core';
import type { Middleware } from 'koa';

/** What a client is told to wait: the embedded store restarts within a second or two, MongoDB elects in seconds. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** API paths that never touch the document store. */
const STORELESS = new Set(['/api/openapi.json', '/api/docs']);

/**
 * Fails API and media requests at once with 503 + Retry-After while the document store is unreachable,
 * instead of letting each one wait for the driver's server selection to give up. Pages (the SPA shell,
 * assets) are still served: the app shows its own error when its API calls fail.
 */
export function storeGuard(store: Pick<StoreHealth, 'isUp'>): Middleware {
  return async (ctx, next) => {
    if (
      !store.isUp() &&
      (ctx.path.startsWith('/api/') || ctx.path.startsWith('/media/')) &&
      !STORELESS.has(ctx.path)
    ) {
      throw new ServiceUnavailableError(
        'The marketplace cannot reach its database right now; try again in a few seconds',
        STORE_RETRY_AFTER_SECONDS,
      );
    }
    await next();
  };
}
