import type { AfterSalesChangedEvent, AfterSalesEventName } from '../aftersales/types';
import type { OpsAlertKind } from '../alerts/types';
import type { GroupProgress } from '../group-buying/types';
import type { LiveOrder } from '../analytics/live';
import type { PhotoStatus, ReviewDecision, VerdictReason } from '../photos/verdict';

/**
 * Every domain event, by name. Payloads carry ids and versions so a consumer can drop stale or repeated
 * deliveries (an event bus adapter may deliver more than once).
 */
/**
 * Every step of an after-sales request: `aftersales.opened`, `.approved`, `.rejected`, `.return_shipped`,
 * `.received`, `.escalated`, `.decided`, `.refunded`, `.closed`, `.withdrawn`; `version` is the request's
 * stream version. The money itself shows up as the order's `refund` event (`order.status_changed`).
 */
export type AfterSalesDomainEvents = {
  [K in AfterSalesEventName as `aftersales.${K}`]: AfterSalesChangedEvent;
};

export interface DomainEvents extends AfterSalesDomainEvents {
  'product.created': { productId: string; sellerId: string; version: number };
  'product.updated': { productId: string; sellerId: string; version: number };
  'product.deleted': { productId: string; sellerId: string };
  /**
   * Some variants' prices changed (published with the `product.updated` of the same `version`), with the
   * price before and after, so a consumer can tell a drop from a raise without keeping prices itself.
   */
  'product.prices_changed': {
    productId: string;
    sellerId: string;
    version: number;
    changes: { sku: string; oldPrice: number; newPrice: number }[];
    at: string;
  };
  /**
   * Staff took a product off sale (`takenDown: true`, with their reason) or put it back. The product's
   * `product.updated` carries the change to the read models; this one is for the seller (notifications).
   */
  'product.taken_down': {
    productId: string;
    shopId: string;
    sellerId: string;
    takenDown: boolean;
    reason: string | null;
    by: string;
    version: number;
    at: string;
  };
  /**
   * A shop's status or its owner's block changed: its products leave or rejoin the storefront and search
   * (every process's listing projector re-reads them). `version` is the shop's status version.
   */
  'shop.status_changed': {
    shopId: string;
    ownerId: string;
    status: 'pending' | 'active' | 'suspended';
    ownerBlocked: boolean;
    version: number;
    at: string;
  };
  /**
   * Staff changed whether products are on sale (a takedown, a shop suspended, opened or reinstated, an
   * owner blocked): published once by the process that acted, for pages showing them (realtime). The
   * listing and search follow `product.updated` / `shop.status_changed` instead.
   */
  'products.sale_changed': { productIds: string[]; onSale: boolean; at: string };
  /** Staff decided on a seller application (the seller is told; approval also opened the shop). */
  'seller_application.decided': {
    applicationId: string;
    userId: string;
    shopId: string;
    shopName: string;
    decision: 'approved' | 'rejected' | 'changes_requested';
    /** The reason of a rejection or the note of a request for changes; null on approval. */
    note: string | null;
    by: string;
    at: string;
  };
  /** A user's searchable facts (email, name, phone, roles, block) changed or the user was created. */
  'user.changed': { userId: string; at: string };
  /** Published on every stock change of one SKU; `version` is the ledger version that produced it. */
  'stock.changed': {
    productId: string;
    sellerId: string;
    sku: string;
    available: number;
    /** Available before this change (0 → more is "back in stock"). */
    previousAvailable: number;
    version: number;
    at: string;
  };
  /** Units of a flash sale still to win (after a claim, a lapse, a close); for live countdown pages. */
  'flash.remaining': { saleId: string; productId: string; sku: string; remaining: number; at: string };
  /** A flash sale was created (`open`) or ended, was cancelled or closed (`closed`): cached lists drop it. */
  'flash.changed': { saleId: string; productId: string; status: 'open' | 'closed'; at: string };
  /** A group buy's seats or outcome changed (a seat held, paid or released; complete; expired). */
  'group.progress': GroupProgress;
  'import.progress': ImportProgressEvent;
  /**
   * A favourited product's variant got cheaper: one event per (favouriter, SKU, price version). `id` is
   * `pricedrop:<sku>:<priceVersion>:<userId>`, the same for every delivery of this occurrence, so a
   * consumer (notifications) dedupes on it; a fan-out retried after a crash may publish an id again.
   */
  'favourite.price_dropped': FavouriteEventBase & {
    oldPrice: number;
    newPrice: number;
    priceVersion: number;
  };
  /**
   * A favourited product's variant is available again (0 → more): one per (favouriter, SKU, restock).
   * `id` is `restock:<sku>:<stockVersion>:<userId>`; `stockVersion` is the stock ledger version at
   * which it became available.
   */
  'favourite.back_in_stock': FavouriteEventBase & { available: number; stockVersion: number };
  /** Every event in an order's stream (a status change or a refund). */
  'order.status_changed': {
    orderId: string;
    checkoutId: string;
    buyerId: string;
    sellerId: string;
    status: string;
    event: 'created' | 'status' | 'refund';
    version: number;
    at: string;
  };
  /** A payment's state changed (for the shopper's checkout page). */
  'payment.updated': { paymentId: string; checkoutId: string; buyerId: string; status: string; at: string };
  /**
   * A review was added, hidden, shown again or replied to. `version` is the product's rating aggregate
   * version that includes the change (a reply leaves the aggregate, and so the version, as it was).
   */
  'review.changed': { productId: string; reviewId: string; version: number };
  'photo.checked': PhotoCheckedEvent;
  /** A photo joined support's review queue. */
  'photo.review_queued': { photoId: string; productId: string; sellerId: string; at: string };
  /** What shoppers see of a product's photos may have changed; `version` is its photo set's. */
  'product.photos_changed': { productId: string; sellerId: string; version: number };
  /**
   * A delivery (shipment) changed: status, courier, ETA or lateness. `version` is its event-stream
   * version, so a consumer keeps the highest it has seen.
   */
  'delivery.updated': {
    deliveryId: string;
    /** An order's delivery, or the courier pickup of an after-sales return. */
    kind: 'order' | 'return';
    orderId: string;
    buyerId: string;
    sellerId: string;
    courierId: string | null;
    status: string;
    etaAt: string | null;
    late: boolean;
    version: number;
    at: string;
  };
  /** A courier's position while carrying a delivery; published at most once per second per delivery. */
  'courier.location': {
    deliveryId: string;
    orderId: string;
    buyerId: string;
    courierId: string;
    lat: number;
    lng: number;
    heading: number | null;
    speedKmh: number | null;
    etaAt: string | null;
    at: string;
  };
  /**
   * Login sessions ended: `sessionIds` lists them, or is null for every session of the user except
   * `keptSessionId` (a password change keeps the session that made it). Realtime disconnects their
   * sockets on every node.
   */
  'sessions.ended': {
    userId: string;
    sessionIds: string[] | null;
    keptSessionId: string | null;
    reason: SessionEndReason;
    at: string;
  };
  /** A payout's status changed (the seller's finance page follows it live). */
  'payout.updated': { payoutId: string; sellerId: string; status: string; amount: number; at: string };
  /** The payout provider confirmed a payout: the money reached the seller's account (notifications). */
  'payout.sent': { payoutId: string; sellerId: string; amount: number; at: string };
  /** A payout failed; its money is back in the seller's available balance (notifications). */
  'payout.failed': { payoutId: string; sellerId: string; amount: number; reason: string; at: string };
  /**
   * A day's analytics rollup of a scope (a seller's id, or `platform`) took in new events; dashboards
   * showing that day read it again.
   */
  'analytics.updated': { scope: string; day: string; at: string };
  /** An order was paid: every process's live view adds it to its shop's and the platform's (`analytics/live.ts`). */
  'analytics.live_order': { scopes: string[]; order: LiveOrder };
  /** The actors an interaction page saw, per scope, for every process's live visitor count. */
  'analytics.visitors': { visitors: Record<string, string[]>; at: string };
  /**
   * A notification entered someone's notification centre (published by the delivery job, once per
   * notification and attempt; clients drop an id they already have). `unread` is the count after it.
   */
  'notification.created': {
    userId: string;
    notificationId: string;
    type: string;
    title: string;
    body: string;
    link: string | null;
    unread: number;
    at: string;
  };
  /** Someone read notifications (one, or all): their other tabs update the bell. */
  'notification.read': { userId: string; notificationIds: string[] | null; unread: number; at: string };

