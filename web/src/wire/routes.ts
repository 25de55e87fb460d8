import type { z } from 'zod';
import {
  CategoryListSchema,
  ImportJobListSchema,
  ImportJobSchema,
  PasswordChangedSchema,
  PasswordCheckSchema,
  ProductDetailSchema,
  ProductPageSchema,
  SellerProductPageSchema,
  SessionSchema,
  StockLevelSchema,
  UserSchema,
} from '../schemas';
import {
  CartSchema,
  CheckoutResultSchema,
  CheckoutStateSchema,
  OrderSchema,
  OrderSummaryPageSchema,
  SupportOrderSummaryPageSchema,
  PaymentRetrySchema,
  PickupPointListSchema,
  QuoteSchema,
  SandboxSessionSchema,
} from '../schemas-commerce';
import {
  ReviewableListSchema,
  ReviewPageSchema,
  ReviewSchema,
  SupportReviewPageSchema,
  SupportReviewSchema,
} from '../schemas-reviews';
import {
  CourierProfileListSchema,
  CourierProfileSchema,
  DeliveryFeedSchema,
  DeliverySchema,
  DeliverySummaryListSchema,
  OrderDeliverySchema,
  OpsAlertListSchema,
} from '../routes/logistics-schemas';
import { AccountAccessSchema } from '../routes/admin-users-schemas';
import {
  AddressBookSchema,
  FavouriteAlertListSchema,
  FavouritePageSchema,
  FavouriteStateSchema,
  SavedAddressSchema,
  AcceptedSchema,
  AccountClosedSchema,
  AccountExportSchema,
  PasswordResetSchema,
  ResetLinkSchema,
} from '../routes/accounts-schemas';
import {
  AccountPageSchema,
  ApplicationPageSchema,
  ApplicationSchema,
  AuditPageSchema,
  PersonRowPageSchema,
  PersonSchema,
  ShopPageSchema,
  ShopSchema,
  TakedownSchema,
} from '../routes/admin-schemas';
import {
  AnalyticsLiveSchema,
  AnalyticsOverviewSchema,
  AnalyticsRebuildSchema,
  AnalyticsStatusSchema,
  AnalyticsTableSchema,
  CohortReportSchema,
  SegmentReportSchema,
} from '../routes/analytics-schemas';
import { MemberPointsSchema, TierListSchema } from '../routes/membership-schemas';
import { FlaggedReferralListSchema, InviteSummarySchema, ReferralSchema } from '../routes/referrals-schemas';
import { PhotoReviewQueueSchema, PhotoSchema, ProductPhotosSchema } from '../routes/photos-schemas';
import {
  AvailableCouponListSchema,
  CouponSchema,
  ManagedCouponListSchema,
} from '../routes/promotions-schemas';
import { AutoPromotionSchema, ManagedAutoPromotionListSchema } from '../routes/auto-promotions-schemas';
import {
  ClaimAnswerSchema,
  FlashSaleListSchema,
  FlashSaleSchema,
  PublicFlashSaleListSchema,
} from '../routes/flash-sales-schemas';
import {
  GroupDealSchema,
  GroupPageSchema,
  ManagedGroupDealListSchema,
  ProductGroupDealsSchema,
} from '../routes/group-buying-schemas';
import {
  EventBatchResultSchema,
  FeedSchema,
  ProfileResetSchema,
  ProfileSchema,
  RecommendedListSchema,
  RecsRebuildJobSchema,
  RecsStatusSchema,
} from '../routes/recs-schemas';
import { SearchResultSchema, SuggestionListSchema } from '../routes/search-schemas';
import {
  CommissionLineSchema,
  CommissionRuleListSchema,
  CommissionRuleSchema,
  FinanceOverviewSchema,
  FinanceSummarySchema,
  PayoutAccountSchema,
  PayoutListSchema,
  PayoutSchema,
  ReconciliationSchema,
  SettlementEntryPageSchema,
  StatementSchema,
} from '../routes/finance-schemas';
import {
  AfterSalesPageSchema,
  AfterSalesRequestSchema,
  EvidenceSchema,
  OrderAfterSalesSchema,
} from '../routes/aftersales-schemas';
import { DevMailListSchema, DevMailSchema, DevSmsListSchema } from '../routes/dev-mailbox-schemas';
import {
  NotificationPageSchema,
  NotificationSchema,
  PreferencesSchema,
  UnreadSchema,
} from '../routes/notifications-schemas';

