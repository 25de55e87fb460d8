export const ROLES = ['shopper', 'seller', 'courier', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A user as every other module sees it: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  shopId: string | null;
  createdAt: Date;
}

/** The answer to a login attempt; `blocked` only when the password was right. */
export type CredentialCheck = { status: 'ok'; user: User } | { status: 'invalid' } | { status: 'blocked' };

/** A user with their block, if any: what admin tools show and change. */
export interface AccountAccess extends User {
  blocked: { reason: string; by: string | null; at: Date } | null;
}
