export { createReviewService, reviewIdOf, type ReviewService } from './service';
export { createRatingReader, type RatingReader } from './ratings';
export {
  RATINGS,
  REVIEW_TITLE_MAX,
  REVIEW_BODY_MAX,
  REPLY_BODY_MAX,
  MODERATION_REASON_MAX,
  type Rating,
  type RatingHistogram,
  type RatingSummary,
  type PublicReview,
  type Review,
  type ReviewInput,
  type ReviewReply,
  type ReviewableProduct,
  type ReviewPage,
} from './types';
