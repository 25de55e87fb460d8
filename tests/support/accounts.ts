import { randomBytes } from 'node:crypto';
import type { Role } from '@market/core';
import type { TestApp } from './app';
import { ApiClient } from './client';

/**
 * Accounts for tests, each returned as a signed-in `ApiClient` that also knows its user, email and
 * password (for a second session or the browser's login page). Shoppers and sellers register over the
 * API as people do; staff (admin, support, courier) have no sign-up, so they are created in the database
 * and log in over the API.
 */

export const TEST_PASSWORD = 'long enough password';

export type SignedIn = ApiClient & {
  user: { id: string; email: string };
  email: string;
  password: string;
};

let counter = 0;
/** A name no other test (or earlier run against the same database) has used. */
export const uniqueName = (tag: string) =>
  `${tag}-${Date.now().toString(36)}-${(counter++).toString(36)}-${randomBytes(2).toString('hex')}`;

/** A display name as the local part of an email address ("Stock Seller" → "stock-seller"). */
const emailSafe = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-');

export interface RegisterOptions {
  /** The account's display name (and the start of its email); unique by default. */
  name?: string;
  email?: string;
  password?: string;
  /** A seller's shop; `<name> shop` by default. */
  shopName?: string;
}

/** Registers over the API (`POST /api/auth/register`) and keeps the session it starts. */
export async function registerUser(
  baseUrl: string,
  role: 'shopper' | 'seller' = 'shopper',
  opts: RegisterOptions = {},
): Promise<SignedIn> {
  const client = new ApiClient(baseUrl);
  const name = opts.name ?? uniqueName(role);
  const email = opts.email ?? `${opts.name ? uniqueName(emailSafe(opts.name)) : name}@example.com`;
  const password = opts.password ?? TEST_PASSWORD;
  const res = await client.post('/api/auth/register', {
    email,
    password,
    name,
    role,
    ...(role === 'seller' && { shopName: opts.shopName ?? `${name} shop` }),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.csrfToken = res.body.csrfToken;
  return Object.assign(client, { user: res.body.user as { id: string; email: string }, email, password });
}

export const registerSeller = (baseUrl: string, opts: RegisterOptions = {}) =>
  registerUser(baseUrl, 'seller', opts);

type StaffRole = Extract<Role, 'admin' | 'support' | 'courier'>;

/** A staff account created in the database (staff cannot sign up), e.g. to log in on the browser's login page. */
export async function createStaff(
  app: Pick<TestApp, 'core'>,
  role: StaffRole,
  opts: { name?: string; password?: string } = {},
): Promise<{ user: { id: string; email: string }; email: string; password: string }> {
  const email = `${role}-${randomBytes(5).toString('hex')}@example.test`;
  const password = opts.password ?? TEST_PASSWORD;
  const user = await app.core.users.createUser({ email, name: opts.name ?? role, password, roles: [role] });
  return { user, email, password };
}

/** A staff account created in the database and logged in over the API. */
export async function staffAccount(
  app: Pick<TestApp, 'core' | 'url'>,
  role: StaffRole,
  opts: { name?: string; password?: string } = {},
): Promise<SignedIn> {
  const staff = await createStaff(app, role, opts);
  const client = new ApiClient(app.url);
  await client.login(staff.email, staff.password);
  return Object.assign(client, staff);
}
