export type {
  HotQuery,
  Interaction,
  InteractionType,
  ItemInfo,
  Profile,
  Reason,
  Recommender,
  RecommenderOptions,
  Scored,
} from './types';
export { createRecommender } from './engine';
export { priceBand } from './profiles';
