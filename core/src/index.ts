export { loadConfig, ConfigError, type Config, type RateLimitedAction } from './config';
export { createLogger, type Logger } from './logger';
export { systemClock, type Clock } from './clock';
export { mapPooled, STORE_CONCURRENCY } from './map-pooled';
export { exitOnUnsupportedNode, unsupportedNodeReason, REQUIRED_NODE_MAJOR } from './runtime';
export {
  openDatabase,
  connectDatabase,
  embeddedStoreUri,
  openDatabaseForTool,
  type Database,
} from './db/database';
export type { StoreHealth, StoreHealthStatus } from './db/store-health';
export type { EmbeddedStoreStatus, SupervisedFerretDb } from './db/supervisor';
export {
  createInProcessEventBus,
  createRedisEventBus,
  openEventBus,
  type EventBus,
  type EventLagObserver,
  type DomainEvents,
  type DomainEventName,
} from './events';
export {
  createCoreServices,
  SESSION_PRUNE_JOB,
  LISTINGS_REBUILD_JOB,
  JOBS_PRUNE_JOB,
  RECS_RETENTION_JOB,
  type CoreServices,
} from './services';
export * from './errors';
export { startHousekeeping } from './housekeeping';
export { GROUP_BUYING_SWEEP_JOB } from './group-buying';
export { openRedis, closeRedis, type Redis } from './redis';
export {
  LOCALES,
  ROLES,
  checkPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_MIN_SCORE,
  type AccountAccess,
  type Locale,
  type Role,
  type User,
} from './users';
export type { Actor, Product, ProductInput, VariantInput } from './catalog';
export {
  CODE_ALPHABET,
  CODE_LENGTH,
  INVITE_FIELD,
  normalizeInviteCode,
  type FlaggedReferral,
  type InviteSummary,
  type Referral,
  type ReferralSignal,
  type ReferralStatus,
} from './referrals';
export {
  hiddenReason,
  LISTING_SORTS,
  type ListingSort,
  type ProductCard,
  type ProductDetail,
} from './storefront';
export { IMPORT_COLUMNS, type ImportJob } from './imports';
export type { Shop } from './shops';
export type { Category } from './categories';
export {
  PHOTO_CHECK_JOB,
  REASON_CODES,
  REVIEW_NOTE_MAX,
  VARIANT_FORMATS,
  VARIANT_SIZES,
  PhotoQuotaError,
  UnsupportedImageError,
  type DuplicateMatch,
  type InspectResult,
  type Inspection,
  type JudgeInput,
  type Photo,
  type PhotoFindings,
  type PhotoInspector,
  type PhotoLimits,
  type PhotoMetrics,
  type PhotoStatus,
  type PhotoTextBox,
  type PhotoThresholds,
  type PhotoVerdict,
  type ProbeResult,
  type ProductPhotos,
  type PublicPhotos,
  type ReasonCode,
  type VariantFile,
  type VariantFormat,
  type VariantSize,
  type VerdictReason,
} from './photos';
export type { StockLevel, StockOwner } from './inventory';
export {
  ORDER_STATUSES,
  nextStatuses,
  roleOn,
  type Order,
  type TimelineEntry,
  type OrderStatus,
  type OrderSummary,
} from './orders';
export type { CartView, CartOwner } from './cart';
export { MAX_LINE_QTY } from './cart';
export {
  CHECKOUTS_EXPIRE_DUE_JOB,
  PICKUP_POINTS,
  CheckoutConflictError,
  hashRequest,
  createOrderActions,
  type CheckoutInput,
} from './checkout';
export { createAuthService, type AuthService } from './auth';
export {
  PaymentMismatchError,
  SANDBOX_METHODS,
  SANDBOX_WEBHOOK_JOB,
  SIGNATURE_HEADER,
  WebhookRejectedError,
  signWebhook,
} from './payments';
export {
  CARRYING,
  COURIER_AVAILABILITY,
  DELIVERY_AREA,
  DELIVERY_STATUSES,
  MAX_PROOF_BYTES,
  deliveryActions,
  shopPlace,
  type CourierAvailability,
  type CourierProfile,
  type Delivery,
  type DeliveryStatus,
  type DeliverySummary,
  type DeliveryView,
} from './logistics';
export { OPS_ALERT_KINDS, type OpsAlert, type OpsAlertKind } from './alerts';
export {
  REVIEW_TITLE_MAX,
  REVIEW_BODY_MAX,
  REPLY_BODY_MAX,
  MODERATION_REASON_MAX,
  type PublicReview,
  type Review,
  type RatingSummary,
  type ReviewableProduct,
} from './reviews';
export {
  AUDIT_TARGET_TYPES,
  createAuditLog,
  type AuditEntry,
  type AuditFilter,
  type AuditInput,
  type AuditLog,
  type AuditTargetType,
} from './audit';
export { ADDRESS_BOOK_LIMIT, type AddressBook, type AddressInput, type SavedAddress } from './addresses';
export {
  FANOUT_BATCH,
  FAVOURITE_KINDS,
  FAVOURITE_PRICE_DROP_JOB,
  FAVOURITE_RESTOCK_JOB,
  type Favourite,
  type FavouriteAlert,
  type FavouriteKind,
} from './favourites';
export {
  COMMISSION_KINDS,
  COMMISSION_SCOPES,
  type CommissionLine,
  type CommissionRule,
  type CommissionRuleInput,
} from './commission';
export {
  SETTLEMENT_ENTRY_KINDS,
  SETTLEMENT_RECONCILE_JOB,
  SETTLEMENT_RELEASE_JOB,
  dayRange,
  isoWeek,
  marketDay,
  monthRange,
  orderMoney,
  type DayReconciliation,
  type OrderMoney,
  type SellerBalance,
  type SettlementEntry,
} from './settlement';
export {
  cardPromotion,
  productPromotionView,
  type CardPromotion,
  type ProductPromotionView,
} from './promotions';
export {
  FAILING_PAYOUT_CARD,
  PAYOUT_STATUSES,
  PAYOUT_WEBHOOK_SECRET_NAME,
  PAYOUTS_RUN_JOB,
  type Payout,
} from './payouts';
export {
  AFTERSALES_DUE_JOB,
  AFTERSALES_EVENTS,
  AFTERSALES_REASONS,
  AFTERSALES_STATUSES,
  AFTERSALES_TYPES,
  AFTERSALES_TRANSITIONS,
  EVIDENCE_PER_REQUEST,
  EVIDENCE_SIZES,
  AfterSalesConflictError,
  afterSalesMoves,
  type AfterSalesChangedEvent,
  type AfterSalesRequest,
  type AfterSalesRole,
  type AfterSalesStatus,
  type EvidenceImager,
  type EvidenceSize,
  type LineAllowance,
} from './aftersales';
export { afterSalesRefundRef, type DebitSeller, type SellerDebit } from './flows';
export { maskEmail, maskPhone, type StaffActions, type UserDirectory } from './backoffice';
export {
  APPLICATION_DECISIONS,
  APPLICATION_STATUSES,
  type ApplicationDecision,
  type ApplicationStatus,
  type BusinessDetails,
  type SellerApplication,
} from './seller-applications';
export { SHOP_STATUSES, type ShopStatus } from './shops';
export {
  ANALYTICS_REBUILD_JOB,
  ANALYTICS_TABLES,
  PLATFORM,
  createDayCache,
  createReports,
  createRollupWriter,
  interactionContributions,
  orderContributions,
  ROW_METRICS,
  addDays,
  daysBetween,
  isDay,
  type AnalyticsService,
  type AnalyticsTable,
  type AnalyticsTableName,
  type Comparison,
  type DateRange,
  type InteractionHistory,
  type InteractionPage,
  type Overview,
  type RankedRow,
  type RowKind,
  SEGMENTS,
  PRICE_BANDS,
  COHORT_MONTHS,
  createOrderBatches,
  createSegmentReader,
  customerContributions,
  type Segment,
  type PriceBand,
  type SegmentReport,
  type CohortReport,
  type SegmentCustomer,
} from './analytics';
export { openMail, createMailbox, type Mailbox, type MailboxMessage, type MailTransport } from './mail';
export type { SandboxSms } from './sms';
export {
  CHANNELS,
  NOTIFICATION_TYPES,
  messageIdFor,
  notificationIdFor,
  startNotificationSubscriptions,
  type Notification,
  type NotificationPage,
  type NotificationPreferences,
  type NotificationType,
  type SwitchableChannel,
} from './notifications';
export {
  AVATAR_FORMATS,
  AVATAR_KEY_PATTERN,
  AVATAR_SIDES,
  type AvatarFile,
  type AvatarFormat,
  type AvatarImager,
  type AvatarSide,
  InvalidLinkError,
  WrongCodeError,
  PASSWORD_RESET_MINUTES,
  PASSWORD_RESET_REQUEST_JOB,
  SMS_CODE_MAX_WRONG,
  SMS_CODE_MINUTES,
  SMS_RESEND_SECONDS,
} from './accounts';
