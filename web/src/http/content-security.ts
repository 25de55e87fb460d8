import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';

/**
 * The one inline style attribute allowed: SvelteKit's route announcer (the visually hidden live region that
 * tells screen readers a client-side navigation happened, `@sveltejs/kit/src/runtime/components/root.svelte`)
 * carries it. `'unsafe-hashes'` with its hash admits exactly this attribute value and no other.
 */
const ROUTE_ANNOUNCER_STYLE =
  'position: absolute; left: 0; top: 0; clip: rect(0 0 0 0); clip-path: inset(50%); overflow: hidden; white-space: nowrap; width: 1px; height: 1px';
const ROUTE_ANNOUNCER_HASH = sha256Source(ROUTE_ANNOUNCER_STYLE);

/**
 * The one inline event handler allowed: on a server-rendered `<img>` with an error or load listener,
 * Svelte writes `onerror="this.__e=event"` so an event that fires before hydration is replayed to the
 * component afterwards (a broken photo still falls back to the generated artwork). Admitted by its hash.
 */
const SVELTE_EVENT_REPLAY_HASH = sha256Source('this.__e=event');

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

/** `'sha256-…'` sources of inline scripts and styles a rendered page carries. */
export interface InlineSources {
  scripts: string[];
  styles: string[];
}

/**
 * The Content-Security-Policy of every page (storefront and API docs): only our own scripts and styles, no inline script, no
 * `eval`, no inline style attributes but SvelteKit's route announcer's (the Svelte app sets dynamic styles through the CSSOM, which a
 * policy does not govern), no plugins, no framing, forms and `<base>` only to ourselves. Images may be
 * `data:` (generated product artwork, the favicon) and `blob:` (photo previews before upload).
 * `connect-src 'self'` covers same-origin WebSockets in CSP 3 browsers; the explicit ws(s) origin is for
 * older ones (Socket.IO connects to the page's own host). `inline` holds the hashes of what SvelteKit
 * writes inline into a page it renders (web/ui/src/hooks.server.ts), and nothing else: the one script that
 * starts the app, and the page's stylesheets merged into one `<style>` (inlined so the first paint waits
 * for no stylesheet request).
 */
export function pagePolicy(
  wsOrigin: string | null,
  inline: InlineSources = { scripts: [], styles: [] },
): string {
  return [
    "default-src 'self'",
    ["script-src 'self'", ...inline.scripts, "'unsafe-hashes'", SVELTE_EVENT_REPLAY_HASH].join(' '),
    ["style-src 'self'", ...inline.styles, "'unsafe-hashes'", ROUTE_ANNOUNCER_HASH].join(' '),
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

const HSTS = 'max-age=31536000; includeSubDomains';
/** A Host header we would echo into the policy: a name or address and a port, nothing else. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Sets the policy on every HTML response, the API docs included (Swagger UI's files are ours and React
 * sets its styles through the CSSOM, so it needs no exception: the browser test opens an operation under
 * this policy); API JSON needs none, browsers do not run it. HSTS goes on everything in production,
 * where the app is only reached over HTTPS through the proxy; not outside it, where it would pin
 * `localhost` to HTTPS in the developer's browser for a year.
 */
export function contentSecurity(opts: { production: boolean }): Middleware {
  return async (ctx, next) => {
    // Before `next`: pages rendered by SvelteKit write their own head (web/src/http/storefront.ts).
    if (opts.production) ctx.set('Strict-Transport-Security', HSTS);
    await next();
    if (!ctx.response.is('html')) return;
    ctx.set('Content-Security-Policy', pagePolicy(websocketOrigin(ctx)));
  };
}

/** The page's own host as a ws(s) origin, for the policy's `connect-src`. */
export function websocketOrigin(ctx: { host: string; protocol: string }): string | null {
  return PLAIN_HOST.test(ctx.host) ? `${ctx.protocol === 'https' ? 'wss' : 'ws'}://${ctx.host}` : null;
}
