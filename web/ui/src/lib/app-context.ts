import { getContext, setContext } from 'svelte';
import type { AdminApi } from './api/admin-api';
import type { AccountApi } from './api/account-api';
import type { CatalogApi } from './api/catalog-api';
import type { Notifications } from './notifications.svelte';
import type { ReviewsApi } from './api/reviews-api';
import type { CommerceApi } from './api/commerce-api';
import type { CouponAdminApi } from './api/coupon-admin-api';
import type { FlashManagementApi } from './api/flash-api';
import type { PromotionAdminApi } from './api/promotion-admin-api';
import type { FinanceApi } from './api/finance-api';
import type { OperationsApi } from './api/operations-api';
import type { SearchApi } from './api/search-api';
import type { SellerApi } from './api/seller-api';
import type { CartStore } from './cart.svelte';
import type { CategoryStore } from './categories.svelte';
import type { FavouriteStore } from './favourites.svelte';
import type { I18n } from './i18n/i18n.svelte';
import type { LiveStock } from './realtime/live-stock.svelte';
import type { Realtime, RealtimeSocket } from './realtime/socket';
import type { Router } from './router.svelte';
import type { ServerTime } from './server-time.svelte';
import type { Session } from './session.svelte';

/** Everything the components share, assembled once in `main.ts` and handed down through context. */
export interface AppContext {
  router: Router;
  i18n: I18n;
  session: Session;
  catalog: CatalogApi;
  seller: SellerApi;
  search: SearchApi;
  reviews: ReviewsApi;
  categories: CategoryStore;
  liveStock: LiveStock;
  /** The shopper's socket (`/shop`): live stock, own orders, payments and deliveries. */
  socket: RealtimeSocket;
  /** Every namespace; staff pages take theirs with `realtime.of('seller' | 'courier' | 'support')`. */
  realtime: Realtime;
  /** The shopper's cart, checkout, orders, payment page and membership. */
  commerce: CommerceApi;
  cart: CartStore;
  /** Which products and shops the shopper favourited (the hearts). */
  favourites: FavouriteStore;
  /** Seller and support order work (queue, lookup, cancel, refund). */
  operations: OperationsApi;
  couponAdmin: CouponAdminApi;
  /** Scheduling and ending flash sales (sellers: their own; admins: every shop's). */
  flashAdmin: FlashManagementApi;
  /** Automatic promotions: a seller's own, the platform's for admins. */
  promotionAdmin: PromotionAdminApi;
  /** Seller finance, commission rates and the admin finance overview. */
  finance: FinanceApi;
  /** The back office (`/admin`), support's people lookup and the seller's onboarding application. */
  admin: AdminApi;
  /** Password reset, phone login, notification switches, the dev mailbox. */
  accounts: AccountApi;
  /** The bell: unread count and the latest notifications, live. */
  notifications: Notifications;
  /** The server's clock for the small countdowns on cards. */
  serverTime: ServerTime;
}

const KEY = Symbol('app');

export function provideApp(app: AppContext): void {
  setContext(KEY, app);
}

export function useApp(): AppContext {
  const app = getContext<AppContext | undefined>(KEY);
  if (!app) throw new Error('useApp() called outside <App>');
  return app;
}
