import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { CoreServices } from '@market/core';
import type { Metrics } from '../ops/metrics';
import type { Readiness } from '../ops/readiness';
import { hasRole, SESSION_COOKIE } from './session';

export interface OpsRouteDeps {
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  auth: CoreServices['auth'];
  /** METRICS_TOKEN: scrapers send `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * `GET /healthz`, `GET /readyz` and `GET /metrics`: answered here, before sessions, the store guard
 * and the storefront, so they never fall into the SPA and keep answering while the store is down.
 */
export function opsRoutes(deps: OpsRouteDeps): Middleware {
  /**
   * Who may read /metrics: a bearer METRICS_TOKEN; with no token configured, a direct loopback caller
   * (a request that came through a proxy, which says so in X-Forwarded-For/Forwarded, is not one);
   * otherwise an admin's session.
   */
  async function metricsAccess(ctx: Parameters<Middleware>[0]): Promise<'ok' | 401 | 403> {
    const bearer = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1];
    if (deps.metricsToken && bearer) return sameSecret(bearer, deps.metricsToken) ? 'ok' : 403;
    const forwarded = ctx.get('x-forwarded-for') || ctx.get('forwarded');
    if (!deps.metricsToken && !forwarded && LOOPBACK.test(ctx.req.socket.remoteAddress ?? '')) return 'ok';
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    const session = token ? await deps.auth.resolveSession(token) : null;
    if (!session) return 401;
    return hasRole(session.user, ['admin']) ? 'ok' : 403;
  }

  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    switch (ctx.path) {
      case '/healthz':
        // Liveness: answering at all is the proof; a wedged event loop cannot, and the probe times out.
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
        return;
      case '/readyz': {
        const readiness = await deps.readiness();
        ctx.set('Cache-Control', 'no-store');
        ctx.status = readiness.status === 'ready' ? 200 : 503;
        ctx.body = readiness;
        return;
      }
      case '/metrics': {
        const access = await metricsAccess(ctx);
        ctx.set('Cache-Control', 'no-store');
        if (access !== 'ok') {
          ctx.status = access;
          if (access === 401) ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
          ctx.body = {
            error: {
              code: access === 401 ? 'unauthorized' : 'forbidden',
              message: 'Metrics need METRICS_TOKEN as a bearer token, an admin session, or a loopback call',
            },
          };
          return;
        }
        ctx.type = deps.metrics.registry.contentType;
        ctx.body = await deps.metrics.registry.metrics();
        return;
      }
      default:
        return next();
    }
  };
}
