import type { HttpClient } from './http-client';
import type { ManagedAutoPromotion, NewAutoPromotionInput } from './wire';

/** Automatic promotions: a seller manages their shop's (seller-funded), an admin the platform's. */
export interface PromotionAdminApi {
  list(signal?: AbortSignal): Promise<ManagedAutoPromotion[]>;
  create(input: NewAutoPromotionInput): Promise<Omit<ManagedAutoPromotion, 'live'>>;
  end(id: string): Promise<Omit<ManagedAutoPromotion, 'live'>>;
}

export function createPromotionAdminApi(http: HttpClient): PromotionAdminApi {
  return {
    async list(signal) {
      return (await http.get('/api/promotions', { signal })).items;
    },
    create: (input) => http.send('POST', '/api/promotions', { json: input }),
    end: (id) => http.send('POST', `/api/promotions/${encodeURIComponent(id)}/end`),
  };
}
