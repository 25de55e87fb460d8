/**
 * The realtime contract, defined once and imported by the server and the Svelte app.
 *
 * One namespace per audience, all multiplexed over one connection by the client's Manager:
 * - `/shop`     anyone: live stock of watched products, the progress of watched group buys (`group:<id>`); a signed-in shopper also gets their own orders,
 *               payments and deliveries (`user:<id>`), and may watch one of their orders (`order:<id>`) for
 *               its delivery and the courier's position.
 * - `/seller`   sellers: their shop's orders, imports, stock alerts and photo verdicts (`seller:<id>`).
 * - `/courier`  couriers: their deliveries (`courier:<id>`); they send their position here.
 * - `/support`  support staff and admins: every order and delivery (`support`), alerts, and any single
 *               delivery they watch (`delivery:<id>`) for its courier's position.
 *
 * Every join is authorized on the server; a refused join is answered `{ ok: false }` and logged.
 * A socket lives no longer than the login session it was opened with: when that session ends (logout,
 * a password change, a block, expiry) the server disconnects it (`io server disconnect`, so the client
 * does not reconnect by itself); the client reads its session again and reconnects as who it now is.
 * A client that reconnects within two minutes receives, in order, what it missed (connection-state
 * recovery); after longer it starts afresh and must read its state again (`socket.recovered === false`).
 */

// From core's browser entry, not `@market/core`: the Svelte app imports this file, and core's index would
// bring the server.
import type { AfterSalesChangedEvent, GroupProgress, PhotoCheckedEvent } from '@market/core/browser';

export const NAMESPACES = {
  shop: '/shop',
  seller: '/seller',
  courier: '/courier',
  support: '/support',
} as const;
export type NamespaceName = keyof typeof NAMESPACES;

export interface StockChangedMessage {
  productId: string;
  sku: string;
  available: number;
  version: number;
  at: string;
}

/** A SKU of the seller's fell to or below the low-stock threshold (or sold out). */
export interface StockAlertMessage {
  productId: string;
  sku: string;
  available: number;
  threshold: number;
  version: number;
  at: string;
}

/** A payout of this seller changed status (the finance page updates its history live). */
export interface PayoutUpdatedMessage {
  payoutId: string;
  status: string;
  amount: number;
  at: string;
}

export interface ImportProgressMessage {
  importId: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
}

/** An order's status changed or it was refunded; fetch the order for details. */
export interface OrderStatusMessage {
  orderId: string;
  checkoutId: string;
  status: string;
  event: 'created' | 'status' | 'refund';
  version: number;
  at: string;
}

/**
 * A step of an after-sales request (opened, approved, shipped back, refunded…): to its buyer (`user:`,
 * `order:`), the order's seller and support. Fetch the request for its timeline.
 */
export type AfterSalesUpdatedMessage = Omit<AfterSalesChangedEvent, 'buyerId' | 'sellerId'>;

export interface PaymentUpdatedMessage {
  paymentId: string;
  checkoutId: string;
  status: string;
  at: string;
}

/** A delivery (shipment) changed: status, courier, ETA or lateness. Fetch it for the full timeline. */
export interface DeliveryUpdatedMessage {
  deliveryId: string;
  orderId: string;
  status: string;
  courierId: string | null;
  /** Expected arrival (ISO time), when known. */
  etaAt: string | null;
  late: boolean;
  version: number;
  at: string;
}

/** Where the courier carrying a delivery is; at most one per second per delivery. */
export interface CourierLocationMessage {
  deliveryId: string;
  orderId: string;
  courierId: string;
  lat: number;
  lng: number;
  heading: number | null;
  speedKmh: number | null;
  etaAt: string | null;
  at: string;
}

/**
 * Something support should look at now: a delivery running late, a silent courier, a failed attempt, or
 * a payment event that does not match its payment (refused, nothing changed). The ids that do not apply
 * to the kind are null: delivery alerts name a delivery, payment alerts a payment.
 */
export interface OpsAlertMessage {
  alertId: string;
  kind:
    | 'delivery_late'
    | 'courier_silent'
    | 'delivery_failed'
    | 'payment_mismatch'
    | 'reconciliation_failed'
    | 'payout_failed';
  deliveryId: string | null;
  orderId: string | null;
  courierId: string | null;
  paymentId: string | null;
  message: string;
  at: string;
}

export interface CourierPosition {
  lat: number;
  lng: number;
  /** Metres, as browser geolocation reports it. */
  accuracy?: number;
  heading?: number | null;
  speedKmh?: number | null;
  /** When the fix was taken (ISO time); the server's clock when absent. */
  at?: string;
}

export type Ack = (result: { ok: true } | { ok: false; error: string; retryAfterMs?: number }) => void;

/** Units of a flash sale on a watched product still to win (after a win, a lapse, the end). */
export interface FlashRemainingMessage {
  saleId: string;
  productId: string;
  sku: string;
  remaining: number;
  at: string;
}

/**
 * A watched group buy changed (a seat held, paid or released; complete; expired): its members (initials
 * only), seats left and deadline. `version` grows with each seat change; drop an older one.
 */
export type GroupProgressMessage = GroupProgress;

/** Watched products left sale (taken down, shop suspended) or came back; pages drop or refresh them. */
export interface SaleChangedMessage {
  productIds: string[];
  onSale: boolean;
}

