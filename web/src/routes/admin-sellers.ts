import { ConflictError, NotFoundError, type SellerApplication } from '@market/core';
import { APPLICATION_STATUSES, SHOP_STATUSES } from '@market/core/browser';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  ApplicationPageSchema,
  ApplicationSchema,
  BusinessDetailsSchema,
  Cursor,
  DecisionInputSchema,
  PageLimit,
  ShopPageSchema,
  ShopSchema,
  ShopStatusInputSchema,
} from './admin-schemas';
import { namesOf, shopView } from './admin-people';

/**
 * Seller onboarding and shop status: the seller sends their business details (`/api/seller/application`),
 * admins review the queue, approve (the shop opens), reject or ask for changes, and suspend or reinstate
 * shops. Every decision is audited and published (`core.staff`).
 */
export function adminSellerRoutes(route: RouteDefiner, { core }: WebDeps) {
  const params = z.object({ id: IdParam });

  async function views(applications: SellerApplication[]) {
    const names = await namesOf(
      core,
      applications.map((a) => a.userId),
    );
    const shops = await Promise.all(applications.map((a) => core.shops.getShop(a.shopId)));
    return applications.map((a, i) => ({
      ...a,
      userName: names.get(a.userId) ?? '',
      shopName: shops[i]?.name ?? '',
      shopStatus: shops[i]?.status ?? 'pending',
    }));
  }

  async function viewOne(application: SellerApplication) {
    return (await views([application]))[0]!;
  }

  route(
    {
      method: 'get',
      path: '/api/seller/application',
      summary: "Your shop's onboarding application and where it stands",
      tags: ['seller'],
      auth: { roles: ['seller'] },
      responses: { 200: { description: 'The application', schema: ApplicationSchema } },
    },
    async (ctx, { user }) => {
      const application = user.shopId ? await core.sellerApplications.ofShop(user.shopId) : null;
      if (!application) throw new NotFoundError('Seller application');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await viewOne(application);
    },
  );

  route(
    {
      method: 'put',
      path: '/api/seller/application',
      summary: 'Send (or edit) your business details for review',
      tags: ['seller'],
      auth: { roles: ['seller'] },
      body: BusinessDetailsSchema,
      responses: { 200: { description: 'Submitted', schema: ApplicationSchema } },
    },
    async (ctx, { body, user }) => {
      if (!user.shopId) throw new ConflictError('Your account has no shop');
      const change = await core.sellerApplications.submit({ userId: user.id, shopId: user.shopId }, body);
      ctx.body = await viewOne(change.after);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/seller-applications',
      summary: 'Seller applications, optionally of one status (the review queue: submitted)',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      query: z
        .object({ status: z.enum(APPLICATION_STATUSES).optional(), limit: PageLimit, cursor: Cursor })
        .strict(),
      responses: { 200: { description: 'A page of applications', schema: ApplicationPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.sellerApplications.page(
        { status: query.status },
        { limit: query.limit, cursor: query.cursor },
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await views(page.items), nextCursor: page.nextCursor };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/seller-applications/:id',
      summary: 'One seller application with its business details and history',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      responses: { 200: { description: 'The application', schema: ApplicationSchema } },
    },
    async (ctx, { params }) => {
      const application = await core.sellerApplications.get(params.id);
      if (!application) throw new NotFoundError('Seller application');
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await viewOne(application);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/seller-applications/:id/decision',
      summary: 'Approve (the shop opens), reject with a reason, or request changes with a note',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: DecisionInputSchema,
      responses: { 200: { description: 'Decided', schema: ApplicationSchema } },
    },
    async (ctx, { params, body, user }) => {
      const result = await core.staff.decideApplication(user, params.id, body.decision, body.note ?? null);
      ctx.body = await viewOne(result.application.after);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/admin/shops',
      summary: 'Shops, optionally of one status',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      query: z
        .object({ status: z.enum(SHOP_STATUSES).optional(), limit: PageLimit, cursor: Cursor })
        .strict(),
      responses: { 200: { description: 'A page of shops', schema: ShopPageSchema } },
    },
    async (ctx, { query }) => {
      const page = await core.shops.pageShops(
        { status: query.status },
        { limit: query.limit, cursor: query.cursor },
      );
      const names = await namesOf(
        core,
        page.items.map((s) => s.ownerId),
      );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        items: page.items.map((s) => shopView(s, names.get(s.ownerId) ?? '')),
        nextCursor: page.nextCursor,
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/shops/:id/status',
      summary:
        'Suspend a shop (its products leave the storefront and search at once) or reinstate it, with a reason',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: ShopStatusInputSchema,
      responses: { 200: { description: 'The shop after', schema: ShopSchema } },
    },
    async (ctx, { params, body, user }) => {
      const change = await core.staff.setShopStatus(user, params.id, body.status, body.reason);
      const names = await namesOf(core, [change.after.ownerId]);
      ctx.body = shopView(change.after, names.get(change.after.ownerId) ?? '');
    },
  );
}
