import type { HttpClient } from './http-client';
import type { FlashClaimAnswer, PublicFlashSaleList } from './wire';

/** The shopper's side of flash sales (秒杀): the live and upcoming sales, and pressing "buy now". */
export interface FlashApi {
  /** Upcoming and live sales with the units still to win, and the server's clock for countdowns. */
  list(signal?: AbortSignal): Promise<PublicFlashSaleList>;
  /** Tries to win one unit: `won` carries the claim token the checkout takes. */
  claim(saleId: string): Promise<FlashClaimAnswer>;
}

export function createFlashApi(http: HttpClient): FlashApi {
  return {
    list: (signal) => http.get('/api/flash-sales', { signal }),
    claim: (saleId) =>
      http.send('POST', `/api/flash-sales/${encodeURIComponent(saleId)}/claim`, { json: {} }),
  };
}
