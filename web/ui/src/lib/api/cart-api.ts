import type { Cart } from './wire';
import type { HttpClient } from './http-client';

/** The caller's cart: the account's when logged in, else a guest cart named by a cookie. */
export interface CartApi {
  get(): Promise<Cart>;
  /** Adds units of a SKU; quantities of the same SKU add up. */
  add(sku: string, qty: number): Promise<Cart>;
  setQty(sku: string, qty: number): Promise<Cart>;
  remove(sku: string): Promise<Cart>;
  /** Accepts the current prices of every line after a price-change notice. */
  acknowledgePrices(): Promise<Cart>;
}

export function createCartApi(http: HttpClient): CartApi {
  const line = (sku: string) => `/api/cart/lines/${encodeURIComponent(sku)}` as const;
  return {
    get: () => http.get('/api/cart'),
    add: (sku, qty) => http.send('POST', '/api/cart/lines', { json: { sku, qty } }),
    setQty: (sku, qty) => http.send('PUT', line(sku), { json: { qty } }),
    remove: (sku) => http.send('DELETE', line(sku)),
    acknowledgePrices: () => http.send('POST', '/api/cart/acknowledge'),
  };
}
