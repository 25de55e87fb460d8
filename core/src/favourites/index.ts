export { createFavouriteService, type FavouriteService } from './service';
export {
  createFavouriteFanout,
  FAVOURITE_PRICE_DROP_JOB,
  FAVOURITE_RESTOCK_JOB,
  type FavouriteFanout,
} from './fanout';
export {
  FANOUT_BATCH,
  FAVOURITE_KINDS,
  type Favourite,
  type FavouriteAlert,
  type FavouriteKind,
} from './types';
