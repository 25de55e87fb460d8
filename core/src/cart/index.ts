export { createCartService, type CartService, type CartOwner } from './service';
export type { CartView, CartLine, CartNotice, CartSellerGroup } from './types';
export { MAX_CART_LINES, MAX_LINE_QTY } from './types';
