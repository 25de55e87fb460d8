export { createListingService, placeholderImageUrl, toCard, type ListingService } from './listings';
export { createProductViews, type ProductViews } from './views';
export {
  LISTING_SORTS,
  type ListingSort,
  type ListingQuery,
  type ProductCard,
  type ProductDetail,
} from './types';
export type { ListingDoc } from './model';
export { HIDDEN_REASONS, hiddenReason, type HiddenReason } from './visibility';
