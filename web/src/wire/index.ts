/**
 * The API's wire types: what each response's JSON is (`z.output` of the schema its route declares) and
 * what each request body may be (`z.input`). The Svelte app (`web/ui/src/lib/api/wire.ts`) and the tests
 * (`tests/support/client.ts`) import these instead of keeping their own copies.
 *
 * Why inferred from zod rather than generated from `/api/openapi.json`: the schemas are already the one
 * source of the validation and of the document, so inferring needs no generator, no generated file to keep
 * in step (and to merge between branches) and no regeneration step; the types change with the schema in
 * the same commit. Every import of this module is type-only (erased by the compiler), so zod stays out of
 * the browser bundle; the schema modules behind it are browser-safe anyway (zod and constants from
 * `@market/core/browser` only, which ESLint enforces).
 *
 * Dates are ISO strings here, as on the wire; on the server they are `Date`s until JSON.stringify, which
 * `JsonSource` in `web/src/http/route.ts` allows for when it type-checks each handler's `ctx.body`.
 */
import type { z } from 'zod';
import type { DevMailSchema, DevSmsSchema } from '../routes/dev-mailbox-schemas';
import type {
  NotificationPageSchema,
  NotificationSchema,
  PreferencesSchema,
} from '../routes/notifications-schemas';
import type {
  AfterSalesPageSchema,
  AfterSalesRequestSchema,
  EvidenceSchema,
  OpenAfterSalesSchema,
  OrderAfterSalesSchema,
} from '../routes/aftersales-schemas';
import type {
  AddressSchema,
  CartSchema,
  CheckoutInputSchema,
  CheckoutResultSchema,
  CheckoutStateSchema,
  OrderSchema,
  OrderSummaryPageSchema,
  OrderSummarySchema,
  PaymentRetrySchema,
  PickupPointSchema,
  QuoteSchema,
  RefundInputSchema,
  SandboxSessionSchema,
  ShipInputSchema,
  WebhookAckSchema,
} from '../schemas-commerce';
import type {
  CategorySchema,
  ImportJobSchema,
  ListingQuerySchema,
  ProductCardSchema,
  ProductDetailSchema,
  ProductInputSchema,
  ProductPageSchema,
  ProductPatchSchema,
  PasswordChangedSchema,
  PasswordCheckSchema,
  SellerProductPageSchema,
  SessionSchema,
  StockLevelSchema,
  UserSchema,
  VariantInputSchema,
} from '../schemas';
import type {
  RatingSummarySchema,
  ReviewableProductSchema,
  ReviewInputSchema,
  ReviewPageSchema,
  ReviewSchema,
  SupportReviewPageSchema,
  SupportReviewSchema,
} from '../schemas-reviews';
import type {
  CourierFixSchema,
  CourierProfileSchema,
  DeliveryFeedSchema,
  DeliverySchema,
  DeliverySummarySchema,
  OpsAlertSchema,
  PlaceSchema,
} from '../routes/logistics-schemas';
import type { AccountAccessSchema } from '../routes/admin-users-schemas';
import type {
  AddressBookSchema,
  AddressInputSchema,
  FavouriteAlertSchema,
  FavouritePageSchema,
  FavouriteStateSchema,
  SavedAddressSchema,
} from '../routes/accounts-schemas';
import type {
  AnalyticsLiveSchema,
  AnalyticsOverviewSchema,
  AnalyticsStatusSchema,
  AnalyticsTableSchema,
  CohortReportSchema,
  SegmentReportSchema,
} from '../routes/analytics-schemas';
import type { MemberPointsSchema, TierSchema } from '../routes/membership-schemas';
import type {
  FlaggedReferralListSchema,
  InviteSummarySchema,
  ReferralDecisionInputSchema,
} from '../routes/referrals-schemas';
import type { PhotoReviewQueueSchema, PhotoSchema, ProductPhotosSchema } from '../routes/photos-schemas';
import type {
  AvailableCouponSchema,
  CouponAudienceSchema,
  CouponInputSchema,
  CouponSchema,
  ManagedCouponSchema,
} from '../routes/promotions-schemas';
import type {
  AppliedPromotionSchema,
  AutoPromotionInputSchema,
  ManagedAutoPromotionSchema,
  SpendNudgeSchema,
} from '../routes/auto-promotions-schemas';
import type {
  EventBatchResultSchema,
  FeedSchema,
  HotQuerySchema,
  ProfileResetSchema,
  ProfileSchema,
  ReasonSchema,
  RecommendedSchema,
  RecsRebuildJobSchema,
  RecsStatusSchema,
} from '../routes/recs-schemas';
import type {
  SearchCardSchema,
  SearchDocumentSchema,
  SearchResultSchema,
  SuggestionListSchema,
} from '../routes/search-schemas';

