export { createShopService, slugify, type ShopService, type ShopStatusChange } from './service';
export { SHOP_STATUSES, isShopOpen, type Shop, type ShopStatus } from './types';
