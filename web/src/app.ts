import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { errorHandler } from './http/error-handler';
import { httpMetrics } from './http/http-metrics';
import { opsRoutes } from './http/ops-routes';
import { storeGuard } from './http/store-guard';
import { storefront } from './http/storefront';
import { createStorefrontReads } from './storefront/reads';
import { createRouteDefiner } from './http/route';
import { contentSecurity } from './http/content-security';
import { methodNotAllowed } from './http/method-not-allowed';
import { refuseForeignOrigins } from './http/origin-check';
import { csrfMiddleware, sessionMiddleware, type SessionState } from './http/session';
import { adminUserRoutes } from './routes/admin-users';
import { adminPeopleRoutes } from './routes/admin-people';
import { adminSellerRoutes } from './routes/admin-sellers';
import { adminCatalogRoutes } from './routes/admin-catalog';
import { adminAuditRoutes } from './routes/admin-audit';
import { authRoutes } from './routes/auth';
import { accountRoutes } from './routes/accounts';
import { notificationRoutes } from './routes/notifications';
import { devMailboxRoutes } from './routes/dev-mailbox';
import { cartRoutes } from './routes/cart';
import { checkoutRoutes } from './routes/checkout';
import { addressRoutes } from './routes/addresses';
import { favouriteRoutes } from './routes/favourites';
import { orderRoutes } from './routes/orders';
import { afterSalesRoutes } from './routes/aftersales';
import { paymentRoutes } from './routes/payments';
import { reviewRoutes } from './routes/reviews';
import { membershipRoutes } from './routes/membership';
import { referralRoutes } from './routes/referrals';
import { analyticsRoutes } from './routes/analytics';
import { flashSaleRoutes } from './routes/flash-sales';
import { groupBuyingRoutes } from './routes/group-buying';
import { promotionRoutes } from './routes/promotions';
import { autoPromotionRoutes } from './routes/auto-promotions';
import { catalogRoutes } from './routes/catalog';
import { docsRoutes } from './routes/docs';
import { mediaRoutes } from './routes/media';
import { photoRoutes } from './routes/photos';
import { createSearchResults, searchRoutes } from './routes/search';
import { recsRoutes } from './routes/recs';
import { beaconCsrfFromQuery } from './recs/actor';
import { sellerRoutes } from './routes/seller';
import { logisticsRoutes } from './routes/logistics';
import { courierRoutes } from './routes/couriers';
import { financeRoutes } from './routes/finance';
import type { WebDeps } from './web-deps';

function securityHeaders(): Koa.Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.set('X-Frame-Options', 'DENY');
    await next();
  };
}

function requestLog(deps: WebDeps): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const id = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', id);
    await next();
    if (ctx.path.startsWith('/api/')) {
      deps.log.debug(
        {
          id,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}

/** The Koa application: middleware and routers, nothing else. Engines and services come in `deps`. */
export function createWebApp(deps: WebDeps, opts: { sessionKeys: string[] }) {
  // Behind the one production proxy (deploy/nginx.conf), the client's address is the last X-Forwarded-For
  // entry (the one nginx appended); earlier entries are the client's to invent (per-IP rate limits).
  const production = deps.config.env === 'production';
  const app = new Koa<SessionState>({ keys: opts.sessionKeys, proxy: production, maxIpsCount: 1 });
  // Koa would print every error a second time; the error handler already logs the unexpected ones.
  app.silent = true;
  const registry = new OpenAPIRegistry();
  const router = new Router();
  const route = createRouteDefiner(router, registry);

  authRoutes(route, deps);
  accountRoutes(route, deps);
  notificationRoutes(route, deps);
  devMailboxRoutes(route, deps);
  adminUserRoutes(route, deps);
  adminPeopleRoutes(route, deps);
  adminSellerRoutes(route, deps);
  adminCatalogRoutes(route, deps);
  adminAuditRoutes(route, deps);
  catalogRoutes(route, deps);
  sellerRoutes(route, deps);
  photoRoutes(route, deps);
  searchRoutes(route, deps);
  cartRoutes(route, deps);
  checkoutRoutes(route, deps);
  addressRoutes(route, deps);
  favouriteRoutes(route, deps);
  orderRoutes(route, deps);
  afterSalesRoutes(route, deps);
  paymentRoutes(route, deps);
  reviewRoutes(route, deps);
  promotionRoutes(route, deps);
  autoPromotionRoutes(route, deps);
  flashSaleRoutes(route, deps);
  groupBuyingRoutes(route, deps);
  analyticsRoutes(route, deps);
  membershipRoutes(route, deps);
  referralRoutes(route, deps);
  recsRoutes(route, router, deps);
  logisticsRoutes(route, deps);
  courierRoutes(route, deps);
  financeRoutes(route, deps);
  mediaRoutes(router, deps);
  docsRoutes(router, registry);

  app
    .use(httpMetrics(deps.ops.metrics, deps.config.httpMetrics))
    .use(errorHandler(deps.log))
    .use(requestLog(deps))
    .use(securityHeaders())
    .use(contentSecurity({ production }))
    .use(
      opsRoutes({
        metrics: deps.ops.metrics,
        readiness: deps.ops.readiness,
        auth: deps.core.auth,
        metricsToken: deps.config.metricsToken,
      }),
    )
    .use(storeGuard(deps.ops.store))
    .use(
      storefront({
        production,
        publicUrl: deps.config.http.publicUrl,
        reads: createStorefrontReads(deps.core, deps.recs, {
          sitemapChunkSize: deps.config.sitemapChunkSize,
        }),
        searchResults: createSearchResults(deps),
      }),
    )
    .use(refuseForeignOrigins(deps.config.http.publicUrl))
    .use(
      bodyParser({
        enableTypes: ['json', 'text'],
        extendTypes: { text: ['text/csv', 'application/csv'] },
        jsonLimit: '1mb',
        textLimit: deps.config.limits.csvBytes,
        encoding: 'utf-8',
        parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
      }),
    )
    .use(sessionMiddleware(deps.core.auth))
    .use(beaconCsrfFromQuery())
    .use(csrfMiddleware())
    .use(router.routes())
    .use(methodNotAllowed(router));

  return { app, registry, declaredRoutes: route.declared };
}
