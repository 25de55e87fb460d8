import { ForeignOriginError } from '@market/core';
import type { Middleware } from 'koa';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** `Sec-Fetch-Site` values a browser sends for requests our own pages (or the user, typing) started. */
const OWN_SITE = new Set(['same-origin', 'none']);

/**
 * Refuses state-changing API requests that a browser says came from another site, even with a valid
 * CSRF token (defence in depth: a token leaked through an XSS elsewhere, or a sibling subdomain, which
 * SameSite=Lax cookies do not keep out). Browsers send `Origin` on every cross-origin write, and
 * `Sec-Fetch-Site` on all of them; a request with neither is not from a browser (webhooks, scripts,
 * server-to-server) and passes on to the CSRF check.
 *
 * "Our origin" is the request's own scheme and host (behind the production proxy, from
 * `X-Forwarded-Proto`/`X-Forwarded-Host`: Koa's `proxy` setting), or PUBLIC_URL's, for a proxy that
 * rewrites the Host. Both: docker-compose sets PUBLIC_URL to the node's own address (where payment
 * webhooks go) while browsers come through nginx. A foreign page cannot choose either: its Origin is
 * its own, and the Host it sends is the one it asked for.
 */
export function refuseForeignOrigins(publicUrl: string | undefined): Middleware {
  const configured = publicUrl ? new URL(publicUrl).origin : null;
  return async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method) || !ctx.path.startsWith('/api/')) return next();
    const origin = ctx.get('Origin');
    // Not `ctx.origin`: since Koa 3 that is the request's own Origin header, which would always match.
    // `null` (sandboxed frames, some redirects) is nobody we know.
    if (origin && origin !== `${ctx.protocol}://${ctx.host}` && origin !== configured)
      throw new ForeignOriginError(origin);
    const site = ctx.get('Sec-Fetch-Site');
    if (site && !OWN_SITE.has(site)) throw new ForeignOriginError(`a ${site} page`);
    return next();
  };
}
