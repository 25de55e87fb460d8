import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { TooManyRequestsError } from '@market/core';
import { STOREFRONT_BRIDGE, type StorefrontBridge } from '../../ui/src/lib/server/storefront-bridge';
import type { StorefrontReads } from '../storefront/reads';
import { SearchQuerySchema, type createSearchResults } from '../routes/search';
import type { SessionState } from './session';
import { pagePolicy, websocketOrigin } from './content-security';

/** The SvelteKit app as `adapter-node` builds it (`npm run build:ui`). */
export const STOREFRONT_BUILD = fileURLToPath(new URL('../../ui/build/', import.meta.url));

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => unknown;

/** Paths that belong to the API, uploads and sockets: never a storefront page, even when unanswered. */
const NOT_PAGES = /^\/(api|media|socket\.io)(\/|$)/;

/**
 * The storefront: SvelteKit's Node handler (its built assets, then its pages) mounted inside the Koa app,
 * for GET and HEAD requests nothing before it answered. The API, Socket.IO and sessions stay in Koa; a
 * page's server code reaches the app's services through the bridge left on the request, in-process.
 */
export function storefront(opts: {
  production: boolean;
  /** PUBLIC_URL, when set: the origin of canonical URLs (else each request's own, as the proxy reports it). */
  publicUrl: string | undefined;
  /** The catalog reads pages render from, in-process. */
  reads: StorefrontReads;
  /** What `GET /api/search` answers, for the results page (with this request's budget and shopper). */
  searchResults: ReturnType<typeof createSearchResults>;
  /** Another build directory (tests); the default is `web/ui/build`. */
  buildDir?: string;
}): Koa.Middleware<SessionState> {
  const buildDir = opts.buildDir ?? STOREFRONT_BUILD;
  let handler: Promise<NodeHandler> | null = null;
  const loadHandler = () =>
    (handler ??= import(pathToFileURL(`${buildDir}/handler.js`).href).then(
      (module: { handler: NodeHandler }) => module.handler,
      (error: unknown) => {
        handler = null;
        throw error;
      },
    ));

  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined || !['GET', 'HEAD'].includes(ctx.method)) return;
    if (NOT_PAGES.test(ctx.path)) return;
    // Checked until the handler has loaded, not on every page request.
    if (!handler && !existsSync(`${buildDir}/handler.js`)) {
      ctx.status = 503;
      ctx.body = 'The storefront is not built yet: run `npm run build:ui`.';
      return;
    }
    const render = await loadHandler();
    const bridge: StorefrontBridge = {
      ...opts.reads,
      contentSecurityPolicy: (inline) => pagePolicy(websocketOrigin(ctx), inline),
      devPages: !opts.production,
      signedIn: ctx.state.user != null,
      // Koa 3's `ctx.origin` is the Origin header; the site's origin is the scheme and host the proxy reports.
      publicOrigin: opts.publicUrl ? new URL(opts.publicUrl).origin : `${ctx.protocol}://${ctx.host}`,
      search: async (params) => {
        const query = SearchQuerySchema.safeParse(params);
        if (!query.success) return null;
        try {
          return await opts.searchResults(ctx, query.data, ctx.state.user ?? null);
        } catch (error) {
          // Over the search budget: the page renders without results and the browser's own request
          // gets the 429 and its message, as without server rendering.
          if (error instanceof TooManyRequestsError) return null;
          throw error;
        }
      },
    };
    Object.assign(ctx.req, { [STOREFRONT_BRIDGE]: bridge });
    // SvelteKit writes the response itself; Koa steps aside and waits until it is sent.
    ctx.respond = false;
    await new Promise<void>((resolve, reject) => {
      ctx.res.once('finish', resolve);
      ctx.res.once('close', resolve);
      try {
        void Promise.resolve(render(ctx.req, ctx.res, resolve)).catch(reject);
      } catch (error) {
        reject(error);
      }
    });
  };
}
