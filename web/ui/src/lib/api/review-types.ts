/** Shapes of the reviews API as the browser sees them; they mirror `web/src/schemas-reviews.ts`. */

export type Stars = 1 | 2 | 3 | 4 | 5;

export interface RatingSummary {
  /** One decimal; 0 when there are no reviews. */
  average: number;
  count: number;
  histogram: Record<'1' | '2' | '3' | '4' | '5', number>;
}

export interface Review {
  id: string;
  productId: string;
  rating: Stars;
  title: string;
  body: string;
  authorName: string;
  variantTitle: string;
  reply: { body: string; createdAt: string; updatedAt: string } | null;
  /** Only ever true for its author and for support; others never see hidden reviews. */
  hidden: boolean;
  hiddenReason: string | null;
  mine: boolean;
  createdAt: string;
}

export interface ReviewPage {
  summary: RatingSummary;
  items: Review[];
  nextCursor: string | null;
}

export interface ReviewInput {
  orderId: string;
  rating: number;
  title: string;
  body: string;
}

/** A product the shopper received and has not reviewed yet. */
export interface ReviewableProduct {
  orderId: string;
  orderNumber: string;
  productId: string;
  sku: string;
  name: string;
  nameZh: string;
  variantTitle: string;
  image: string | null;
  deliveredAt: string;
}
