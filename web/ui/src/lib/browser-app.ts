import { createAccountApi } from './api/account-api';
import { createAuthApi } from './api/auth-api';
import { Notifications } from './notifications.svelte';
import { createCatalogApi } from './api/catalog-api';
import { createCommerceApi } from './api/commerce-api';
import { createCouponAdminApi } from './api/coupon-admin-api';
import { createFinanceApi } from './api/finance-api';
import { createAdminApi } from './api/admin-api';
import { createHttpClient } from './api/http-client';
import { createOperationsApi } from './api/operations-api';
import { createReviewsApi } from './api/reviews-api';
import { createSearchApi } from './api/search-api';
import { createSellerApi } from './api/seller-api';
import type { AppContext } from './app-context';
import { FavouriteStore } from './favourites.svelte';
import { CartStore } from './cart.svelte';
import { CategoryStore } from './categories.svelte';
import { I18n } from './i18n/i18n.svelte';
import { LiveStock } from './realtime/live-stock.svelte';
import { Realtime } from './realtime/socket';
import { StockSubscriptions } from './realtime/stock-subscriptions';
import { Router } from './router.svelte';
import { Session } from './session.svelte';

/**
 * The composition root of the storefront in the browser: the API clients, stores and sockets every page
 * shares, created once when the root layout first runs and handed down through context (`provideApp`).
 */
export function createBrowserApp(): AppContext {
  // Composition root: the session owns the CSRF token the HTTP client sends, hence the late binding.
  const http = createHttpClient({
    csrfToken: () => session.csrfToken(),
    refreshCsrfToken: () => session.refresh(),
  });
  const session = new Session(createAuthApi(http));
  const catalog = createCatalogApi(http);
  const realtime = new Realtime();
  const socket = realtime.shop;
  const commerce = createCommerceApi(http);
  const cart = new CartStore(commerce.cart);
  const favourites = new FavouriteStore(commerce.favourites);
  const accounts = createAccountApi(http);
  const notifications = new Notifications(accounts, socket);

  const app: AppContext = {
    router: new Router(),
    i18n: new I18n(),
    session,
    catalog,
    seller: createSellerApi(http),
    search: createSearchApi(http),
    reviews: createReviewsApi(http),
    categories: new CategoryStore(catalog),
    liveStock: new LiveStock(socket, new StockSubscriptions(socket), async (productId) =>
      (await catalog.getProduct(productId)).variants.map((v) => ({
        sku: v.sku,
        available: v.available,
        version: v.stockVersion,
      })),
    ),
    socket,
    realtime,
    commerce,
    cart,
    favourites,
    operations: createOperationsApi(http),
    couponAdmin: createCouponAdminApi(http),
    finance: createFinanceApi(http),
    admin: createAdminApi(http),
    accounts,
    notifications,
  };

  void session
    .refresh()
    .catch((error: unknown) => console.warn('Could not load the session', error))
    .finally(() => {
      cart.followSession(session);
      favourites.followSession(session);
      notifications.followSession(session);
      // The server picks rooms and namespaces at handshake time, so a new identity needs a new connection.
      session.onUserChanged(() => realtime.reconnect());
      // Ended elsewhere (another tab's logout, a password change, a block): the server cut our sockets.
      // Reading the session shows the signed-out state; reconnect even if it was already known here.
      realtime.onSessionEnded(() => {
        const before = session.user?.id;
        void session.refresh().finally(() => {
          if (session.user?.id === before) realtime.reconnect();
        });
      });
    });
  void app.categories.load();
  return app;
}