/**
 * Every JSON answer of the API, by `METHOD /path` (OpenAPI path syntax) and success status: the very
 * schema objects the routes declare. `wire.test.ts` fails when this table and the routes disagree (a
 * route missing here, another schema, another status), so the types below cannot drift from the API.
 * A new route that answers JSON gets its line here, next to its domain's.
 *
 * Left out on purpose: the payment and payout providers' webhooks (`POST /api/payments/webhooks/sandbox`,
 * `POST /api/payouts/webhooks/sandbox`), which
 * answers the provider, not a client of the API. Not JSON routes, so not here either: the CSV of an
 * import's errors, and `/healthz`, `/readyz`, `/metrics` (a middleware before the API answers them,
 * `web/src/http/ops-routes.ts`).
 */
export const API_RESPONSES = {
  // accounts
  'POST /api/auth/register': { 201: SessionSchema },
  'POST /api/auth/login': { 200: SessionSchema },
  'GET /api/auth/session': { 200: SessionSchema },
  'POST /api/auth/password': { 200: PasswordChangedSchema },
  'POST /api/auth/password-check': { 200: PasswordCheckSchema },
  'POST /api/auth/password-reset': { 202: AcceptedSchema },
  'POST /api/auth/password-reset/check': { 200: ResetLinkSchema },
  'POST /api/auth/password-reset/confirm': { 200: PasswordResetSchema },
  'POST /api/auth/phone-code': { 202: AcceptedSchema },
  'POST /api/auth/phone-login': { 200: SessionSchema },
  'PATCH /api/account/profile': { 200: UserSchema },
  'PUT /api/account/avatar': { 200: UserSchema },
  'DELETE /api/account/avatar': { 200: UserSchema },
  'POST /api/account/email-verification': { 202: AcceptedSchema },
  'POST /api/account/phone/code': { 202: AcceptedSchema },
  'POST /api/account/phone': { 200: UserSchema },
  'GET /api/account/export': { 200: AccountExportSchema },
  'POST /api/account/close': { 200: AccountClosedSchema },
  // notifications
  'GET /api/notifications': { 200: NotificationPageSchema },
  'GET /api/notifications/unread': { 200: UnreadSchema },
  'POST /api/notifications/read-all': { 200: UnreadSchema },
  'GET /api/notifications/preferences': { 200: PreferencesSchema },
  'PUT /api/notifications/preferences': { 200: PreferencesSchema },
  'GET /api/notifications/{id}': { 200: NotificationSchema },
  'POST /api/notifications/{id}/read': { 200: UnreadSchema },
  // the dev mailbox (development and test only)
  'GET /api/dev/mailbox': { 200: DevMailListSchema },
  'GET /api/dev/mailbox/{id}': { 200: DevMailSchema },
  'GET /api/dev/sms': { 200: DevSmsListSchema },
  'GET /api/admin/users/{id}': { 200: AccountAccessSchema },
  'POST /api/admin/users/{id}/block': { 200: AccountAccessSchema },
  'POST /api/admin/users/{id}/unblock': { 200: AccountAccessSchema },
  // address book and favourites
  'GET /api/me/addresses': { 200: AddressBookSchema },
  'POST /api/me/addresses': { 201: SavedAddressSchema },
  'PUT /api/me/addresses/{id}': { 200: SavedAddressSchema },
  'POST /api/me/addresses/{id}/default': { 200: AddressBookSchema },
  'DELETE /api/me/addresses/{id}': { 200: AddressBookSchema },
  'GET /api/favourites/{kind}/{id}': { 200: FavouriteStateSchema },
  'PUT /api/me/favourites/{kind}/{id}': { 200: FavouriteStateSchema },
  'DELETE /api/me/favourites/{kind}/{id}': { 200: FavouriteStateSchema },
  'GET /api/me/favourites': { 200: FavouritePageSchema },
  'GET /api/me/favourites/alerts': { 200: FavouriteAlertListSchema },
  'GET /api/admin/users': { 200: AccountPageSchema },
  'GET /api/support/people': { 200: PersonRowPageSchema },
  'GET /api/admin/users/{id}/overview': { 200: PersonSchema },
  'PUT /api/admin/users/{id}/roles': { 200: AccountAccessSchema },
  'GET /api/seller/application': { 200: ApplicationSchema },
  'PUT /api/seller/application': { 200: ApplicationSchema },
  'GET /api/admin/seller-applications': { 200: ApplicationPageSchema },
  'GET /api/admin/seller-applications/{id}': { 200: ApplicationSchema },
  'POST /api/admin/seller-applications/{id}/decision': { 200: ApplicationSchema },
  'GET /api/admin/shops': { 200: ShopPageSchema },
  'POST /api/admin/shops/{id}/status': { 200: ShopSchema },
  'POST /api/admin/products/{id}/takedown': { 200: TakedownSchema },
  'POST /api/admin/products/{id}/reinstate': { 200: TakedownSchema },
  'GET /api/admin/audit': { 200: AuditPageSchema },
  // catalog and seller centre
  'GET /api/categories': { 200: CategoryListSchema },
  'GET /api/products': { 200: ProductPageSchema },
  'GET /api/products/{id}': { 200: ProductDetailSchema },
  'POST /api/products': { 201: ProductDetailSchema },
  'PATCH /api/products/{id}': { 200: ProductDetailSchema },
  'POST /api/products/{id}/variants': { 201: ProductDetailSchema },
  'PATCH /api/products/{id}/variants/{sku}': { 200: ProductDetailSchema },
  'DELETE /api/products/{id}/variants/{sku}': { 200: ProductDetailSchema },
  'PUT /api/products/{id}/variants/{sku}/stock': { 200: StockLevelSchema },
  'GET /api/seller/products': { 200: SellerProductPageSchema },
  'POST /api/seller/imports': { 202: ImportJobSchema },
  'GET /api/seller/imports': { 200: ImportJobListSchema },
  'GET /api/seller/imports/{id}': { 200: ImportJobSchema },
  // photos
  'POST /api/seller/products/{id}/photos': { 202: PhotoSchema },
  'GET /api/seller/products/{id}/photos': { 200: ProductPhotosSchema },
  'PUT /api/seller/products/{id}/photos/main': { 200: ProductPhotosSchema },
  'GET /api/seller/photos/{photoId}': { 200: PhotoSchema },
  'GET /api/support/photos/review': { 200: PhotoReviewQueueSchema },
  'POST /api/support/photos/{photoId}/review': { 200: PhotoSchema },
  // search
  'GET /api/search': { 200: SearchResultSchema },
  'GET /api/search/suggest': { 200: SuggestionListSchema },
  // cart and checkout
  'GET /api/cart': { 200: CartSchema },
  'POST /api/cart/lines': { 200: CartSchema },
  'PUT /api/cart/lines/{sku}': { 200: CartSchema },
  'DELETE /api/cart/lines/{sku}': { 200: CartSchema },
  'POST /api/cart/acknowledge': { 200: CartSchema },
  'GET /api/pickup-points': { 200: PickupPointListSchema },
  'POST /api/checkout/quote': { 200: QuoteSchema },
  'POST /api/checkout': { 201: CheckoutResultSchema },
  'GET /api/checkouts/{id}': { 200: CheckoutStateSchema },
  'POST /api/checkouts/{id}/retry-payment': { 200: PaymentRetrySchema },
  // orders
  'GET /api/orders': { 200: OrderSummaryPageSchema },
  'GET /api/orders/{id}': { 200: OrderSchema },
  'POST /api/orders/{id}/cancel': { 200: OrderSchema },
  'POST /api/orders/{id}/accept': { 200: OrderSchema },
  'POST /api/orders/{id}/ship': { 200: OrderSchema },
  'POST /api/orders/{id}/deliver': { 200: OrderSchema },
  'POST /api/orders/{id}/complete': { 200: OrderSchema },
  'POST /api/orders/{id}/refunds': { 200: OrderSchema },
  'GET /api/seller/orders': { 200: OrderSummaryPageSchema },
  'GET /api/support/orders': { 200: SupportOrderSummaryPageSchema },
  // after-sales (returns and refunds)
  'POST /api/aftersales/evidence': { 201: EvidenceSchema },
  'GET /api/orders/{id}/aftersales': { 200: OrderAfterSalesSchema },
  'POST /api/orders/{id}/aftersales': { 201: AfterSalesRequestSchema },
  'GET /api/aftersales': { 200: AfterSalesPageSchema },
  'GET /api/aftersales/{id}': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/approve': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/reject': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/ship': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/pickup': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/receive': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/escalate': { 200: AfterSalesRequestSchema },
  'POST /api/aftersales/{id}/withdraw': { 200: AfterSalesRequestSchema },
  'GET /api/seller/aftersales': { 200: AfterSalesPageSchema },
  'GET /api/support/aftersales': { 200: AfterSalesPageSchema },
  'POST /api/support/aftersales/{id}/decide': { 200: AfterSalesRequestSchema },
  // analytics (the CSV of each table is not JSON, so not here)
  'GET /api/seller/analytics/overview': { 200: AnalyticsOverviewSchema },
  'GET /api/seller/analytics/live': { 200: AnalyticsLiveSchema },
  'GET /api/admin/analytics/live': { 200: AnalyticsLiveSchema },
  'GET /api/seller/analytics/tables/{table}': { 200: AnalyticsTableSchema },
  'GET /api/admin/analytics/overview': { 200: AnalyticsOverviewSchema },
  'GET /api/admin/analytics/tables/{table}': { 200: AnalyticsTableSchema },
  'GET /api/admin/analytics/status': { 200: AnalyticsStatusSchema },
  'POST /api/admin/analytics/rebuild': { 202: AnalyticsRebuildSchema },
  'GET /api/seller/analytics/segments': { 200: SegmentReportSchema },
  'GET /api/admin/analytics/segments': { 200: SegmentReportSchema },
  'GET /api/seller/analytics/cohorts': { 200: CohortReportSchema },
  'GET /api/admin/analytics/cohorts': { 200: CohortReportSchema },
  // the sandbox payment provider's hosted page
  'GET /api/sandbox-psp/sessions/{id}': { 200: SandboxSessionSchema },
  'POST /api/sandbox-psp/sessions/{id}/complete': { 200: SandboxSessionSchema },
  'POST /api/sandbox-psp/sessions/{id}/abandon': { 200: SandboxSessionSchema },
  // reviews
  'GET /api/products/{id}/reviews': { 200: ReviewPageSchema },
  'POST /api/products/{id}/reviews': { 201: ReviewSchema },
  'PUT /api/reviews/{id}/reply': { 200: ReviewSchema },
  'POST /api/reviews/{id}/hide': { 200: SupportReviewSchema },
  'POST /api/reviews/{id}/unhide': { 200: SupportReviewSchema },
  'GET /api/me/reviewable': { 200: ReviewableListSchema },
  'GET /api/support/reviews': { 200: SupportReviewPageSchema },
  // coupons and membership
  'GET /api/coupons': { 200: ManagedCouponListSchema },
  'POST /api/coupons': { 201: CouponSchema },
  'POST /api/coupons/{id}/activate': { 200: CouponSchema },
  'POST /api/coupons/{id}/deactivate': { 200: CouponSchema },
  'PUT /api/coupons/{id}/audience': { 200: CouponSchema },
  'GET /api/me/coupons': { 200: AvailableCouponListSchema },
  // automatic promotions
  'GET /api/promotions': { 200: ManagedAutoPromotionListSchema },
  'POST /api/promotions': { 201: AutoPromotionSchema },
  'POST /api/promotions/{id}/end': { 200: AutoPromotionSchema },
  'GET /api/me/points': { 200: MemberPointsSchema },
  'GET /api/membership/tiers': { 200: TierListSchema },
  // referrals
  'GET /api/me/invites': { 200: InviteSummarySchema },
  'GET /api/support/referrals': { 200: FlaggedReferralListSchema },
  'POST /api/support/referrals/{id}/decision': { 200: ReferralSchema },
  // flash sales
  'GET /api/seller/flash-sales': { 200: FlashSaleListSchema },
  'POST /api/seller/flash-sales': { 201: FlashSaleSchema },
  'POST /api/seller/flash-sales/{id}/cancel': { 200: FlashSaleSchema },
  'GET /api/flash-sales': { 200: PublicFlashSaleListSchema },
  'POST /api/flash-sales/{id}/claim': { 200: ClaimAnswerSchema },
  // group buying
  'GET /api/seller/group-deals': { 200: ManagedGroupDealListSchema },
  'POST /api/seller/group-deals': { 201: GroupDealSchema },
  'POST /api/seller/group-deals/{id}/end': { 200: GroupDealSchema },
  'GET /api/products/{id}/group-deals': { 200: ProductGroupDealsSchema },
  'GET /api/groups/{id}': { 200: GroupPageSchema },
  // recommendations
  'POST /api/events': { 202: EventBatchResultSchema },
  'GET /api/rankings/hot': { 200: RecommendedListSchema },
  'GET /api/products/{id}/similar': { 200: RecommendedListSchema },
  'GET /api/products/{id}/bought-together': { 200: RecommendedListSchema },
  'GET /api/recs/feed': { 200: FeedSchema },
  'GET /api/me/profile': { 200: ProfileSchema },
  'DELETE /api/me/profile': { 200: ProfileResetSchema },
  'GET /api/admin/users/{id}/profile': { 200: ProfileSchema },
  'GET /api/admin/recs/status': { 200: RecsStatusSchema },
  'POST /api/admin/recs/rebuild': { 202: RecsRebuildJobSchema },
  // logistics: shoppers, sellers and support
  'GET /api/orders/{id}/delivery': { 200: OrderDeliverySchema },
  'GET /api/deliveries/{id}': { 200: DeliverySchema },
  'POST /api/deliveries/{id}/collect': { 200: DeliverySchema },
  'GET /api/seller/deliveries': { 200: DeliverySummaryListSchema },
  'GET /api/support/deliveries': { 200: DeliveryFeedSchema },
  'GET /api/support/deliveries/{id}': { 200: DeliverySchema },
  'POST /api/support/deliveries/{id}/reassign': { 200: DeliverySchema },
  'POST /api/support/deliveries/{id}/cancel': { 200: DeliverySchema },
  'GET /api/support/couriers': { 200: CourierProfileListSchema },
  'GET /api/support/alerts': { 200: OpsAlertListSchema },
  // logistics: the courier app
  'GET /api/courier/me': { 200: CourierProfileSchema },
  'PUT /api/courier/availability': { 200: CourierProfileSchema },
  'GET /api/courier/deliveries': { 200: DeliverySummaryListSchema },
  'POST /api/courier/deliveries/{id}/accept': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/picked-up': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/in-transit': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/failed-attempt': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/return': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/deliver': { 200: DeliverySchema },
  'POST /api/courier/deliveries/{id}/proof-photo': { 200: DeliverySchema },
  // marketplace money: commission, seller finance, payouts, the admin overview
  'GET /api/admin/commission-rules': { 200: CommissionRuleListSchema },
  'POST /api/admin/commission-rules': { 201: CommissionRuleSchema },
  'PUT /api/admin/commission-rules/{id}': { 200: CommissionRuleSchema },
  'GET /api/admin/commission-preview': { 200: CommissionLineSchema },
  'GET /api/seller/finance': { 200: FinanceSummarySchema },
  'GET /api/seller/finance/entries': { 200: SettlementEntryPageSchema },
  'GET /api/seller/finance/payouts': { 200: PayoutListSchema },
  'GET /api/seller/finance/payouts/{id}': { 200: PayoutSchema },
  'POST /api/seller/finance/payouts': { 201: PayoutSchema },
  'PUT /api/seller/finance/account': { 200: PayoutAccountSchema },
  'GET /api/seller/finance/statements/{month}': { 200: StatementSchema },
  'GET /api/admin/finance': { 200: FinanceOverviewSchema },
  'POST /api/admin/finance/reconcile/{day}': { 200: ReconciliationSchema },
  'POST /api/admin/finance/payouts/{id}/retry': { 200: PayoutSchema },
} as const satisfies Record<`${ApiMethod} /api/${string}`, Partial<Record<number, z.ZodType>>>;

