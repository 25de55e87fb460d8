import type { HttpClient } from './http-client';
import type {
  AccountAccess,
  AccountPage,
  AdminShop,
  AdminShopPage,
  ApplicationDecisionInput,
  AuditPage,
  BusinessDetailsInput,
  FlaggedReferral,
  InviteReferral,
  ReferralDecisionInput,
  Person,
  PersonRowPage,
  Role,
  SellerApplication,
  SellerApplicationPage,
  Takedown,
} from './wire';

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export interface AuditQuery extends PageQuery {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

/** The back office (admins) and support's people lookup; the seller's own application. */
export interface AdminApi {
  /** Referrals held for sharing an address, phone or payment with the inviter (support and admins). */
  flaggedReferrals(signal?: AbortSignal): Promise<FlaggedReferral[]>;
  decideReferral(inviteeId: string, input: ReferralDecisionInput): Promise<InviteReferral>;
  searchUsers(
    q: { q: string; role?: Role; blocked?: boolean } & PageQuery,
    signal?: AbortSignal,
  ): Promise<AccountPage>;
  lookupPeople(q: { q: string } & PageQuery, signal?: AbortSignal): Promise<PersonRowPage>;
  person(id: string, signal?: AbortSignal): Promise<Person>;
  setRoles(id: string, roles: Role[], reason?: string): Promise<AccountAccess>;
  block(id: string, reason: string): Promise<AccountAccess>;
  unblock(id: string, reason?: string): Promise<AccountAccess>;
  applications(
    q: { status?: SellerApplication['status'] } & PageQuery,
    signal?: AbortSignal,
  ): Promise<SellerApplicationPage>;
  application(id: string, signal?: AbortSignal): Promise<SellerApplication>;
  decide(id: string, input: ApplicationDecisionInput): Promise<SellerApplication>;
  shops(q: { status?: AdminShop['status'] } & PageQuery, signal?: AbortSignal): Promise<AdminShopPage>;
  setShopStatus(id: string, status: 'active' | 'suspended', reason: string): Promise<AdminShop>;
  takeDown(productId: string, reason: string): Promise<Takedown>;
  reinstate(productId: string, reason?: string): Promise<Takedown>;
  audit(q: AuditQuery, signal?: AbortSignal): Promise<AuditPage>;
  myApplication(signal?: AbortSignal): Promise<SellerApplication>;
  submitApplication(input: BusinessDetailsInput): Promise<SellerApplication>;
}

const enc = encodeURIComponent;
const paging = (q: PageQuery) => ({ limit: q.limit ?? 20, ...(q.cursor ? { cursor: q.cursor } : {}) });

export function createAdminApi(http: HttpClient): AdminApi {
  return {
    flaggedReferrals: async (signal) => (await http.get('/api/support/referrals', { signal })).items,
    decideReferral: (inviteeId, input) =>
      http.send('POST', `/api/support/referrals/${enc(inviteeId)}/decision`, { json: input }),
    searchUsers: (q, signal) =>
      http.get('/api/admin/users', {
        signal,
        query: {
          q: q.q,
          ...(q.role && { role: q.role }),
          ...(q.blocked !== undefined && { blocked: String(q.blocked) }),
          ...paging(q),
        },
      }),
    lookupPeople: (q, signal) => http.get('/api/support/people', { signal, query: { q: q.q, ...paging(q) } }),
    person: (id, signal) => http.get(`/api/admin/users/${enc(id)}/overview`, { signal }),
    setRoles: (id, roles, reason) =>
      http.send('PUT', `/api/admin/users/${enc(id)}/roles`, { json: { roles, ...(reason && { reason }) } }),
    block: (id, reason) => http.send('POST', `/api/admin/users/${enc(id)}/block`, { json: { reason } }),
    unblock: (id, reason) =>
      http.send('POST', `/api/admin/users/${enc(id)}/unblock`, { json: reason ? { reason } : {} }),
    applications: (q, signal) =>
      http.get('/api/admin/seller-applications', {
        signal,
        query: { ...(q.status && { status: q.status }), ...paging(q) },
      }),
    application: (id, signal) => http.get(`/api/admin/seller-applications/${enc(id)}`, { signal }),
    decide: (id, input) =>
      http.send('POST', `/api/admin/seller-applications/${enc(id)}/decision`, { json: input }),
    shops: (q, signal) =>
      http.get('/api/admin/shops', {
        signal,
        query: { ...(q.status && { status: q.status }), ...paging(q) },
      }),
    setShopStatus: (id, status, reason) =>
      http.send('POST', `/api/admin/shops/${enc(id)}/status`, { json: { status, reason } }),
    takeDown: (productId, reason) =>
      http.send('POST', `/api/admin/products/${enc(productId)}/takedown`, { json: { reason } }),
    reinstate: (productId, reason) =>
      http.send('POST', `/api/admin/products/${enc(productId)}/reinstate`, {
        json: reason ? { reason } : {},
      }),
    audit: (q, signal) => {
      const { limit, cursor, ...filters } = q;
      const query: Record<string, string | number> = { ...paging({ limit, cursor }) };
      for (const [k, v] of Object.entries(filters)) if (v) query[k] = v;
      return http.get('/api/admin/audit', { signal, query });
    },
    myApplication: (signal) => http.get('/api/seller/application', { signal }),
    submitApplication: (input) => http.send('PUT', '/api/seller/application', { json: input }),
  };
}
