import type { Middleware } from 'koa';

/**
 * The storefront's Content-Security-Policy: only our own scripts and styles, no inline script, no
 * `eval`, no inline style attributes (the Svelte app sets dynamic styles through the CSSOM, which a
 * policy does not govern), no plugins, no framing, forms and `<base>` only to ourselves. Images may be
 * `data:` (generated product artwork, the favicon) and `blob:` (photo previews before upload).
 * `connect-src 'self'` covers same-origin WebSockets in CSP 3 browsers; the explicit ws(s) origin is for
 * older ones (Socket.IO connects to the page's own host).
 */
function storefrontPolicy(wsOrigin: string | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${wsOrigin ? ` ${wsOrigin}` : ''}`,
    "media-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Swagger UI at `/api/docs`: its bundle and init script are files of ours, but React sets inline
 * `<style>` for its syntax highlighter and it shows inline SVG icons as data URIs, so styles may be
 * inline there (scripts may not). It fetches `/api/openapi.json` and "try it out" calls our own API.
 */
const DOCS_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HSTS = 'max-age=31536000; includeSubDomains';
/** A Host header we would echo into the policy: a name or address and a port, nothing else. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Sets the policy on every HTML response (API JSON needs none: browsers do not run it), and HSTS in
 * production, where the app is only reached over HTTPS through the proxy. Outside production no HSTS:
 * it would pin `localhost` to HTTPS in the developer's browser for a year.
 */
export function contentSecurity(opts: { production: boolean }): Middleware {
  return async (ctx, next) => {
    await next();
    if (opts.production) ctx.set('Strict-Transport-Security', HSTS);
    if (!ctx.response.is('html')) return;
    if (ctx.path === '/api/docs') {
      ctx.set('Content-Security-Policy', DOCS_POLICY);
      return;
    }
    const wsOrigin = PLAIN_HOST.test(ctx.host)
      ? `${ctx.protocol === 'https' ? 'wss' : 'ws'}://${ctx.host}`
      : null;
    ctx.set('Content-Security-Policy', storefrontPolicy(wsOrigin));
  };
}
