/** A flash sale (秒杀): `quantity` units of one SKU at `salePrice` fen between `startsAt` and `endsAt`. */
export interface FlashSale {
  id: string;
  sku: string;
  productId: string;
  sellerId: string;
  salePrice: number;
  normalPrice: number;
  quantity: number;
  perPersonLimit: number;
  startsAt: Date;
  endsAt: Date;
  /** `closed` once ended or cancelled and its unsold units are back in normal stock. */
  status: 'open' | 'closed';
  cancelled: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface FlashSaleInput {
  sku: string;
  salePrice: number;
  quantity: number;
  perPersonLimit?: number;
  startsAt: Date;
  endsAt: Date;
}

/** The window and counts the admission step needs, nothing from the document store at answer time. */
export interface AdmissionSale {
  id: string;
  quantity: number;
  perPersonLimit: number;
  startsAtMs: number;
  endsAtMs: number;
}

export type ClaimAnswer =
  | { status: 'won'; token: string; qty: number; expiresAt: Date; remaining: number }
  /** The buyer already holds (or has used) a claim on this sale. */
  | { status: 'already_claimed'; remaining: number }
  /** No units left now, but unpaid claims may lapse and free some: try again shortly. */
  | { status: 'queued'; remaining: number }
  | { status: 'sold_out'; remaining: 0 }
  | { status: 'not_started'; remaining: number }
  | { status: 'ended'; remaining: number };

/** What a winner's token buys at checkout, or why it buys nothing (`lapsed`: its window or sale ended). */
export type FlashClaimLine =
  | {
      status: 'live';
      line: {
        saleId: string;
        sku: string;
        productId: string;
        sellerId: string;
        salePrice: number;
        qty: number;
      };
    }
  | { status: 'used' | 'lapsed' | 'none' };

/** A product card's live flash sale: its price, the variant price it was made against, its end. */
export interface LiveFlashPrice {
  saleId: string;
  salePrice: number;
  normalPrice: number;
  endsAt: Date;
}
