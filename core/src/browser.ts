/**
 * What the browser (the Svelte app in web/ui) may take from core: plain data and types, nothing that
 * reaches Node (mongoose, pino, `node:*`). `tests/boundaries.test.ts` walks the import graph below
 * this file and fails on anything else; ESLint keeps web/ui on this entry.
 */
export { DELIVERY_AREA, type DeliveryArea, type District, type LatLng, type Road } from './logistics/area';
export type { CartLine, CartNotice, CartNoticeCode, CartSellerGroup, CartView } from './cart/types';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PASSWORD_MIN_SCORE } from './users/password-rules';
export { FAVOURITE_KINDS, type FavouriteKind } from './favourites/types';
export { ADDRESS_BOOK_LIMIT } from './addresses/types';
