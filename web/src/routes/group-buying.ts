import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  GroupDealInputSchema,
  GroupDealSchema,
  GroupPageSchema,
  ManagedGroupDealListSchema,
  ProductGroupDealsSchema,
} from './group-buying-schemas';

const Params = z.object({ id: IdParam });

/**
 * Group buying (拼团): sellers' deals, a product's offer with the groups open to join, and a group's page.
 * Starting or joining a group is a checkout (`POST /api/checkout` with `groupBuy`), so it pays like any
 * other order.
 */
export function groupBuyingRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/seller/group-deals',
      summary: 'Group deals you made (all of them for admins), newest first, with their groups still filling',
      tags: ['group-buying'],
      auth: { roles: ['seller'] },
      responses: { 200: { description: 'Group deals', schema: ManagedGroupDealListSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.groupBuying.listManaged(actorOf(user)) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/group-deals',
      summary: 'Offer a group price on one of your SKUs for groups of N buyers within a time limit',
      tags: ['group-buying'],
      auth: { roles: ['seller'] },
      body: GroupDealInputSchema,
      responses: { 201: { description: 'Created', schema: GroupDealSchema } },
    },
    async (ctx, { body, user }) => {
      ctx.status = 201;
      ctx.body = await core.groupBuying.createDeal(actorOf(user), body);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/group-deals/:id/end',
      summary: 'End a group deal: no new groups (groups already filling keep their deadline)',
      tags: ['group-buying'],
      auth: { roles: ['seller'] },
      params: Params,
      responses: { 200: { description: 'The ended deal', schema: GroupDealSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.body = await core.groupBuying.endDeal(actorOf(user), params.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/products/:id/group-deals',
      summary: "A product's live group deals, each with the groups still taking members, and the server time",
      tags: ['group-buying'],
      auth: 'public',
      params: Params,
      responses: { 200: { description: 'Group deals', schema: ProductGroupDealsSchema } },
    },
    async (ctx, { params }) => {
      ctx.set('Cache-Control', 'no-store');
      const items = await core.groupBuying.forProduct(params.id);
      ctx.body = { serverNow: core.clock().toISOString(), items };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/groups/:id',
      summary: "A group's page: its members (initials), seats left, deadline and the server time",
      tags: ['group-buying'],
      auth: 'public',
      params: Params,
      responses: { 200: { description: 'The group', schema: GroupPageSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.set('Cache-Control', 'no-store');
      const group = await core.groupBuying.getGroup(params.id);
      // The product as the storefront shows it (its photo or placeholder); a product taken down since
      // still leaves the group's page readable.
      const product = await core.productViews.productDetail(group.productId).catch(() => null);
      ctx.body = {
        serverNow: core.clock().toISOString(),
        group,
        product: {
          id: group.productId,
          name: product?.name ?? group.sku,
          nameZh: product?.nameZh ?? '',
          image: product?.imageUrls[0] ?? null,
        },
        member: user ? await core.groupBuying.isMember(group.id, user.id) : null,
      };
    },
  );
}
