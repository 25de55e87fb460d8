/**
 * Shapes of the order-operations and coupon APIs (seller queue, support console, coupon management), as
 * the browser sees them: money in integer fen, times as ISO strings. See web/src/schemas-commerce.ts.
 */

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'accepted',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunded',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type OrderActorRole = 'buyer' | 'seller' | 'support' | 'system';

export interface OrderLine {
  sku: string;
  productId: string;
  name: string;
  nameZh: string;
  variantTitle: string;
  image: string | null;
  unitPrice: number;
  qty: number;
  lineTotal: number;
}

export interface OrderAddress {
  name: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  province: string;
  postcode: string;
}

export interface OrderDelivery {
  method: 'courier' | 'pickup';
  address: OrderAddress | null;
  pickupPoint: { id: string; name: string; address: string } | null;
}

/** `total` = items + shipping − discount − points. */
export interface OrderTotals {
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
}

export interface OrderTimelineEntry {
  version: number;
  status: OrderStatus;
  event: 'created' | 'status' | 'refund';
  actorId: string | null;
  actorRole: OrderActorRole;
  note: string;
  /** The order total on `created`, the amount on `refund`. */
  amount: number | null;
  at: string;
}

export interface Order {
  id: string;
  number: string;
  checkoutId: string;
  buyerId: string;
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: OrderLine[];
  delivery: OrderDelivery;
  totals: OrderTotals;
  coupon?: { couponId: string; code: string; funding: 'platform' | 'seller' } | null;
  paymentId: string;
  status: OrderStatus;
  version: number;
  refunded: number;
  tracking: { carrier: string; number: string } | null;
  timeline: OrderTimelineEntry[];
  expiresAt: string;
  createdAt: string;
  /** How the caller relates to the order. */
  yourRole: OrderActorRole;
  /** The statuses the caller may move the order to: these decide which buttons show. */
  actions: OrderStatus[];
}

export interface OrderSummary {
  id: string;
  number: string;
  checkoutId: string;
  buyerId: string;
  sellerId: string;
  shopName: string;
  status: OrderStatus;
  total: number;
  itemCount: number;
  firstItem: string;
  image: string | null;
  createdAt: string;
}

export interface ShipInput {
  carrier: string;
  trackingNumber: string;
}

export interface RefundInput {
  /** Fen; absent refunds everything still refundable. */
  amount?: number;
  reason: string;
}

export type CouponKind = 'percent' | 'fixed';

export interface Coupon {
  id: string;
  code: string;
  kind: CouponKind;
  /** A whole percent (1–100) for `percent`, fen for `fixed`. */
  value: number;
  /** Fen cap of a percent discount; null for none. */
  maxDiscount: number | null;
  minSpend: number;
  startsAt: string;
  endsAt: string | null;
  usageLimit: number | null;
  perUserLimit: number | null;
  /** `platform`: an admin's coupon on the whole cart; `seller`: a seller's coupon on their own items. */
  funding: 'platform' | 'seller';
  sellerId: string | null;
  active: boolean;
  description: string;
  createdAt: string;
}

export type ManagedCoupon = Coupon & { redeemed: number };

export interface NewCouponInput {
  code: string;
  kind: CouponKind;
  value: number;
  maxDiscount?: number | null;
  minSpend?: number;
  startsAt?: string;
  endsAt?: string | null;
  usageLimit?: number | null;
  perUserLimit?: number | null;
  description?: string;
}
