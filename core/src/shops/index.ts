export { createShopService, slugify, type ShopService } from './service';
export type { Shop } from './types';
