import type { AvailableCoupon, InviteSummary, MemberPoints, MembershipTier } from './wire';
import type { HttpClient } from './http-client';

/** The shopper's membership points, the coupons they can use, and their invites. */
export interface MembershipApi {
  points(): Promise<MemberPoints>;
  tiers(): Promise<MembershipTier[]>;
  coupons(): Promise<AvailableCoupon[]>;
  /** Their invite code and who joined with it (`/account/invites`). */
  invites(signal?: AbortSignal): Promise<InviteSummary>;
}

export function createMembershipApi(http: HttpClient): MembershipApi {
  return {
    points: () => http.get('/api/me/points'),
    tiers: async () => (await http.get('/api/membership/tiers')).items,
    coupons: async () => (await http.get('/api/me/coupons')).items,
    invites: (signal) => http.get('/api/me/invites', { signal }),
  };
}
