import type { HttpClient } from './http-client';
import type { Coupon, ManagedCoupon, NewCouponInput } from './wire';

/**
 * Coupon management: a seller sees and creates their shop's coupons (seller-funded), an admin the
 * platform's (and can see every shop's).
 */
export interface CouponAdminApi {
  list(signal?: AbortSignal): Promise<ManagedCoupon[]>;
  create(input: NewCouponInput): Promise<Coupon>;
  setActive(id: string, active: boolean): Promise<Coupon>;
}

export function createCouponAdminApi(http: HttpClient): CouponAdminApi {
  return {
    async list(signal) {
      return (await http.get('/api/coupons', { signal })).items;
    },
    create: (input) => http.send('POST', '/api/coupons', { json: input }),
    setActive: (id, active) =>
      http.send('POST', `/api/coupons/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`),
  };
}
