import type { MemberPoints, MembershipTier, MyCoupon } from './commerce-types';
import type { HttpClient } from './http-client';

/** The shopper's membership points and the coupons they can use. */
export interface MembershipApi {
  points(): Promise<MemberPoints>;
  tiers(): Promise<MembershipTier[]>;
  coupons(): Promise<MyCoupon[]>;
}

/** Lists come as `{ items }`; a bare array is accepted too. */
const items = <T>(body: { items: T[] } | T[]): T[] => (Array.isArray(body) ? body : body.items);

export function createMembershipApi(http: HttpClient): MembershipApi {
  return {
    points: () => http.get('/api/me/points'),
    tiers: async () =>
      items(await http.get<{ items: MembershipTier[] } | MembershipTier[]>('/api/membership/tiers')),
    coupons: async () => items(await http.get<{ items: MyCoupon[] } | MyCoupon[]>('/api/me/coupons')),
  };
}
