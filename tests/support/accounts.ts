import { randomBytes } from 'node:crypto';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  type CoreServices,
  type Role,
} from '@market/core';
import type { Database } from '@market/core/db';
import { ApiClient } from './client';

/**
 * Accounts for tests, each returned as a signed-in `ApiClient` that also knows its user, email and
 * password (for a second session or the browser's login page). Shoppers and sellers register over the
 * API as people do; staff (admin, support, courier) have no sign-up, so they are created in the database
 * and log in over the API.
 *
 * A registered seller's shop is `pending` until an admin approves its application, and a pending shop's
 * products are not for sale. So `registerUser(app, 'seller')` does what a new seller and the back office
 * do: the seller sends business details, an admin approves them over the admin API. `{ pending: true }`
 * leaves the shop pending.
 */

/** Where to register: an app with its core (an admin can be made there), or a URL for shoppers only. */
export type AppTarget = string | { url: string; core: ApprovalCore };
type ApprovalCore = Pick<CoreServices, 'users'> & Partial<Pick<CoreServices, 'categories'>>;

/** Business details that pass every check (the credit code's check character included). */
export const VALID_BUSINESS_DETAILS = {
  kind: 'company' as const,
  legalName: '上海测试贸易有限公司',
  licenceNumber: '91440300708461136T',
  contactPhone: '13812345678',
  address: '上海市黄浦区南京东路 100 号',
};

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
  /** A seller whose application is left as registration made it (a draft; the shop pending). */
  pending?: boolean;
}

/** Registers over the API (`POST /api/auth/register`) and keeps the session it starts. */
export async function registerUser(
  target: AppTarget,
  role: 'shopper' | 'seller' = 'shopper',
  opts: RegisterOptions = {},
): Promise<SignedIn> {
  const baseUrl = typeof target === 'string' ? target : target.url;
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
  const signedIn = Object.assign(client, {
    user: res.body.user as { id: string; email: string },
    email,
    password,
  });
  if (role === 'seller' && !opts.pending) {
    if (typeof target === 'string')
      throw new Error(
        'registerUser: pass the app (url and core) so an admin can approve the seller, or { pending: true }',
      );
    await approveSeller(target, signedIn);
  }
  return signedIn;
}

export const registerSeller = (target: AppTarget, opts: RegisterOptions = {}) =>
  registerUser(target, 'seller', opts);

/**
 * A category for business details: the tree's first, or a "Misc" one made through the app's core when the
 * test's marketplace has none yet (an empty catalog).
 */
async function someCategoryId(client: ApiClient, core: ApprovalCore): Promise<string> {
  const first = (await client.get('/api/categories')).body.items[0];
  if (first) return first.id;
  if (!core.categories) throw new Error('approveSeller: the marketplace has no categories yet');
  await core.categories
    .create({ id: 'cat_misc', slug: 'misc', name: 'Misc', nameZh: '杂货', parentId: null })
    .catch(async (err: unknown) => {
      if (!(await core.categories!.get('cat_misc'))) throw err;
    });
  return 'cat_misc';
}

const admins = new WeakMap<object, Promise<SignedIn>>();

/** One admin per app (or core), made on first use. */
export function adminOf(app: { url: string; core: Pick<CoreServices, 'users'> }): Promise<SignedIn> {
  let admin = admins.get(app.core);
  if (!admin) {
    admin = staffAccount(app, 'admin', { name: 'Test Admin' });
    admins.set(app.core, admin);
  }
  return admin;
}

/** The seller sends valid business details and an admin approves them: the shop opens. */
export async function approveSeller(
  app: { url: string; core: ApprovalCore },
  seller: ApiClient,
): Promise<void> {
  const sent = await seller.put('/api/seller/application', {
    ...VALID_BUSINESS_DETAILS,
    categoryIds: [await someCategoryId(seller, app.core)],
  });
  if (sent.status !== 200) throw new Error(`application failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  const admin = await adminOf(app);
  admin.baseUrl = app.url;
  const decide = () =>
    admin.post(`/api/admin/seller-applications/${sent.body.id}/decision`, { decision: 'approved' });
  let decided = await decide();
  if (decided.status === 401) {
    // The one admin outlived its session: the test moved its clock past the session lifetime.
    await admin.login(admin.email, admin.password);
    decided = await decide();
  }
  if (decided.status !== 200)
    throw new Error(`approval failed: ${decided.status} ${JSON.stringify(decided.body)}`);
}

/**
 * The core services on a database a spawned app process uses, so a test can make staff accounts there
 * (e.g. the admin who approves sellers): `registerUser({ url, core: coreOn(db) }, 'seller')`.
 */
export function coreOn(db: Pick<Database, 'connection'>): CoreServices {
  const log = createLogger('warn');
  return createCoreServices({
    config: loadConfig({ NODE_ENV: 'test' }),
    connection: db.connection,
    bus: createInProcessEventBus(log),
    log,
  });
}

type StaffRole = Extract<Role, 'admin' | 'support' | 'courier'>;

/** A staff account created in the database (staff cannot sign up), e.g. to log in on the browser's login page. */
export async function createStaff(
  app: { core: Pick<CoreServices, 'users'> },
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
  app: { core: Pick<CoreServices, 'users'>; url: string },
  role: StaffRole,
  opts: { name?: string; password?: string } = {},
): Promise<SignedIn> {
  const staff = await createStaff(app, role, opts);
  const client = new ApiClient(app.url);
  await client.login(staff.email, staff.password);
  return Object.assign(client, staff);
}
