import path from 'node:path';
import type { Connection } from 'mongoose';
import { createAuthService } from './auth';
import { createCatalogService } from './catalog';
import { systemClock, type Clock } from './clock';
import { createCategoryService } from './categories';
import type { Config } from './config';
import type { EventBus } from './events';
import { createImportService, IMPORT_JOB } from './imports';
import { createInventoryService } from './inventory';
import {
  createFlashSaleService,
  createMemoryAdmission,
  createRedisAdmission,
  FLASH_SWEEP_JOB,
} from './flash';
import { createGroupBuyingService, GROUP_BUYING_SWEEP_JOB } from './group-buying';
import { createJobQueue, type JobHandler } from './jobs';
import { pruneLedgerRefs } from './ledger';
import type { Logger } from './logger';
import type { Redis } from './redis';
import { createShopService } from './shops';
import { createListingService, createProductViews } from './storefront';
import { createUserService } from './users';
import { createCartService } from './cart';
import {
  CHECKOUTS_EXPIRE_DUE_JOB,
  createCheckoutService,
  createIdempotencyStore,
  ORDERS_AUTO_COMPLETE_JOB,
  ORDERS_RECONCILE_JOB,
} from './checkout';
import { createMembershipService } from './membership';
import { createOrderService } from './orders';
import { createPaymentService, createSandboxProvider, SANDBOX_WEBHOOK_JOB } from './payments';
import { createAutoPromotionService, createPromotionService } from './promotions';
import { createReservationService } from './reservations';
import { createRatingReader, createReviewService } from './reviews';
import { createDiskPhotoStore, createPhotoService, PHOTO_CHECK_JOB, type PhotoInspector } from './photos';
import { createLogisticsService, LOGISTICS_RECONCILE_JOB, LOGISTICS_SWEEP_JOB } from './logistics';
import { createOpsAlerts } from './alerts';
import { ANALYTICS_ORDERS_JOB, createAnalyticsService, type Segment } from './analytics';
import { createAuditLog } from './audit';
import { createAddressBookService } from './addresses';
import { createFavouriteFanout, createFavouriteService } from './favourites';
import {
  AFTERSALES_DUE_JOB,
  createAfterSalesService,
  createEvidencePhotos,
  type EvidenceImager,
} from './aftersales';
import { createFlows } from './flows';
import { createCommissionService } from './commission';
import {
  createReconciliation,
  createSettlementService,
  SETTLEMENT_CATCH_UP_JOB,
  SETTLEMENT_RECONCILE_JOB,
  SETTLEMENT_RELEASE_JOB,
  weekdayAndHour,
} from './settlement';
import {
  createPayoutService,
  createSandboxPayoutProvider,
  PAYOUT_WEBHOOK_SECRET_NAME,
  PAYOUTS_RESUME_JOB,
  PAYOUTS_RUN_JOB,
  SANDBOX_BANK_JOB,
  SANDBOX_PAYOUT_WEBHOOK_JOB,
} from './payouts';
import { createStaffActions, createUserDirectory } from './backoffice';
import { createSellerApplicationService } from './seller-applications';
import { createSecretStore, PAYMENT_WEBHOOK_SECRET_NAME } from './secrets';
import type { MailTransport } from './mail';
import { createSandboxSms } from './sms';
import { createReferralService } from './referrals';
import {
  ACCOUNT_MAIL_JOB,
  createNotificationDelivery,
  createNotificationService,
  NOTIFICATION_SEND_JOB,
  orderParamsEnricher,
} from './notifications';
import {
  ACCOUNT_ERASE_JOB,
  ACCOUNTS_PRUNE_JOB,
  createAccountServices,
  type AvatarImager,
  PASSWORD_RESET_REQUEST_JOB,
} from './accounts';