  /**
   * Something support should look at now (a late delivery, a silent courier, a failed attempt, a payment
   * event that does not match its payment); the ids that do not apply to the kind are null.
   */
  'ops.alert': {
    alertId: string;
    kind: OpsAlertKind;
    deliveryId: string | null;
    orderId: string | null;
    courierId: string | null;
    paymentId: string | null;
    message: string;
    at: string;
  };
}

/**
 * A photo's check finished or support decided on it. The seller's page gets it without `sellerId` (the
 * realtime contract's `PhotoCheckedMessage`): read the photo for its boxes and measurements.
 */
export interface PhotoCheckedEvent {
  photoId: string;
  productId: string;
  sellerId: string;
  status: PhotoStatus;
  /** Shown to shoppers. */
  public: boolean;
  review: ReviewDecision | null;
  reasons: Pick<VerdictReason, 'code' | 'severity' | 'value' | 'threshold' | 'message'>[];
  /** Finished checks of this photo; with `at`, orders deliveries (and messages) about one photo. */
  checks: number;
  at: string;
}

/** What both favourite alerts carry: who to tell, about what, and when it happened. */
export interface FavouriteEventBase {
  id: string;
  userId: string;
  productId: string;
  sku: string;
  at: string;
}

/** Why sessions ended: a logout, a new login in the same browser, expiry, a password change, a block. */
export type SessionEndReason =
  | 'logout'
  | 'replaced'
  | 'expired'
  | 'password_changed'
  | 'password_reset'
  | 'blocked'
  | 'roles_changed'
  | 'account_closed';

export interface ImportProgressEvent {
  importId: string;
  sellerId: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
}

export type DomainEventName = keyof DomainEvents;
export type DomainEventHandler<K extends DomainEventName> = (
  payload: DomainEvents[K],
) => void | Promise<void>;
