/**
 * What the browser (the Svelte app in web/ui) may take from core: plain data and types, nothing that
 * reaches Node (mongoose, pino, `node:*`). `tests/boundaries.test.ts` walks the import graph below
 * this file and fails on anything else; ESLint keeps web/ui on this entry.
 */
export { DELIVERY_AREA, type DeliveryArea, type District, type LatLng, type Road } from './logistics/area';
export type { CartLine, CartNotice, CartNoticeCode, CartSellerGroup, CartView } from './cart/types';
export type { PhotoCheckedEvent } from './events/types';
export type { AfterSalesChangedEvent } from './aftersales/types';
export { MAX_FEN } from './money';
export type { GroupProgress } from './group-buying/types';
export {
  MAX_GROUP_SIZE,
  MAX_TIME_LIMIT_MINUTES,
  MIN_GROUP_SIZE,
  MIN_TIME_LIMIT_MINUTES,
} from './group-buying/types';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './users/password-rules';
// The constants the API's schema modules (web/src/schemas*.ts) build their enums and limits from: the
// Svelte app infers its wire types from those modules, so they reach core only through this entry.
export { LOCALES, ROLES } from './users/types';
export { NOTIFICATION_TYPES } from './notifications/types';
export { LISTING_SORTS } from './storefront/types';
export { ORDER_STATUSES, REFUND_STATES } from './orders/types';
export { PICKUP_POINTS } from './checkout/pickup-points';
export { COURIER_AVAILABILITY, DELIVERY_KINDS, DELIVERY_STATUSES } from './logistics/types';
export { CARRYING, FINAL_DELIVERY_STATUSES } from './logistics/state';
export { OPS_ALERT_KINDS } from './alerts/types';
export { REASON_CODES } from './photos/verdict';
export { MODERATION_REASON_MAX, REPLY_BODY_MAX, REVIEW_BODY_MAX, REVIEW_TITLE_MAX } from './reviews/types';
export { FAVOURITE_KINDS, type FavouriteKind } from './favourites/types';
export { ADDRESS_BOOK_LIMIT } from './addresses/types';
export {
  AFTERSALES_EVENTS,
  AFTERSALES_REASONS,
  AFTERSALES_STATUSES,
  AFTERSALES_TYPES,
} from './aftersales/types';
export { HIDDEN_REASONS } from './storefront/visibility';
export { SHOP_STATUSES } from './shops/types';
export {
  APPLICATION_DECISIONS,
  APPLICATION_STATUSES,
  BUSINESS_ADDRESS_MAX,
  BUSINESS_ADDRESS_MIN,
  BUSINESS_NAME_MAX,
  BUSINESS_NAME_MIN,
  DECISION_NOTE_MAX,
  MAX_APPLICATION_CATEGORIES,
  SELLER_KINDS,
} from './seller-applications/types';
export { creditCodeProblem, mainlandMobile, residentIdProblem } from './seller-applications/credit-code';
export { AUDIT_TARGET_TYPES } from './audit/types';
export { ANALYTICS_TABLES, ROW_METRICS } from './analytics/types';
export {
  COHORT_MONTHS,
  FREQUENCY_ORDERS,
  MONETARY_FEN,
  PRICE_BANDS,
  RECENCY_DAYS,
  SEGMENTS,
} from './analytics/rfm';
