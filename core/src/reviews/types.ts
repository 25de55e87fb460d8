export const RATINGS = [1, 2, 3, 4, 5] as const;
export type Rating = (typeof RATINGS)[number];

export const REVIEW_TITLE_MAX = 120;
export const REVIEW_BODY_MAX = 2000;
export const REPLY_BODY_MAX = 1000;
export const MODERATION_REASON_MAX = 500;

/** How many reviews of each star rating, keyed by the rating ('1' … '5'). */
export type RatingHistogram = Record<`${Rating}`, number>;

/** A product's visible reviews in numbers. `average` is rounded to one decimal, 0 when there are none. */
export interface RatingSummary {
  average: number;
  count: number;
  histogram: RatingHistogram;
}

export interface ReviewReply {
  body: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A review as shown on a product page (no ids of its author or order). */
export interface PublicReview {
  id: string;
  productId: string;
  rating: Rating;
  title: string;
  body: string;
  authorName: string;
  variantTitle: string;
  reply: ReviewReply | null;
  /** Only ever true for its author and for support: hidden reviews are left out of public lists. */
  hidden: boolean;
  hiddenReason: string | null;
  /** The caller wrote it. */
  mine: boolean;
  createdAt: Date;
}

/** A review with everything support needs to moderate it. */
export interface Review extends PublicReview {
  buyerId: string;
  orderId: string;
  sellerId: string;
  sku: string;
  productName: string;
  productNameZh: string;
  hiddenAt: Date | null;
  hiddenBy: string | null;
}

export interface ReviewInput {
  orderId: string;
  rating: number;
  title: string;
  body?: string;
}

/** A product the buyer received and has not reviewed yet. */
export interface ReviewableProduct {
  orderId: string;
  orderNumber: string;
  productId: string;
  sku: string;
  name: string;
  nameZh: string;
  variantTitle: string;
  image: string | null;
  deliveredAt: Date;
}

export interface ReviewPage<T> {
  items: T[];
  nextCursor: string | null;
}
