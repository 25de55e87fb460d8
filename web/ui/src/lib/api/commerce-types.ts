/**
 * Shapes of the commerce API as the browser sees them: the shopper's cart, checkout, payments and
 * membership, and the orders that shoppers, sellers and support staff all read and act on. They mirror
 * `web/src/schemas-commerce.ts`. Money is integer fen; times are ISO strings (UTC).
 */

// The cart view has no dates, so the server's own types describe its JSON exactly.
import type { CartLine, CartNotice, CartNoticeCode, CartSellerGroup, CartView } from '@market/core/browser';

export type { CartLine, CartNotice, CartNoticeCode };
export type CartShopGroup = CartSellerGroup;
export type Cart = CartView;

export interface Address {
  name: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  province: string;
  postcode: string;
}

export interface PickupPoint {
  id: string;
  name: string;
  nameZh: string;
  city: string;
  address: string;
  hours: string;
}

export type DeliveryMethod = 'courier' | 'pickup';

export interface CheckoutInput {
  delivery: { method: DeliveryMethod; address?: Address | null; pickupPointId?: string | null };
  couponCode?: string | null;
  pointsToRedeem?: number;
}

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

export interface SellerQuote {
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: OrderLine[];
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
}

export interface CheckoutQuote {
  sellers: SellerQuote[];
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller'; description: string } | null;
  pointsBalance: number;
  maxRedeemablePoints: number;
  freeShippingThreshold: number;
}

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

export interface CheckoutOrder {
  id: string;
  number: string;
  sellerId: string;
  shopName: string;
  total: number;
  status: OrderStatus;
}

export interface CheckoutResult {
  checkoutId: string;
  orders: CheckoutOrder[];
  payment: { id: string; amount: number; status: string; redirectUrl: string };
  total: number;
  expiresAt: string;
}

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'expired';

export interface CheckoutState extends CheckoutResult {
  paymentStatus: PaymentStatus;
  failureReason: string | null;
}

/** A line a checkout refused (409 `cart_changed` / `insufficient_stock`). */
export interface CheckoutProblemLine {
  sku: string;
  code?: string;
  message?: string;
  requested?: number;
  available?: number;
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

export type OrderActorRole = 'buyer' | 'seller' | 'support' | 'system';

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

export interface OrderDelivery {
  method: DeliveryMethod;
  address: Address | null;
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
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller' } | null;
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

/** A seller marks an order shipped with these. */
export interface ShipInput {
  carrier: string;
  trackingNumber: string;
}

/** Support refunds part or all of an order. */
export interface RefundInput {
  /** Fen; absent refunds everything still refundable. */
  amount?: number;
  reason: string;
}

export type SandboxMethod = 'alipay' | 'wechat' | 'card';

export interface SandboxSession {
  id: string;
  paymentId: string;
  amount: number;
  currency: 'CNY';
  description: string;
  returnUrl: string;
  status: 'open' | 'succeeded' | 'failed' | 'abandoned' | 'expired';
  method: SandboxMethod | null;
  failureReason: string | null;
  createdAt: string;
}

export type TierName = 'member' | 'silver' | 'gold' | 'platinum';

export interface MemberAccount {
  balance: number;
  lifetimeEarned: number;
  tier: TierName;
  benefits: { earnMultiplier: number; freeShippingThreshold: number; maxRedeemPercent: number };
  nextTier: { name: TierName; pointsNeeded: number } | null;
}

export interface PointsMovement {
  version: number;
  delta: number;
  balance: number;
  reason: string;
  note: string;
  ref: string | null;
  at: string;
}

export interface MemberPoints {
  account: MemberAccount;
  history: PointsMovement[];
}

export interface MembershipTier {
  name: TierName;
  threshold: number;
  benefits: MemberAccount['benefits'];
}

export interface MyCoupon {
  id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  maxDiscount: number | null;
  minSpend: number;
  startsAt: string;
  endsAt: string | null;
  funding: 'platform' | 'seller';
  sellerId: string | null;
  description: string;
  /** How many more times this shopper may use it; null when unlimited. */
  remainingForYou?: number | null;
}
