export const ROLES = ['shopper', 'seller', 'courier', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The languages of the storefront, mails and texts. */
export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** A user as every other module sees it: never the password hash. */
export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  shopId: string | null;
  locale: Locale;
  emailVerified: boolean;
  /** The verified login phone (E.164, e.g. +8613800138000), or null. */
  phone: string | null;
  /** Path of the profile photo, 256 px square (`/64` at the end of it: 64 px), or null. */
  avatarUrl: string | null;
  createdAt: Date;
}

/** The answer to a login attempt; `blocked` only when the password was right. */
export type CredentialCheck = { status: 'ok'; user: User } | { status: 'invalid' } | { status: 'blocked' };

/** A user with their block, if any: what admin tools show and change. */
export interface AccountAccess extends User {
  blocked: { reason: string; by: string | null; at: Date } | null;
}