import type {
  ClaimAnswerSchema,
  FlashSaleInputSchema,
  FlashSaleSchema,
  PublicFlashSaleListSchema,
} from '../routes/flash-sales-schemas';
import type {
  GroupDealInputSchema,
  GroupDealSchema,
  GroupPageSchema,
  ManagedGroupDealListSchema,
  ProductGroupDealsSchema,
} from '../routes/group-buying-schemas';
import type { SupportOrderSummarySchema } from '../schemas-commerce';
import type {
  CommissionLineSchema,
  CommissionRuleInputSchema,
  CommissionRuleSchema,
  FinanceOverviewSchema,
  FinanceSummarySchema,
  OrderEarningsSchema,
  PayoutAccountInputSchema,
  PayoutAccountSchema,
  PayoutSchema,
  ReconciliationSchema,
  SettlementEntrySchema,
  StatementSchema,
} from '../routes/finance-schemas';
import type {
  AccountPageSchema,
  ApplicationPageSchema,
  ApplicationSchema,
  AuditEntrySchema,
  AuditPageSchema,
  BusinessDetailsSchema,
  DecisionInputSchema,
  PersonRowPageSchema,
  PersonSchema,
  ShopPageSchema,
  ShopSchema,
  TakedownSchema,
} from '../routes/admin-schemas';

export type { ApiMethod, ApiRoute, ResponseAt, ResponseOf, RouteOf } from './routes';

// Marketplace money
export type CommissionRule = z.output<typeof CommissionRuleSchema>;
export type CommissionRuleInput = z.input<typeof CommissionRuleInputSchema>;
export type CommissionLine = z.output<typeof CommissionLineSchema>;
export type OrderEarnings = z.output<typeof OrderEarningsSchema>;
export type FinanceSummary = z.output<typeof FinanceSummarySchema>;
export type SettlementEntry = z.output<typeof SettlementEntrySchema>;
export type Payout = z.output<typeof PayoutSchema>;
export type PayoutAccount = z.output<typeof PayoutAccountSchema>;
export type PayoutAccountInput = z.input<typeof PayoutAccountInputSchema>;
export type Statement = z.output<typeof StatementSchema>;
export type FinanceOverview = z.output<typeof FinanceOverviewSchema>;
export type Reconciliation = z.output<typeof ReconciliationSchema>;

// Accounts
export type User = z.output<typeof UserSchema>;
export type Role = User['roles'][number];
export type SessionInfo = z.output<typeof SessionSchema>;
export type PasswordCheck = z.output<typeof PasswordCheckSchema>;
export type PasswordChanged = z.output<typeof PasswordChangedSchema>;
export type AccountAccess = z.output<typeof AccountAccessSchema>;

