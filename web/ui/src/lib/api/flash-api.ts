import type { HttpClient } from './http-client';
import type { FlashClaimAnswer, FlashSaleInput, ManagedFlashSale, PublicFlashSaleList } from './wire';

/** The shopper's side of flash sales (秒杀): the live and upcoming sales, and pressing "buy now". */
export interface FlashApi {
  /** Upcoming and live sales with the units still to win, and the server's clock for countdowns. */
  list(signal?: AbortSignal): Promise<PublicFlashSaleList>;
  /** The same for one product's sales (its product page). */
  ofProduct(productId: string, signal?: AbortSignal): Promise<PublicFlashSaleList>;
  /** Tries to win one unit: `won` carries the claim token the checkout takes. */
  claim(saleId: string): Promise<FlashClaimAnswer>;
}

/** The seller's side (an admin's: every shop's sales): schedule a sale, see them all, end one early. */
export interface FlashManagementApi {
  list(signal?: AbortSignal): Promise<ManagedFlashSale[]>;
  create(input: FlashSaleInput): Promise<ManagedFlashSale>;
  /** Ends the sale now; its unsold units go back to normal stock. */
  cancel(saleId: string): Promise<ManagedFlashSale>;
}

export function createFlashApi(http: HttpClient): FlashApi {
  return {
    list: (signal) => http.get('/api/flash-sales', { signal }),
    ofProduct: (productId, signal) => http.get('/api/flash-sales', { query: { product: productId }, signal }),
    claim: (saleId) =>
      http.send('POST', `/api/flash-sales/${encodeURIComponent(saleId)}/claim`, { json: {} }),
  };
}

export function createFlashManagementApi(http: HttpClient): FlashManagementApi {
  return {
    async list(signal) {
      return (await http.get('/api/seller/flash-sales', { signal })).items;
    },
    create: (input) => http.send('POST', '/api/seller/flash-sales', { json: input }),
    cancel: (saleId) => http.send('POST', `/api/seller/flash-sales/${encodeURIComponent(saleId)}/cancel`),
  };
}
