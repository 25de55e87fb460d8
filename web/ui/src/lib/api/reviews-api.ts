import type { HttpClient } from './http-client';
import type { Review, ReviewInput, ReviewPage, ReviewableProduct } from './wire';

export const REVIEW_PAGE_SIZE = 10;

export interface ReviewsApi {
  list(productId: string, cursor?: string | null, limit?: number): Promise<ReviewPage>;
  create(productId: string, input: ReviewInput): Promise<Review>;
  reply(reviewId: string, body: string): Promise<Review>;
  hide(reviewId: string, reason: string): Promise<Review>;
  unhide(reviewId: string): Promise<Review>;
  /** Products the shopper can review, all of them or those of one order. */
  reviewable(orderId?: string): Promise<ReviewableProduct[]>;
}

export function createReviewsApi(http: HttpClient): ReviewsApi {
  const review = (id: string) => `/api/reviews/${encodeURIComponent(id)}` as const;
  return {
    list: (productId, cursor, limit = REVIEW_PAGE_SIZE) =>
      http.get(`/api/products/${encodeURIComponent(productId)}/reviews`, {
        query: { limit, cursor: cursor ?? undefined },
      }),
    create: (productId, input) =>
      http.send('POST', `/api/products/${encodeURIComponent(productId)}/reviews`, { json: input }),
    reply: (id, body) => http.send('PUT', `${review(id)}/reply`, { json: { body } }),
    hide: (id, reason) => http.send('POST', `${review(id)}/hide`, { json: { reason } }),
    unhide: (id) => http.send('POST', `${review(id)}/unhide`),
    async reviewable(orderId) {
      const { items } = await http.get('/api/me/reviewable', {
        query: { orderId },
      });
      return items;
    },
  };
}
