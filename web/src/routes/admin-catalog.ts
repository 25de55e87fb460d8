import type { Product } from '@market/core';
import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import { ReinstateInputSchema, TakedownInputSchema, TakedownSchema } from './admin-schemas';

const takedownView = (p: Product) => ({
  productId: p.id,
  takenDown: !!p.takedown,
  reason: p.takedown?.reason ?? null,
  version: p.version,
});

/**
 * Takedowns: an admin takes a product off sale with a reason (it leaves the storefront and search at
 * once; the seller sees the reason and cannot put it back) or reinstates it. Audited and published
 * (`product.taken_down`) through `core.staff`. Admins find products with the storefront's search and
 * open them by id (`GET /api/products/:id` shows staff a hidden product too).
 */
export function adminCatalogRoutes(route: RouteDefiner, { core }: WebDeps) {
  const params = z.object({ id: IdParam });

  route(
    {
      method: 'post',
      path: '/api/admin/products/:id/takedown',
      summary: 'Take a product off sale with a reason (the seller is told and cannot undo it)',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: TakedownInputSchema,
      responses: { 200: { description: 'Taken down', schema: TakedownSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = takedownView((await core.staff.takeDownProduct(user, params.id, body.reason)).after);
    },
  );

  route(
    {
      method: 'post',
      path: '/api/admin/products/:id/reinstate',
      summary: 'Put a taken-down product back on sale',
      tags: ['admin'],
      auth: { roles: ['admin'] },
      params,
      body: ReinstateInputSchema,
      responses: { 200: { description: 'Back on sale', schema: TakedownSchema } },
    },
    async (ctx, { params, body, user }) => {
      ctx.body = takedownView(
        (await core.staff.reinstateProduct(user, params.id, body.reason ?? null)).after,
      );
    },
  );
}
