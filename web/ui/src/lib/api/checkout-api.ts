import type { CheckoutInput, CheckoutQuote, CheckoutResult, CheckoutState, PickupPoint } from './wire';
import type { HttpClient } from './http-client';

/**
 * A line a checkout refused: the `lines` of a 409 `cart_changed` / `insufficient_stock` error. Error
 * details have no schema of their own (one error shape for every route), so this is the app's reading.
 */
export interface CheckoutProblemLine {
  sku: string;
  code?: string;
  message?: string;
  requested?: number;
  available?: number;
}

export interface CheckoutApi {
  pickupPoints(): Promise<PickupPoint[]>;
  /** Totals per shop for these choices; nothing is reserved. */
  quote(input: CheckoutInput, signal?: AbortSignal): Promise<CheckoutQuote>;
  /**
   * Places the orders. `idempotencyKey` names one attempt: a retry after a network error must reuse it, so
   * the server answers with the first attempt's result instead of ordering twice.
   */
  place(input: CheckoutInput, idempotencyKey: string): Promise<CheckoutResult>;
  get(checkoutId: string): Promise<CheckoutState>;
  /** A new payment page after a failed or abandoned payment. */
  retryPayment(checkoutId: string): Promise<{ paymentId: string; redirectUrl: string }>;
}

export function createCheckoutApi(http: HttpClient): CheckoutApi {
  const checkout = (id: string) => `/api/checkouts/${encodeURIComponent(id)}` as const;
  return {
    async pickupPoints() {
      const { items } = await http.get('/api/pickup-points');
      return items;
    },
    quote: (input, signal) => http.send('POST', '/api/checkout/quote', { json: input, signal }),
    place: (input, idempotencyKey) =>
      http.send('POST', '/api/checkout', { json: input, headers: { 'idempotency-key': idempotencyKey } }),
    get: (checkoutId) => http.get(checkout(checkoutId)),
    retryPayment: (checkoutId) => http.send('POST', `${checkout(checkoutId)}/retry-payment`),
  };
}
