import type { AvailableCoupon, MemberPoints, MembershipTier } from './wire';
import type { HttpClient } from './http-client';

/** The shopper's membership points and the coupons they can use. */
export interface MembershipApi {
  points(): Promise<MemberPoints>;
  tiers(): Promise<MembershipTier[]>;
  coupons(): Promise<AvailableCoupon[]>;
}

export function createMembershipApi(http: HttpClient): MembershipApi {
  return {
    points: () => http.get('/api/me/points'),
    tiers: async () => (await http.get('/api/membership/tiers')).items,
    coupons: async () => (await http.get('/api/me/coupons')).items,
  };
}