// Address book and favourites
export type AddressBook = z.output<typeof AddressBookSchema>;
export type SavedAddress = z.output<typeof SavedAddressSchema>;
export type AddressInput = z.input<typeof AddressInputSchema>;
export type FavouriteState = z.output<typeof FavouriteStateSchema>;
export type FavouriteKind = FavouriteState['kind'];
export type FavouritePage = z.output<typeof FavouritePageSchema>;
export type FavouriteItem = FavouritePage['items'][number];
export type FavouriteAlert = z.output<typeof FavouriteAlertSchema>;
// notifications and the dev mailbox
export type Notification = z.output<typeof NotificationSchema>;
export type NotificationPage = z.output<typeof NotificationPageSchema>;
export type NotificationPreferences = z.output<typeof PreferencesSchema>;
export type DevMail = z.output<typeof DevMailSchema>;
export type DevSms = z.output<typeof DevSmsSchema>;

// Catalog and seller centre
export type Category = z.output<typeof CategorySchema>;
export type ProductCard = z.output<typeof ProductCardSchema>;
export type ProductDetail = z.output<typeof ProductDetailSchema>;
export type Variant = ProductDetail['variants'][number];
export type NamedRef = ProductDetail['category'];
export type ProductPage = z.output<typeof ProductPageSchema>;
export type SellerProductPage = z.output<typeof SellerProductPageSchema>;
/** `GET /api/products` parameters as the app holds them (it writes them into the query string). */
export type ProductQuery = Partial<z.output<typeof ListingQuerySchema>>;
export type ProductSort = z.output<typeof ListingQuerySchema>['sort'];
export type NewProductInput = z.input<typeof ProductInputSchema>;
export type NewVariantInput = z.input<typeof VariantInputSchema>;
export type ProductPatch = z.input<typeof ProductPatchSchema>;
export type StockLevel = z.output<typeof StockLevelSchema>;
export type ImportJob = z.output<typeof ImportJobSchema>;
export type ImportStatus = ImportJob['status'];
export type ImportRowError = ImportJob['errors'][number];

// Photos
export type Photo = z.output<typeof PhotoSchema>;
export type PhotoReason = Photo['reasons'][number];
export type ProductPhotos = z.output<typeof ProductPhotosSchema>;
export type PhotoReviewQueue = z.output<typeof PhotoReviewQueueSchema>;

// Search
export type SearchResult = z.output<typeof SearchResultSchema>;
export type SearchHit = SearchResult['hits'][number];
export type SearchFacets = SearchResult['facets'];
export type SearchDocument = z.output<typeof SearchDocumentSchema>;
export type SearchCard = z.output<typeof SearchCardSchema>;
export type FacetValue = SearchResult['facets']['brand'][number];
export type Suggestion = z.output<typeof SuggestionListSchema>['suggestions'][number];

// Cart and checkout
export type Cart = z.output<typeof CartSchema>;
export type CartShopGroup = Cart['groups'][number];
export type CartLine = CartShopGroup['lines'][number];
export type CartNotice = CartLine['notices'][number];
export type CartNoticeCode = CartNotice['code'];
export type Address = z.output<typeof AddressSchema>;
export type PickupPoint = z.output<typeof PickupPointSchema>;
export type CheckoutInput = z.input<typeof CheckoutInputSchema>;
export type DeliveryMethod = CheckoutInput['delivery']['method'];
export type CheckoutQuote = z.output<typeof QuoteSchema>;
export type SellerQuote = CheckoutQuote['sellers'][number];
export type OrderLine = SellerQuote['lines'][number];
export type CheckoutResult = z.output<typeof CheckoutResultSchema>;
export type CheckoutOrder = CheckoutResult['orders'][number];
export type CheckoutState = z.output<typeof CheckoutStateSchema>;
export type PaymentStatus = CheckoutState['paymentStatus'];
export type PaymentRetry = z.output<typeof PaymentRetrySchema>;
export type SandboxSession = z.output<typeof SandboxSessionSchema>;
export type SandboxMethod = NonNullable<SandboxSession['method']>;
/** What the payments webhook answers the provider (not in `routes.ts`: no client of the API calls it). */
export type WebhookAck = z.output<typeof WebhookAckSchema>;

