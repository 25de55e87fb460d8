export type CartNoticeCode = 'price_changed' | 'insufficient_stock' | 'out_of_stock' | 'unavailable';

export interface CartNotice {
  code: CartNoticeCode;
  message: string;
}

export interface CartLine {
  sku: string;
  productId: string;
  /** The product page's URL key (`/p/<urlHandle>`); null when the product is gone or has none yet. */
  urlHandle: string | null;
  productName: string;
  productNameZh: string;
  variantTitle: string;
  image: string | null;
  sellerId: string;
  shopId: string;
  shopName: string;
  qty: number;
  unitPrice: number;
  /** The price the shopper last saw, when it differs from `unitPrice`. */
  previousPrice: number | null;
  lineTotal: number;
  available: number;
  /** False when the line cannot be bought as it is (gone, out of stock, not enough stock). */
  purchasable: boolean;
  notices: CartNotice[];
}

export interface CartSellerGroup {
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: CartLine[];
  subtotal: number;
}

export interface CartView {
  /** `account` or `guest`. */
  owner: 'account' | 'guest';
  groups: CartSellerGroup[];
  itemCount: number;
  /** Sum of purchasable lines at current prices, in fen. */
  itemsTotal: number;
  /** Whether any line carries a notice the shopper should see before paying. */
  hasNotices: boolean;
  updatedAt: string | null;
}

export const MAX_CART_LINES = 50;
export const MAX_LINE_QTY = 99;