export const SESSION_PRUNE_JOB = 'sessions.prune';
export const LISTINGS_REBUILD_JOB = 'listings.rebuild';
export const JOBS_PRUNE_JOB = 'jobs.prune';
export const IDEMPOTENCY_PRUNE_JOB = 'idempotency.prune';
export const LEDGER_REFS_PRUNE_JOB = 'ledger.prune_refs';
export const PAYMENT_RECEIPTS_PRUNE_JOB = 'payments.prune_receipts';
/** Drops interaction events past RECS_RETENTION_DAYS; its handler comes with the recommender service. */
export const RECS_RETENTION_JOB = 'recs.retention';

const DAY_MS = 86_400_000;

/**
 * Builds every domain service on one database connection and event bus. The web app, the workers
 * process, scripts and tests all assemble the core through this one function.
 */
export function createCoreServices(deps: {
  config: Config;
  connection: Connection;
  bus: EventBus;
  log: Logger;
  /** The app's own base URL (where payment webhooks are sent); known once the HTTP server listens. */
  publicUrl?: () => string;
  /**
   * Checks product photos (`@market/vision`). Without it, this process neither accepts uploads nor runs
   * photo checks (its worker leaves those jobs to a process that has one); shoppers still see photos.
   */
  photoInspector?: PhotoInspector | null;
  /**
   * Shared Redis (REDIS_URL) for rate limits and caches that several app nodes must agree on; null on
   * the embedded default, where those live in process.
   */
  redis?: Redis | null;
  /**
   * Where every domain service reads "now" (stamps, expiries, offers, alerts, rate windows); real time by
   * default. The job queue keeps real time: its leases are shared with other processes and its timers.
   */
  clock?: Clock;
  /** Decodes and renders after-sales evidence photos (`@market/vision`); without it, no evidence uploads. */
  evidenceImager?: EvidenceImager | null;
  /** Decodes and crops profile photos (`@market/vision`); without it, no profile photo uploads. */
  avatarImager?: AvatarImager | null;
  /**
   * Where mail goes (`openMail`: SMTP_URL, or the embedded SMTP server). Without it this process does
   * not send mail: its worker leaves mail jobs to a process that has a transport.
   */
  mail?: MailTransport | null;
}) {
  const { connection, bus, log, config } = deps;
  const clock = deps.clock ?? systemClock;
  const queue = createJobQueue({ connection, log });
  const secrets = createSecretStore({ connection });
  const alerts = createOpsAlerts({ connection, bus, clock });
  const audit = createAuditLog({ connection, clock });
  /**
   * PAYMENT_WEBHOOK_SECRET, or (outside production) the one generated once and kept in the database,
   * so that every app node and worker signs and verifies webhooks with the same key.
   */
  const paymentWebhookSecret = async () =>
    config.commerce.webhookSecret ?? secrets.shared(PAYMENT_WEBHOOK_SECRET_NAME);
  const users = createUserService({ connection, bus, clock });
  const auth = createAuthService({
    connection,
    users,
    bus,
    ttlHours: config.session.ttlHours,
    cacheMs: config.session.cacheMs,
    clock,
  });
  const shops = createShopService({ connection, bus, clock });
  const categories = createCategoryService({ connection });
  const sellerApplications = createSellerApplicationService({ connection, categories, clock });
  const catalog = createCatalogService({ connection, bus, categories, clock });
  const photos = createPhotoService({
    connection,
    bus,
    queue,
    catalog,
    store: createDiskPhotoStore(path.join(config.dataDir, 'uploads')),
    inspector: deps.photoInspector ?? null,
    limits: config.photos.limits,
    thresholds: config.photos.thresholds,
    log,
    clock,
  });
  const inventory = createInventoryService({ connection, bus, clock });
  const listings = createListingService({
    connection,
    bus,
    catalog,
    inventory,
    shops,
    categories,
    photos,
    log,
  });
  const ratings = createRatingReader({ connection, clock });
  const productViews = createProductViews({ catalog, inventory, categories, shops, ratings, photos });
  const imports = createImportService({
    connection,
    bus,
    queue,
    catalog,
    inventory,
    categories,
    dataDir: config.dataDir,
    readModelsSettled: () => listings.settled(),
    clock,
  });

  const cart = createCartService({ connection, catalog, inventory, shops, clock });
  const commission = createCommissionService({ connection, catalog, categories, audit, clock });
  // Orders, payments and deliveries set off cross-domain flows (core/src/flows) that orchestrate them:
  // the flows are built last, from the finished services, and each service gets the small interface
  // it calls (its effects), reaching them only once a request or job runs.
  const orders = createOrderService({
    connection,
    bus,
    effects: {
      afterEvent: (order, event, from) => flows.fulfilment.orderEffects.afterEvent(order, event, from),
    },
    clock,
  });
  const reservations = createReservationService({ connection, inventory, clock });
  const flashSales = createFlashSaleService({
    connection,
    bus,
    catalog,
    inventory,
    // Several app nodes must agree on who won: Redis when there is one, this process's memory otherwise.
    admission: deps.redis ? createRedisAdmission(deps.redis) : createMemoryAdmission(),
    log,
    claimMs: config.flash.claimMs,
    listCacheMs: config.flash.listCacheMs,
    clock,
  });
  const groupBuying = createGroupBuyingService({
    connection,
    bus,
    catalog,
    users,
    // The orders of an expired group are cancelled or refunded by a flow (built below).
    members: () => flows.groupMembers,
    log,
    clock,
  });
  const promotions = createPromotionService({
    connection,
    clock,
    // A coupon's audience is a customer segment of the analytics rollups (built below).
    audience: {
      isMember: (scope, segment, userId) => analytics.segments.isMember(scope, segment as Segment, userId),
    },
  });
  const autoPromotions = createAutoPromotionService({
    connection,
    clock,
    skuInfo: async (sku) => {
      const product = await catalog.findBySku(sku);
      const variant = product?.variants.find((v) => v.sku === sku);
      return product && variant
        ? { productId: product.id, shopId: product.shopId, price: variant.price, name: product.name }
        : null;
    },
  });
  const membership = createMembershipService({ connection, bus, clock });
  const idempotency = createIdempotencyStore({ connection, clock });
  const publicUrl = deps.publicUrl ?? (() => config.http.publicUrl ?? `http://127.0.0.1:${config.http.port}`);
  const sandbox = createSandboxProvider({
    connection,
    queue,
    log,
    secret: paymentWebhookSecret,
    webhookUrl: () => `${publicUrl()}/api/payments/webhooks/sandbox`,
    clock,
  });
  const payments = createPaymentService({
    connection,
    bus,
    alerts,
    log,
    provider: sandbox.provider,
    outcomes: {
      succeeded: (payment, event) => flows.fulfilment.paymentOutcomes.succeeded(payment, event),
      failed: (payment, event) => flows.fulfilment.paymentOutcomes.failed(payment, event),
    },
    clock,
  });
  const checkouts = createCheckoutService({
    connection,
    catalog,
    cart,
    inventory,
    shops,
    orders,
    payments,
    promotions,
    autoPromotions,
    membership,
    commission,
    flash: flashSales,
    groups: groupBuying,
    reservationTtlMs: config.commerce.reservationTtlMs,
    autoCompleteDays: config.commerce.autoCompleteDays,
    clock,
  });
  const addresses = createAddressBookService({ connection, clock });
  // Referral rewards follow order events (`referrals.start()` at app start); sign-up joins through the flow.
  const referrals = createReferralService({
    connection,
    bus,
    log,
    config: config.referrals,
    clock,
    users,
    addresses,
    orders,
    membership,
    promotions,
  });
  const favourites = createFavouriteService({ connection, clock });
  const favouriteFanout = createFavouriteFanout({ connection, bus, queue, log, clock });
  const reviews = createReviewService({ connection, bus, orders, catalog, users, clock });
  const analytics = createAnalyticsService({
    connection,
    bus,
    log: deps.log,
    orders,
    catalog,
    categories,
    timeZone: config.analytics.timeZone,
    clock,
  });
  const logistics = createLogisticsService({
    connection,
    bus,
    log,
    orders,
    shops,
    users,
    redis: deps.redis ?? null,
    alerts,
    // A delivery moves its order (an order's delivery) or its after-sales request (a return pickup).
    orderEffects: {
      afterEvent: async (change) => {
        await flows.deliverySync.deliveryEffects.afterEvent(change);
        await flows.returnPickup.deliveryEffects.afterEvent(change);
      },
    },
    // The realtime contract's COURIER_POSITION_INTERVAL_MS (core cannot import the realtime package).
    config: { ...config.logistics, positionIntervalMs: 1_000 },
    dataDir: config.dataDir,
    clock,
  });

  const settlement = createSettlementService({
    connection,
    orders,
    windowMs: config.afterSales.windowMs,
    timeZone: config.settlement.timeZone,
    clock,
  });
  const reconciliation = createReconciliation({
    connection,
    orders,
    payments,
    settlement,
    alerts,
    timeZone: config.settlement.timeZone,
    clock,
  });
  const payoutBank = createSandboxPayoutProvider({
    connection,
    queue,
    secret: () => secrets.shared(PAYOUT_WEBHOOK_SECRET_NAME),
    webhookUrl: () => `${publicUrl()}/api/payouts/webhooks/sandbox`,
    delayMs: config.settlement.sandboxPayoutDelayMs,
    clock,
  });
  const payouts = createPayoutService({
    connection,
    settlement,
    provider: payoutBank.provider,
    bus,
    audit,
    alerts,
    log,
    minimumFen: config.settlement.payoutMinimumFen,
    timeZone: config.settlement.timeZone,
    clock,
  });

  const photoFiles = createDiskPhotoStore(path.join(config.dataDir, 'uploads'));
  const evidence = createEvidencePhotos({
    connection,
    store: photoFiles,
    imager: deps.evidenceImager ?? null,
    maxBytes: config.photos.limits.maxBytes,
    clock,
  });
  const aftersales = createAfterSalesService({
    connection,
    bus,
    log,
    orders,
    evidence,
    audit,
    effects: {
      refund: (task) => flows.afterSalesRefund.refund(task),
      bookPickup: (task) => flows.returnPickup.pickupEffects.bookPickup(task),
      cancelPickup: (task) => flows.returnPickup.pickupEffects.cancelPickup(task),
    },
    config: config.afterSales,
    clock,
  });

  const flows = createFlows({
    log,
    bus,
    clock,
    users,
    shops,
    sellerApplications,
    catalog,
    inventory,
    cart,
    checkouts,
    idempotency,
    orders,
    reservations,
    flashSales,
    groupBuying,
    payments,
    promotions,
    membership,
    referrals,
    logistics,
    settlement,
    aftersales,
    debitSeller: async (debit) => {
      await settlement.debitSellerForRefund({
        orderId: debit.orderId,
        amount: debit.amount,
        ref: debit.refundRef,
      });
    },
  });
  const staff = createStaffActions({
    users,
    auth,
    shops,
    catalog,
    approval: flows.sellerApproval,
    audit,
    bus,
    clock,
  });
  const userDirectory = createUserDirectory({ users, bus, log });
  const checkout = {
    ...checkouts,
    /** Runs a checkout once per Idempotency-Key (the checkout flow); retries get the first response. */
    checkout: flows.checkout.place,
  };
  const sms = createSandboxSms({ connection, clock });
  const notifications = createNotificationService({ connection, bus, queue, clock });
  const delivery = createNotificationDelivery({
    connection,
    bus,
    queue,
    users,
    notifications,
    mail: () => {
      if (!deps.mail) throw new Error('this process has no mail transport');
      return deps.mail;
    },
    sms: sms.provider,
    enrich: orderParamsEnricher(orders, catalog),
    baseUrl: publicUrl,
    clock,
  });
  const accounts = createAccountServices({
    connection,
    bus,
    users,
    auth,
    notifications,
    sms: sms.provider,
    baseUrl: publicUrl,
    clock,
    queue,
    orders,
    reviews,
    membership,
    promotions,
    addresses,
    favourites,
    logistics,
    aftersales,
    avatars: {
      root: path.join(config.dataDir, 'uploads', 'avatars'),
      imager: deps.avatarImager ?? null,
      maxBytes: config.photos.limits.maxBytes,
    },
  });

  /** Every background job the core knows how to run. Handlers are idempotent (at-least-once delivery). */
  const jobHandlers: Record<string, JobHandler> = {
    [IMPORT_JOB]: async (payload: { importId: string }, ctx) => {
      try {
        return await imports.runImport(payload, ctx);
      } catch (err) {
        // The queue dead-letters the job after this attempt: tell the seller instead of leaving it "running".
        if (ctx.attempt >= ctx.maxAttempts)
          await imports.markFailed(payload.importId, (err as Error).message);
        throw err;
      }
    },
    [CHECKOUTS_EXPIRE_DUE_JOB]: async () => checkout.expireDue(),
    [FLASH_SWEEP_JOB]: async () => flashSales.sweep(),
    [GROUP_BUYING_SWEEP_JOB]: async () => groupBuying.sweep(),
    [SANDBOX_WEBHOOK_JOB]: sandbox.deliver,
    [ORDERS_RECONCILE_JOB]: async () => checkout.reconcile(),
    [ORDERS_AUTO_COMPLETE_JOB]: async () => checkout.autoComplete(),
    [LOGISTICS_SWEEP_JOB]: async () => logistics.sweep(),
    [SETTLEMENT_RELEASE_JOB]: async () => settlement.releaseDue(),
    [ANALYTICS_ORDERS_JOB]: async (_payload: unknown, ctx) => analytics.drainOrders(ctx.signal),
    [SETTLEMENT_RECONCILE_JOB]: async (payload: { day?: string }) =>
      payload?.day
        ? { [payload.day]: (await reconciliation.reconcileDay(payload.day)).status }
        : reconciliation.reconcileRecent(),
    [SETTLEMENT_CATCH_UP_JOB]: async () => {
      const ids = await orders.settledSince(
        new Date(clock().getTime() - config.afterSales.windowMs - 2 * DAY_MS),
      );
      for (const id of ids) await settlement.settleOrder(id);
      return { orders: ids.length };
    },
    // Hourly; pays only in the configured hour of the configured weekday (the ids make a re-run harmless).
    [PAYOUTS_RUN_JOB]: async (payload: { force?: boolean }) => {
      const { weekday, hour } = weekdayAndHour(clock(), config.settlement.timeZone);
      if (
        !payload?.force &&
        (weekday !== config.settlement.payoutWeekday || hour !== config.settlement.payoutHour)
      )
        return { skipped: 'not the payout hour' };
      return payouts.runScheduled();
    },
    [PAYOUTS_RESUME_JOB]: async () => payouts.resume(),
    [SANDBOX_BANK_JOB]: payoutBank.settle,
    [SANDBOX_PAYOUT_WEBHOOK_JOB]: payoutBank.deliver,
    [LOGISTICS_RECONCILE_JOB]: async () => logistics.reconcile(),
    [AFTERSALES_DUE_JOB]: async () => aftersales.runDue(),
    [IDEMPOTENCY_PRUNE_JOB]: async () => ({ deleted: await idempotency.prune() }),
    [LEDGER_REFS_PRUNE_JOB]: async () => ({
      deleted: await pruneLedgerRefs(connection, new Date(clock().getTime() - 30 * DAY_MS)),
    }),
    [SESSION_PRUNE_JOB]: async () => ({ deleted: await auth.pruneExpiredSessions() }),
    // A delivery's fingerprint only matters within the 5-minute signature tolerance; a day is plenty.
    [PAYMENT_RECEIPTS_PRUNE_JOB]: async () => ({
      deleted: await payments.pruneReceipts(new Date(clock().getTime() - DAY_MS)),
    }),
    ...favouriteFanout.jobHandlers,
    [LISTINGS_REBUILD_JOB]: async () => ({ listings: await listings.rebuildListings() }),
    // No TTL indexes on FerretDB: finished jobs (kept a week for inspection) and old claims go by job.
    [JOBS_PRUNE_JOB]: async () => {
      const now = clock().getTime();
      return {
        finished: await queue.pruneFinished(new Date(now - 7 * DAY_MS)),
        claims: await queue.pruneClaims(new Date(now - DAY_MS)),
      };
    },
  };

  // The reset request runs as a job whether or not the address has an account: the request answers
  // 202 after one enqueue either way, so neither its answer nor its timing says which.
  jobHandlers[PASSWORD_RESET_REQUEST_JOB] = async (payload: { email: string; locale: 'zh' | 'en' | null }) =>
    accounts.links.requestPasswordReset(payload.email, payload.locale);
  jobHandlers[ACCOUNT_ERASE_JOB] = async (payload: { userId: string; avatarKey?: string | null }) =>
    accounts.closing.erase(payload.userId, payload.avatarKey ?? null);
  jobHandlers[ACCOUNTS_PRUNE_JOB] = async () => ({
    links: await accounts.links.pruneExpired(),
    codes: await accounts.phoneCodes.pruneOld(),
  });
  for (const [type, handler] of Object.entries(delivery.jobHandlers)) {
    // Mail needs a transport; a process without one leaves mail jobs to one that has it.
    const sendsMail = type === ACCOUNT_MAIL_JOB || type === NOTIFICATION_SEND_JOB;
    if (!sendsMail || deps.mail) jobHandlers[type] = handler;
  }

  if (deps.photoInspector) {
    jobHandlers[PHOTO_CHECK_JOB] = async (payload: { photoId: string }, ctx) => {
      try {
        return await photos.runCheck(payload, ctx);
      } catch (err) {
        // Out of attempts: the photo goes to support instead of staying "checking".
        if (ctx.attempt >= ctx.maxAttempts) await photos.failCheck(payload.photoId, (err as Error).message);
        throw err;
      }
    };
  }

  return {
    queue,
    secrets,
    /** The payment webhook HMAC key; resolve it at start so a database problem shows up there. */
    paymentWebhookSecret,
    alerts,
    audit,
    users,
    auth,
    shops,
    sellerApplications,
    /** What staff do in the back office, each audited (`backoffice/staff-actions.ts`). */
    staff,
    /** The back office's people search (load it at start: `userDirectory.start()` then `load()`). */
    userDirectory,
    categories,
    catalog,
    inventory,
    listings,
    productViews,
    sellerProducts: flows.sellerProducts,
    registration: flows.registration,
    imports,
    cart,
    orders,
    reservations,
    flashSales,
    groupBuying,
    promotions,
    autoPromotions,
    membership,
    referrals,
    commission,
    settlement,
    reconciliation,
    payouts,
    payoutBank,
    payments,
    sandbox,
    checkout,
    reviews,
    ratings,
    addresses,
    favourites,
    favouriteFanout,
    analytics,
    photos,
    logistics,
    aftersales,
    /** The refund flow of an approved or received request (the deadline job reruns it until done). */
    afterSalesRefund: flows.afterSalesRefund,
    /** `Idempotency-Key` replay for money-moving requests (checkout uses it through its flow). */
    idempotency,
    evidence,
    notifications,
    accounts,
    sandboxSms: sms,
    jobHandlers,
    clock,
  };
}

export type CoreServices = ReturnType<typeof createCoreServices>;