// Orders
export type Order = z.output<typeof OrderSchema>;
export type OrderStatus = Order['status'];
export type OrderActorRole = Order['yourRole'];
export type OrderTimelineEntry = Order['timeline'][number];
export type OrderDelivery = Order['delivery'];
/** `total` = items + shipping − discount − points. */
export type OrderTotals = Order['totals'];
export type OrderSummary = z.output<typeof OrderSummarySchema>;
export type OrderSummaryPage = z.output<typeof OrderSummaryPageSchema>;
export type ShipInput = z.input<typeof ShipInputSchema>;
export type RefundInput = z.input<typeof RefundInputSchema>;

// Membership and coupons
export type MemberPoints = z.output<typeof MemberPointsSchema>;
// Referrals
export type InviteSummary = z.output<typeof InviteSummarySchema>;
export type InviteReferral = InviteSummary['referrals'][number];
export type FlaggedReferralList = z.output<typeof FlaggedReferralListSchema>;
export type FlaggedReferral = FlaggedReferralList['items'][number];
export type ReferralDecisionInput = z.input<typeof ReferralDecisionInputSchema>;
export type MemberAccount = MemberPoints['account'];
export type PointsMovement = MemberPoints['history'][number];
export type MembershipTier = z.output<typeof TierSchema>;
export type TierName = MembershipTier['name'];
export type Coupon = z.output<typeof CouponSchema>;
export type CouponKind = Coupon['kind'];
export type ManagedCoupon = z.output<typeof ManagedCouponSchema>;
/** A coupon the shopper can use now, with the uses left to them. */
export type AvailableCoupon = z.output<typeof AvailableCouponSchema>;
export type NewCouponInput = z.input<typeof CouponInputSchema>;
export type CouponAudience = z.output<typeof CouponAudienceSchema>;

// Automatic promotions
export type ManagedAutoPromotion = z.output<typeof ManagedAutoPromotionSchema>;
export type NewAutoPromotionInput = z.input<typeof AutoPromotionInputSchema>;
export type AppliedPromotion = z.output<typeof AppliedPromotionSchema>;
export type SpendNudge = z.output<typeof SpendNudgeSchema>;
export type ProductPromotion = NonNullable<z.output<typeof ProductDetailSchema>['promotion']>;
export type CardPromotion = NonNullable<z.output<typeof ProductCardSchema>['promotion']>;
export type CardFlashSale = NonNullable<z.output<typeof ProductCardSchema>['flash']>;

// Analytics
export type AnalyticsOverview = z.output<typeof AnalyticsOverviewSchema>;
export type AnalyticsTable = z.output<typeof AnalyticsTableSchema>;
export type AnalyticsStatus = z.output<typeof AnalyticsStatusSchema>;
export type AnalyticsLive = z.output<typeof AnalyticsLiveSchema>;
export type SegmentReport = z.output<typeof SegmentReportSchema>;
export type SegmentFigures = SegmentReport['segments'][number];
export type CustomerSegment = SegmentFigures['segment'];
export type CohortReport = z.output<typeof CohortReportSchema>;

// Reviews
export type RatingSummary = z.output<typeof RatingSummarySchema>;
export type Review = z.output<typeof ReviewSchema>;
export type ReviewPage = z.output<typeof ReviewPageSchema>;
export type SupportReview = z.output<typeof SupportReviewSchema>;
export type SupportReviewPage = z.output<typeof SupportReviewPageSchema>;
export type ReviewInput = z.input<typeof ReviewInputSchema>;
export type ReviewableProduct = z.output<typeof ReviewableProductSchema>;

