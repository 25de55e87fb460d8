import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf, hasRole } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  AutoPromotionInputSchema,
  AutoPromotionSchema,
  ManagedAutoPromotionListSchema,
} from './auto-promotions-schemas';

/** Automatic promotions (no code): a seller's for their own shop, an admin's platform-funded. */
export function autoPromotionRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/promotions',
      summary: 'Automatic promotions you manage (every one for admins), newest first',
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      responses: { 200: { description: 'Promotions', schema: ManagedAutoPromotionListSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.autoPromotions.list(actorOf(user)) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/promotions',
      summary:
        "Create an automatic promotion: a seller's covers their own shop (seller-funded), an admin's is platform-funded (platform-wide or one shop)",
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      body: AutoPromotionInputSchema,
      responses: { 201: { description: 'Created', schema: AutoPromotionSchema } },
    },
    async (ctx, { body, user }) => {
      const promotion = await core.autoPromotions.create(actorOf(user), body);
      // Platform money: a staff action, audited like a platform coupon.
      if (hasRole(user, ['admin']))
        await core.audit.record({
          actor: user,
          action: 'promotion.created',
          target: { type: 'promotion', id: promotion.id },
          after: promotion,
        });
      ctx.status = 201;
      ctx.body = promotion;
    },
  );

  route(
    {
      method: 'post',
      path: '/api/promotions/:id/end',
      summary: 'End a promotion now: it prices nothing from here on (orders placed keep what they got)',
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      params: z.object({ id: IdParam }),
      responses: { 200: { description: 'The promotion', schema: AutoPromotionSchema } },
    },
    async (ctx, { params, user }) => {
      const promotion = await core.autoPromotions.end(actorOf(user), params.id);
      if (hasRole(user, ['admin']))
        await core.audit.record({
          actor: user,
          action: 'promotion.ended',
          target: { type: 'promotion', id: promotion.id },
          before: { active: true },
          after: { active: false },
        });
      ctx.body = promotion;
    },
  );
}
