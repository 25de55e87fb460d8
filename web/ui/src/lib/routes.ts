/** The app's pages, matched from the path; filters and tabs live in the query string. */
export type Route =
  | { name: 'home' }
  | { name: 'category'; categoryId: string }
  | { name: 'shop'; shopId: string }
  | { name: 'product'; productId: string }
  | { name: 'search' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'seller' }
  | { name: 'sellerPhotos'; productId: string }
  | { name: 'coupons'; scope: 'seller' | 'admin' }
  | { name: 'sellerFinance' }
  | { name: 'adminCommission' }
  | { name: 'adminFinance' }
  | { name: 'admin'; section: AdminSection }
  | { name: 'adminPerson'; userId: string }
  | { name: 'analytics'; scope: 'seller' | 'admin' }
  | { name: 'support' }
  | { name: 'photoReview' }
  | { name: 'courier' }
  | { name: 'cart' }
  | { name: 'checkout' }
  | { name: 'checkoutResult'; checkoutId: string }
  | { name: 'sandboxPay'; sessionId: string }
  | { name: 'orders' }
  | { name: 'order'; orderId: string }
  | { name: 'afterSalesNew'; orderId: string }
  | { name: 'afterSales'; requestId: string }
  | { name: 'sellerAfterSales' }
  | { name: 'account' }
  | { name: 'profile' }
  | { name: 'favourites' }
  | { name: 'addresses' }
  | { name: 'settings' }
  | { name: 'notifications' }
  | { name: 'forgotPassword' }
  | { name: 'resetPassword' }
  | { name: 'verifyEmail' }
  | { name: 'phoneLogin' }
  | { name: 'devMailbox' }
  | { name: 'notFound' };

/** The back office's sections, one per entry of its left nav. */
export const ADMIN_SECTIONS = ['people', 'sellers', 'catalog', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

const routes: [RegExp, (id: string) => Route][] = [
  [/^\/$/, () => ({ name: 'home' })],
  [/^\/c\/([^/]+)\/?$/, (categoryId) => ({ name: 'category', categoryId })],
  [/^\/shop\/([^/]+)\/?$/, (shopId) => ({ name: 'shop', shopId })],
  [/^\/p\/([^/]+)\/?$/, (productId) => ({ name: 'product', productId })],
  [/^\/search\/?$/, () => ({ name: 'search' })],
  [/^\/login\/?$/, () => ({ name: 'login' })],
  [/^\/register\/?$/, () => ({ name: 'register' })],
  [/^\/seller\/?$/, () => ({ name: 'seller' })],
  [/^\/seller\/aftersales\/?$/, () => ({ name: 'sellerAfterSales' })],
  [/^\/seller\/coupons\/?$/, () => ({ name: 'coupons', scope: 'seller' })],
  [/^\/seller\/products\/([^/]+)\/photos\/?$/, (productId) => ({ name: 'sellerPhotos', productId })],
  [/^\/admin\/coupons\/?$/, () => ({ name: 'coupons', scope: 'admin' })],
  [/^\/seller\/finance\/?$/, () => ({ name: 'sellerFinance' })],
  [/^\/admin\/commission\/?$/, () => ({ name: 'adminCommission' })],
  [/^\/admin\/finance\/?$/, () => ({ name: 'adminFinance' })],
  [/^\/admin\/?$/, () => ({ name: 'admin', section: 'people' })],
  [
    /^\/admin\/(people|sellers|catalog|audit)\/?$/,
    (section) => ({ name: 'admin', section: section as AdminSection }),
  ],
  [/^\/admin\/people\/([^/]+)\/?$/, (userId) => ({ name: 'adminPerson', userId })],
  [/^\/seller\/analytics\/?$/, () => ({ name: 'analytics', scope: 'seller' })],
  [/^\/admin\/analytics\/?$/, () => ({ name: 'analytics', scope: 'admin' })],
  [/^\/support\/?$/, () => ({ name: 'support' })],
  [/^\/support\/photos\/?$/, () => ({ name: 'photoReview' })],
  [/^\/courier\/?$/, () => ({ name: 'courier' })],
  [/^\/cart\/?$/, () => ({ name: 'cart' })],
  [/^\/checkout\/?$/, () => ({ name: 'checkout' })],
  [/^\/checkout\/([^/]+)\/?$/, (checkoutId) => ({ name: 'checkoutResult', checkoutId })],
  [/^\/pay\/sandbox\/([^/]+)\/?$/, (sessionId) => ({ name: 'sandboxPay', sessionId })],
  [/^\/orders\/?$/, () => ({ name: 'orders' })],
  [/^\/orders\/([^/]+)\/?$/, (orderId) => ({ name: 'order', orderId })],
  [/^\/orders\/([^/]+)\/aftersales\/new\/?$/, (orderId) => ({ name: 'afterSalesNew', orderId })],
  [/^\/aftersales\/([^/]+)\/?$/, (requestId) => ({ name: 'afterSales', requestId })],
  [/^\/account\/?$/, () => ({ name: 'account' })],
  [/^\/account\/profile\/?$/, () => ({ name: 'profile' })],
  [/^\/account\/favourites\/?$/, () => ({ name: 'favourites' })],
  [/^\/account\/addresses\/?$/, () => ({ name: 'addresses' })],
  [/^\/account\/settings\/?$/, () => ({ name: 'settings' })],
  [/^\/notifications\/?$/, () => ({ name: 'notifications' })],
  [/^\/forgot-password\/?$/, () => ({ name: 'forgotPassword' })],
  [/^\/reset-password\/?$/, () => ({ name: 'resetPassword' })],
  [/^\/verify-email\/?$/, () => ({ name: 'verifyEmail' })],
  [/^\/login\/phone\/?$/, () => ({ name: 'phoneLogin' })],
  [/^\/dev\/mailbox\/?$/, () => ({ name: 'devMailbox' })],
];

export function matchRoute(path: string): Route {
  for (const [pattern, build] of routes) {
    const match = pattern.exec(path);
    if (match) return build(decodeURIComponent(match[1] ?? ''));
  }
  return { name: 'notFound' };
}

/**
 * Whether `path` is one of the app's pages (by shape: an unknown product id is still a product page).
 * The server uses it too, to answer other paths with 404 while still sending the shell.
 */
export function isPagePath(path: string): boolean {
  try {
    return matchRoute(path).name !== 'notFound';
  } catch {
    return false; // a malformed %-escape in an id
  }
}

/** The in-app path for a link, or null when the browser should handle it (other site, API, download). */
export function inAppPath(href: string, base: string): string | null {
  const url = new URL(href, base);
  if (url.origin !== new URL(base).origin) return null;
  if (/^\/(api|media|socket\.io)\//.test(url.pathname)) return null;
  return url.pathname + url.search + url.hash;
}

export function absoluteUrl(href: string, base: string): string {
  return new URL(href, base).href;
}