// Logistics
export type Delivery = z.output<typeof DeliverySchema>;
export type DeliveryStatus = Delivery['status'];
export type DeliveryEvent = Delivery['actions'][number];
export type DeliveryTimelineEntry = Delivery['timeline'][number];
export type DeliverySummary = z.output<typeof DeliverySummarySchema>;
export type DeliveryFeed = z.output<typeof DeliveryFeedSchema>;
export type DeliveryCounters = DeliveryFeed['counters'];
export type Place = z.output<typeof PlaceSchema>;
export type CourierFix = z.output<typeof CourierFixSchema>;
export type CourierProfile = z.output<typeof CourierProfileSchema>;
export type Availability = CourierProfile['availability'];
export type OpsAlert = z.output<typeof OpsAlertSchema>;

// Recommendations
export type Recommended = z.output<typeof RecommendedSchema>;
export type RecReason = z.output<typeof ReasonSchema>;
export type Feed = z.output<typeof FeedSchema>;
export type ShopperProfile = z.output<typeof ProfileSchema>;
export type ProfileReset = z.output<typeof ProfileResetSchema>;
export type RecsStatus = z.output<typeof RecsStatusSchema>;
export type RecsNodeStatus = RecsStatus['nodes'][number];
export type RecsRebuildJob = z.output<typeof RecsRebuildJobSchema>;
export type EventBatchResult = z.output<typeof EventBatchResultSchema>;
/** `GET /api/rankings/hot` parameters as the app holds them. */
export type HotQuery = Partial<z.output<typeof HotQuerySchema>>;

// after-sales
export type AfterSalesRequest = z.output<typeof AfterSalesRequestSchema>;
export type AfterSalesPage = z.output<typeof AfterSalesPageSchema>;
export type AfterSalesStatus = AfterSalesRequest['status'];
export type AfterSalesAction = AfterSalesRequest['actions'][number];
export type AfterSalesReason = AfterSalesRequest['reason'];
export type OrderAfterSales = z.output<typeof OrderAfterSalesSchema>;
export type AfterSalesLine = OrderAfterSales['lines'][number];
export type AfterSalesEvidence = z.output<typeof EvidenceSchema>;
export type OpenAfterSalesInput = z.input<typeof OpenAfterSalesSchema>;
export type RefundState = Order['refundState'];
// Back office
export type AccountPage = z.output<typeof AccountPageSchema>;
export type PersonRowPage = z.output<typeof PersonRowPageSchema>;
export type Person = z.output<typeof PersonSchema>;
export type AdminShop = z.output<typeof ShopSchema>;
export type AdminShopPage = z.output<typeof ShopPageSchema>;
export type SellerApplication = z.output<typeof ApplicationSchema>;
export type SellerApplicationPage = z.output<typeof ApplicationPageSchema>;
export type BusinessDetailsInput = z.input<typeof BusinessDetailsSchema>;
export type ApplicationDecisionInput = z.input<typeof DecisionInputSchema>;
export type Takedown = z.output<typeof TakedownSchema>;
export type AuditEntryView = z.output<typeof AuditEntrySchema>;
export type AuditPage = z.output<typeof AuditPageSchema>;
export type SupportOrderSummary = z.output<typeof SupportOrderSummarySchema>;
// Flash sales
export type PublicFlashSaleList = z.output<typeof PublicFlashSaleListSchema>;
export type PublicFlashSale = PublicFlashSaleList['items'][number];
export type FlashClaimAnswer = z.output<typeof ClaimAnswerSchema>;
/** A sale as its seller (or an admin) manages it. */
export type ManagedFlashSale = z.output<typeof FlashSaleSchema>;
export type FlashSaleInput = z.input<typeof FlashSaleInputSchema>;

// Group buying
export type GroupPage = z.output<typeof GroupPageSchema>;
export type GroupDetail = GroupPage['group'];
export type ProductGroupDeals = z.output<typeof ProductGroupDealsSchema>;
export type ProductGroupDeal = ProductGroupDeals['items'][number];
export type ManagedGroupDeal = z.output<typeof ManagedGroupDealListSchema>['items'][number];
export type GroupDeal = z.output<typeof GroupDealSchema>;
export type GroupDealInput = z.input<typeof GroupDealInputSchema>;
