import {
  createAddressesApi,
  createFavouritesApi,
  type AddressesApi,
  type FavouritesApi,
} from './accounts-api';
import { createAfterSalesApi, type AfterSalesApi } from './aftersales-api';
import { createCartApi, type CartApi } from './cart-api';
import { createCheckoutApi, type CheckoutApi } from './checkout-api';
import { createFlashApi, type FlashApi } from './flash-api';
import { createGroupBuyingApi, type GroupBuyingApi } from './group-buying-api';
import type { HttpClient } from './http-client';
import { createMembershipApi, type MembershipApi } from './membership-api';
import { createOrdersApi, type OrdersApi } from './orders-api';
import { createSandboxPayApi, type SandboxPayApi } from './sandbox-pay-api';

/** The shopper's side of buying: cart, checkout, orders, the sandbox payment page, membership, addresses, favourites. */
export interface CommerceApi {
  cart: CartApi;
  checkout: CheckoutApi;
  orders: OrdersApi;
  sandboxPay: SandboxPayApi;
  membership: MembershipApi;
  addresses: AddressesApi;
  favourites: FavouritesApi;
  /** Returns and refunds: the buyer's, the seller's and support's sides (the server says who may). */
  aftersales: AfterSalesApi;
  /** Flash sales (秒杀): the list and the claim. */
  flash: FlashApi;
  /** Group buying (拼团): offers, groups, and the seller's deals. */
  groups: GroupBuyingApi;
}

export function createCommerceApi(http: HttpClient): CommerceApi {
  return {
    cart: createCartApi(http),
    checkout: createCheckoutApi(http),
    orders: createOrdersApi(http),
    sandboxPay: createSandboxPayApi(http),
    membership: createMembershipApi(http),
    addresses: createAddressesApi(http),
    favourites: createFavouritesApi(http),
    aftersales: createAfterSalesApi(http),
    flash: createFlashApi(http),
    groups: createGroupBuyingApi(http),
  };
}
