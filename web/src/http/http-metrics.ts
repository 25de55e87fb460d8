import type { Middleware } from 'koa';
import type { Metrics } from '../ops/metrics';

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The route label of a request: the @koa/router pattern it matched (`/api/products/:id`), so the label
 * set stays bounded whatever paths clients send; otherwise its kind.
 */
function routeOf(ctx: Parameters<Middleware>[0]): string {
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string') return matched;
  if (OPS_PATHS.has(ctx.path)) return ctx.path;
  if (ctx.path.startsWith('/api/')) return 'api_unmatched';
  if (ctx.path.startsWith('/_app/')) return 'assets'; // the storefront's built files (SvelteKit's appDir)
  if (ctx.path.startsWith('/media/')) return 'media_unmatched';
  return 'page';
}

/**
 * Times every request into `bazaar_http_request_duration_seconds`; outermost, so it sees the final
 * status. `enabled: false` (METRICS_HTTP=false) passes requests straight through.
 */
export function httpMetrics(metrics: Metrics, enabled = true): Middleware {
  if (!enabled) return (_ctx, next) => next();
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe(
        { method: ctx.method, route: routeOf(ctx), status: String(ctx.status) },
        seconds,
      );
    }
  };
}