/** A notification arrived in the signed-in person's notification centre; `unread` is the bell's count. */
export interface NotificationNewMessage {
  notificationId: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  unread: number;
  at: string;
}

/** The person read notifications (in this tab or another): `notificationIds` null means all. */
export interface NotificationReadMessage {
  notificationIds: string[] | null;
  unread: number;
  at: string;
}

export interface ShopServerEvents {
  /** The signed-in person's own notifications (room `user:<id>`); a repeated id is the same one. */
  'notification.new': (message: NotificationNewMessage) => void;
  'notification.read': (message: NotificationReadMessage) => void;
  'stock.changed': (message: StockChangedMessage) => void;
  'flash.remaining': (message: FlashRemainingMessage) => void;
  /** Watched groups (`group:watch`). */
  'group.progress': (message: GroupProgressMessage) => void;
  'products.sale_changed': (message: SaleChangedMessage) => void;
  /** The shopper's own orders (all of them, and the watched one). */
  'order.status_changed': (message: OrderStatusMessage) => void;
  /** The shopper's own after-sales requests. */
  'aftersales.updated': (message: AfterSalesUpdatedMessage) => void;
  /** The paying shopper's payments. */
  'payment.updated': (message: PaymentUpdatedMessage) => void;
  /** The shopper's own deliveries. */
  'delivery.updated': (message: DeliveryUpdatedMessage) => void;
  /** The courier of a watched order. */
  'courier.location': (message: CourierLocationMessage) => void;
}

export interface ShopClientEvents {
  /** Start receiving `stock.changed` for these products (at most 200 ids per call). */
  'products:watch': (productIds: string[], ack?: Ack) => void;
  'products:unwatch': (productIds: string[]) => void;
  /** Follow a group buy's progress (public, like its page). */
  'group:watch': (groupId: string, ack?: Ack) => void;
  'group:unwatch': (groupId: string) => void;
  /** Follow one of your orders: its delivery and courier position. Refused for other people's orders. */
  'order:watch': (orderId: string, ack: Ack) => void;
  'order:unwatch': (orderId: string) => void;
}

/**
 * A photo's check finished, or support decided on it: the domain event itself, less the seller (whose
 * room it is sent to).
 */
export type PhotoCheckedMessage = Omit<PhotoCheckedEvent, 'sellerId'>;

/** Support's photo queue changed: a photo joined it, or someone decided on one. */
export interface PhotoReviewMessage {
  photoId: string;
  productId: string;
  sellerId: string;
  state: 'queued' | 'decided';
  at: string;
}

/** A day of a dashboard's figures changed (read it again): the seller's shop, or the platform on `/support`. */
export interface AnalyticsUpdatedMessage {
  day: string;
  at: string;
}

export interface SellerServerEvents {
  'order.status_changed': (message: OrderStatusMessage) => void;
  'aftersales.updated': (message: AfterSalesUpdatedMessage) => void;
  'analytics.updated': (message: AnalyticsUpdatedMessage) => void;
  'import.progress': (message: ImportProgressMessage) => void;
  'stock.alert': (message: StockAlertMessage) => void;
  'delivery.updated': (message: DeliveryUpdatedMessage) => void;
  'photo.checked': (message: PhotoCheckedMessage) => void;
  'payout.updated': (message: PayoutUpdatedMessage) => void;
}

export type SellerClientEvents = Record<string, never>;

export interface CourierServerEvents {
  /** Deliveries offered to or carried by this courier. */
  'delivery.updated': (message: DeliveryUpdatedMessage) => void;
}

export interface CourierClientEvents {
  /** A position fix; refused with `retryAfterMs` when sent faster than the rate limit allows. */
  position: (position: CourierPosition, ack?: Ack) => void;
}

export interface SupportServerEvents {
  'order.status_changed': (message: OrderStatusMessage) => void;
  /** Every request's steps (the escalations queue follows `escalated` and `decided`). */
  'aftersales.updated': (message: AfterSalesUpdatedMessage) => void;
  /** The platform's figures (admins' analytics page). */
  'analytics.updated': (message: AnalyticsUpdatedMessage) => void;
  'delivery.updated': (message: DeliveryUpdatedMessage) => void;
  /** Watched deliveries only. */
  'courier.location': (message: CourierLocationMessage) => void;
  'ops.alert': (message: OpsAlertMessage) => void;
  'photo.review': (message: PhotoReviewMessage) => void;
}

export interface SupportClientEvents {
  'delivery:watch': (deliveryId: string, ack: Ack) => void;
  'delivery:unwatch': (deliveryId: string) => void;
}

/** On every namespace. */
export interface LifecycleEvents {
  /**
   * First message of a new (not recovered) session. Recovery resumes from the last message a client
   * received, so this gives every client a point to resume from before anything else happened.
   */
  'server:hello': () => void;
  /** This node is shutting down: the client reconnects and the balancer picks another node. */
  'server:draining': (info: { reconnectAfterMs: number }) => void;
}

export const MAX_WATCHED_PER_CALL = 200;
/** Rooms one socket may hold beyond its automatic ones (products, orders, deliveries together). */
export const MAX_ROOMS_PER_SOCKET = 1_000;
/** A courier's position is taken at most this often; faster fixes are refused with `retryAfterMs`. */
export const COURIER_POSITION_INTERVAL_MS = 1_000;
/** Stock at or below this many units raises `stock.alert` to the seller. */
export const LOW_STOCK_THRESHOLD = 5;
