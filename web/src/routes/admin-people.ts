import { maskEmail, NotFoundError, type AccountAccess, type Shop, type User } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  AccountPageSchema,
  PersonRowPageSchema,
  PersonSchema,
  RolesInputSchema,
  UserSearchQuery,
} from './admin-schemas';
import { AccountAccessSchema } from './admin-users-schemas';

export function accountView(access: AccountAccess): z.input<typeof AccountAccessSchema> {
  return {
    id: access.id,
    email: access.email,
    name: access.name,
    roles: access.roles,
    shopId: access.shopId,
    phone: access.phone,
    emailVerified: access.emailVerified,
    avatarUrl: access.avatarUrl,
    blocked: access.blocked && { ...access.blocked, at: access.blocked.at.toISOString() },
  };
}

export function shopView(shop: Shop, ownerName: string) {
  return {
    id: shop.id,
    ownerId: shop.ownerId,
    ownerName,
    name: shop.name,
    nameZh: shop.nameZh,
    slug: shop.slug,
    status: shop.status,
    statusReason: shop.statusReason,
    statusChangedAt: shop.statusChangedAt,
    statusChangedBy: shop.statusChangedBy,
    ownerBlocked: shop.ownerBlocked,
    createdAt: shop.createdAt,
  };
}

/**
 * People in the back office: search (admins see contact details; support a masked lookup under
 * /api/support), a person's page, their roles.
 */
export function adminPeopleRoutes(route: RouteDefiner, { core }: WebDeps) {
  const params = z.object({ id: IdParam });

  route(
    {
      method: 'get',
      path: '/api/admin/users',
      summary: 'Find accounts by a prefix of their email, phone, name (or a later word of it) or id',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      query: UserSearchQuery,
      responses: { 200: { description: 'A page of accounts', schema: AccountPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.userDirectory.search(
        query.q,
        { role: query.role, blocked: query.blocked },
        { limit: query.limit, cursor: query.cursor },
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: page.items.map(accountView), nextCursor: page.nextCursor };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/people',
      summary: 'Support lookup of people by email, phone, name or id prefix (contact details masked)',
      tags: ['support'],
      auth: { roles: ['support'] },
      query: UserSearchQuery,
      responses: { 200: { description: 'A page of people', schema: PersonRowPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.userDirectory.search(
        query.q,
        { role: query.role, blocked: query.blocked },
        { limit: query.limit, cursor: query.cursor },
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        items: page.items.map((a) => ({
          id: a.id,
          name: a.name,
          maskedEmail: maskEmail(a.email),
          roles: a.roles,
          blocked: !!a.blocked,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/users/:id/overview',
      summary: "A person's page: account, shop, sessions, latest orders, points, coupons, after-sales",
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      responses: { 200: { description: 'The person', schema: PersonSchema } },
    },
    async (ctx, { params }) => {
      const access = await core.users.getAccess(params.id);
      if (!access) throw new NotFoundError('User');
      const [shop, active, orders, points, coupons] = await Promise.all([
        access.shopId ? core.shops.getShop(access.shopId) : null,
        core.auth.countActiveSessions(access.id),
        core.orders.listForBuyer(access.id, { limit: 10 }),
        core.membership.account(access.id),
        core.promotions.availableFor(access.id),
      ]);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        account: accountView(access),
        createdAt: access.createdAt,
        shop: shop ? shopView(shop, access.name) : null,
        sessions: { active },
        orders,
        points,
        coupons: coupons.map((c) => ({ id: c.id, code: c.code, remainingForYou: c.remainingForYou })),
        afterSales: null,
      };
    },
  );

  route(
    {
      method: 'put',
      path: '/api/admin/users/:id/roles',
      summary:
        "Set an account's roles (shopper always stays; not your own admin role). Removing a role ends their sessions",
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: RolesInputSchema,
      responses: { 200: { description: 'The account after', schema: AccountAccessSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = accountView(await core.staff.changeRoles(user, params.id, body.roles, body.reason ?? null));
    },
  );
}

/** The names of accounts by id, for lists that would otherwise show raw ids. */
export async function namesOf(core: WebDeps['core'], ids: readonly string[]): Promise<Map<string, string>> {
  const accounts = await core.users.accessOf(ids);
  return new Map([...accounts].map(([id, a]) => [id, a.name]));
}

export type Staff = Pick<User, 'id' | 'roles'>;
