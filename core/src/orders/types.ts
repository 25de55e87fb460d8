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

/** Who may act on an order, relative to it. */
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
  /** Set on a flash-sale line: its units came from that sale's hold, at the sale price (`unitPrice`). */
  flashSaleId?: string;
  /**
   * Set on a group-buy line (at the group price): the order waits for its group to fill before the
   * seller may accept it, and is refunded if the group expires.
   */
  groupId?: string;
  /** The unit price after an automatic sale price (`unitPrice` stays the list price); absent without one. */
  salePrice?: number;
  /**
   * Fen automatic promotions took off this line (sale price included); absent when none did. The
   * order's `promotions` say which and who funds them; their amounts sum to the lines' discounts.
   */
  promotionDiscount?: number;
}

/** An automatic promotion applied to an order: how much it took and who funds it. */
export interface OrderPromotion {
  promotionId: string;
  kind: 'spend_and_save' | 'percent_off' | 'sale_price' | 'buy_n_get_m' | 'bundle';
  title: string;
  funding: 'platform' | 'seller';
  amount: number;
}

export interface Address {
  name: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  /** The district within the city (e.g. 浦东新区); orders placed before address books have none. */
  district?: string;
  province: string;
  postcode: string;
}

export interface Delivery {
  method: 'courier' | 'pickup';
  address: Address | null;
  pickupPoint: { id: string; name: string; address: string } | null;
}

/** Integer fen. `total` = items + shipping − discount − points. */
export interface OrderTotals {
  items: number;
  shipping: number;
  discount: number;
  points: number;
  total: number;
}

export interface TimelineEntry {
  version: number;
  status: OrderStatus;
  event: 'created' | 'status' | 'refund';
  actorId: string | null;
  actorRole: OrderActorRole;
  note: string;
  amount: number | null;
  at: Date;
}

/**
 * The commission of one line, resolved when the order was placed (`core/src/commission`); integer fen.
 * Kept on the order so a later rule change never rewrites what this order owes.
 */
export interface OrderCommissionLine {
  sku: string;
  productId: string;
  /** The line's goods less its share of the seller-funded discount. */
  base: number;
  ruleId: string | null;
  scope: 'global' | 'category' | 'shop' | 'product' | null;
  kind: 'percent' | 'fixed' | null;
  rateBp: number;
  fixedFen: number;
  amount: number;
}

/** What came back of what was paid: nothing, part of it, or all of it (the badge on order views). */
export const REFUND_STATES = ['none', 'partial', 'full'] as const;
export type RefundState = (typeof REFUND_STATES)[number];

export function refundStateOf(refunded: number, total: number): RefundState {
  if (refunded <= 0) return 'none';
  return refunded >= total ? 'full' : 'partial';
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
  delivery: Delivery;
  totals: OrderTotals;
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller' } | null;
  /**
   * Automatic promotions applied (empty on orders before them). `totals.discount` is their sum plus the
   * coupon's discount.
   */
  promotions: OrderPromotion[];
  /** One per line (empty for orders placed before commission existed). */
  commission: OrderCommissionLine[];
  paymentId: string;
  status: OrderStatus;
  /** Version of the latest event in the order's stream. */
  version: number;
  refunded: number;
  refundState: RefundState;
  tracking: { carrier: string; number: string } | null;
  timeline: TimelineEntry[];
  expiresAt: Date;
  createdAt: Date;
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
  /** Fen refunded so far (what a "partially refunded" badge names). */
  refunded: number;
  refundState: RefundState;
  itemCount: number;
  firstItem: string;
  image: string | null;
  createdAt: Date;
}
