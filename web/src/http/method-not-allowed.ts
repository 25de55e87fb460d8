import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ErrorBody } from './error-handler';
import { owningRoutes } from './route-precedence';

/**
 * The router's 405 and 501 answers with the `Allow` header (RFC 9110 §15.5.6 requires it on a 405) and
 * the one JSON error shape. `@koa/router` sets `Allow` only when it does not throw, so it answers here
 * and this turns the answer into ours. Unknown methods (TRACE, PROPFIND…) are the client's mistake:
 * 405, not 501. Outside `/api/` every path is a storefront page (GET and HEAD), so a write there is a
 * 405 too rather than a 404.
 */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function methodNotAllowed(router: Router): Middleware {
  const allowed = router.allowedMethods();
  return async (ctx, next) => {
    // `Allow` lists what the routes that own the path support, not every route whose pattern matches it.
    const routed = ctx as unknown as { matched?: { path: string | RegExp; methods: string[] }[] };
    if (routed.matched) routed.matched = owningRoutes(routed.matched);
    await allowed(ctx as never, next);
    const page = !ctx.path.startsWith('/api/');
    const writeToPage = page && ctx.status === 404 && ctx.body == null && !READS.has(ctx.method);
    if (ctx.status !== 405 && ctx.status !== 501 && !writeToPage) return;
    if (!ctx.response.get('Allow')) ctx.set('Allow', page ? 'GET, HEAD' : '');
    const allow = ctx.response.get('Allow');
    ctx.status = 405;
    ctx.body = {
      error: {
        code: 'method_not_allowed',
        message: `${ctx.method} is not allowed here${allow ? `; allowed: ${allow}` : ''}`,
      },
    } satisfies ErrorBody;
  };
}
