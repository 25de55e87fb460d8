import { ConflictError } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  ClaimAnswerSchema,
  ClaimInputSchema,
  FlashSaleInputSchema,
  FlashSaleListSchema,
  FlashSaleSchema,
  PublicFlashSaleListSchema,
} from './flash-sales-schemas';

const SaleParams = z.object({ id: IdParam });
const PublicListQuery = z.object({ product: IdParam.optional().describe('only the sales of this product') });

export function flashSaleRoutes(route: RouteDefiner, { core, requestLimits }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/seller/flash-sales',
      summary: 'Flash sales you made (all of them for admins), newest first',
      tags: ['flash-sales'],
      auth: { roles: ['seller'] },
      responses: { 200: { description: 'Flash sales', schema: FlashSaleListSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.flashSales.listManaged(actorOf(user)) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/flash-sales',
      summary: 'Put units of one of your SKUs on a flash sale (they leave normal stock until it ends)',
      tags: ['flash-sales'],
      auth: { roles: ['seller'] },
      body: FlashSaleInputSchema,
      responses: { 201: { description: 'Created', schema: FlashSaleSchema } },
    },
    async (ctx, { body, user }) => {
      ctx.status = 201;
      ctx.body = await core.flashSales.create(actorOf(user), body);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/seller/flash-sales/:id/cancel',
      summary: 'End a flash sale now; its unsold units go back to normal stock',
      tags: ['flash-sales'],
      auth: { roles: ['seller'] },
      params: SaleParams,
      responses: { 200: { description: 'The closed sale', schema: FlashSaleSchema } },
    },
    async (ctx, { params, user }) => {
      ctx.body = await core.flashSales.cancel(actorOf(user), params.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/flash-sales',
      summary:
        'Upcoming and live flash sales (of one product with ?product=) with the units still to win and the server time',
      tags: ['flash-sales'],
      auth: 'public',
      query: PublicListQuery,
      responses: { 200: { description: 'Flash sales', schema: PublicFlashSaleListSchema } },
    },
    async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      const items = await core.flashSales.listPublic(query.product);
      ctx.body = { serverNow: core.clock().toISOString(), items };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/flash-sales/:id/claim',
      summary:
        'Try to win a flash-sale unit: won (with a claim token to check out with), already claimed, queued or sold out',
      tags: ['flash-sales'],
      auth: 'session',
      params: SaleParams,
      body: ClaimInputSchema,
      responses: { 200: { description: 'The admission answer', schema: ClaimAnswerSchema } },
    },
    async (ctx, { params, body, user }) => {
      await requestLimits.take('flashClaim', ctx);
      const answer = await core.flashSales.claim(user.id, params.id, body.qty ?? 1);
      ctx.set('Cache-Control', 'no-store');
      if (answer.status === 'not_started' || answer.status === 'ended')
        throw new ConflictError(
          answer.status === 'ended' ? 'This flash sale has ended' : 'This flash sale has not started yet',
        );
      ctx.body = { ...answer, serverNow: core.clock().toISOString() };
    },
  );
}
