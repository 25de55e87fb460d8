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