export type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** A route of the API that answers JSON, e.g. `'GET /api/orders/{id}'`. */
export type ApiRoute = keyof typeof API_RESPONSES;

type Answers<K extends ApiRoute> = (typeof API_RESPONSES)[K];
/** The JSON a route answers with when it succeeds, e.g. `ResponseOf<'GET /api/orders'>`. */
export type ResponseOf<K extends ApiRoute> = {
  [S in keyof Answers<K>]: Answers<K>[S] extends z.ZodType ? z.output<Answers<K>[S]> : never;
}[keyof Answers<K>];

/** `/api/orders/{id}` → the URLs it matches: `/api/orders/${string}`. */
type UrlPattern<P extends string> = P extends `${infer Head}{${string}}${infer Tail}`
  ? `${Head}${string}${UrlPattern<Tail>}`
  : P;
type PatternOf<K extends ApiRoute> = K extends `${string} ${infer P}` ? UrlPattern<P> : never;
type Matching<M extends ApiMethod, Url extends string> = {
  [K in ApiRoute]: K extends `${M} ${string}`
    ? Url extends PatternOf<K> | `${PatternOf<K>}?${string}`
      ? K
      : never
    : never;
}[ApiRoute];
/** Of the routes a URL matches, the most specific: `/api/products/{id}/reviews` over `/api/products/{id}`. */
type MostSpecific<Ks extends ApiRoute> = {
  [K in Ks]: true extends (
    Exclude<Ks, K> extends infer Other
      ? Other extends ApiRoute
        ? PatternOf<Other> extends PatternOf<K>
          ? true
          : false
        : never
      : never
  )
    ? never
    : K;
}[Ks];

/**
 * The route a request goes to, found from its URL at compile time: `RouteOf<'GET', `/api/orders/${id}`>`
 * is `'GET /api/orders/{id}'`. `never` when the URL is a plain `string` or no JSON route matches it.
 */
export type RouteOf<M extends ApiMethod, Url extends string> = MostSpecific<Matching<M, Url>>;

/** The JSON a successful request to `Url` answers with; `unknown` when the URL names no JSON route. */
export type ResponseAt<M extends ApiMethod, Url extends string> = [RouteOf<M, Url>] extends [never]
  ? unknown
  : ResponseOf<RouteOf<M, Url>>;
