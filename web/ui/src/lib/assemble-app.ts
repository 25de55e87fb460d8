import { createAccountApi } from './api/account-api';
import { createAuthApi } from './api/auth-api';
import type { Category } from './api/wire';
import { Notifications } from './notifications.svelte';
import { createCatalogApi } from './api/catalog-api';
import { createCommerceApi } from './api/commerce-api';
import { createCouponAdminApi } from './api/coupon-admin-api';
import { createFlashManagementApi } from './api/flash-api';
import { createPromotionAdminApi } from './api/promotion-admin-api';
import { createFinanceApi } from './api/finance-api';
import { createAdminApi } from './api/admin-api';
import type { HttpClient } from './api/http-client';
import { createOperationsApi } from './api/operations-api';
import { createReviewsApi } from './api/reviews-api';
import { createSearchApi } from './api/search-api';
import { createSellerApi } from './api/seller-api';
import type { AppContext } from './app-context';
import { FavouriteStore } from './favourites.svelte';
import { CartStore } from './cart.svelte';
import { CategoryStore } from './categories.svelte';
import { I18n, type Lang } from './i18n/i18n.svelte';
import type { MessageTable } from './i18n/message-tables';
import { LiveStock } from './realtime/live-stock.svelte';
import type { Realtime } from './realtime/socket';
import { StockSubscriptions } from './realtime/stock-subscriptions';
import { Router } from './router.svelte';
import { ServerTime } from './server-time.svelte';
import { Session } from './session.svelte';

/** What the server decided for the page (root `+layout.server.ts`): both sides start from it. */
export interface InitialAppState {
  lang: Lang;
  /** That language's storefront messages (root `+layout.ts`). */
  messages: MessageTable;
  categories: Category[];
}

/**
 * The API clients, stores and sockets every page shares, handed down through context (`provideApp`).
 * The same assembly renders on the server and runs in the browser; only its HTTP client and sockets
 * differ (`browser-app.ts`, `server-render-app.ts`). The session owns the CSRF token the HTTP client
 * sends, hence `http` taking it late.
 */
export function assembleApp(
  http: (session: () => Session) => HttpClient,
  realtime: Realtime,
  initial: InitialAppState,
): AppContext {
  const client = http(() => session);
  const session = new Session(createAuthApi(client));
  const catalog = createCatalogApi(client);
  const socket = realtime.shop;
  const commerce = createCommerceApi(client);
  const accounts = createAccountApi(client);
  const categories = new CategoryStore(catalog);
  categories.items = initial.categories;
  return {
    router: new Router(),
    i18n: new I18n(initial.lang, initial.messages),
    session,
    catalog,
    seller: createSellerApi(client),
    search: createSearchApi(client),
    reviews: createReviewsApi(client),
    categories,
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
    cart: new CartStore(commerce.cart),
    favourites: new FavouriteStore(commerce.favourites),
    operations: createOperationsApi(client),
    couponAdmin: createCouponAdminApi(client),
    flashAdmin: createFlashManagementApi(client),
    promotionAdmin: createPromotionAdminApi(client),
    finance: createFinanceApi(client),
    admin: createAdminApi(client),
    accounts,
    notifications: new Notifications(accounts, socket),
    serverTime: new ServerTime(commerce.flash),
  };
}
