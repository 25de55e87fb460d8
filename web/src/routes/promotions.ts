import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf, hasRole } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  AvailableCouponListSchema,
  CouponAudienceInputSchema,
  CouponInputSchema,
  CouponSchema,
  ManagedCouponListSchema,
} from './promotions-schemas';

const CouponParams = z.object({ id: IdParam });

export function promotionRoutes(route: RouteDefiner, { core }: WebDeps) {
  const recordAudience = (
    actor: { id: string; roles: readonly string[] },
    couponId: string,
    before: unknown,
    after: unknown,
  ) =>
    core.audit.record({
      actor,
      action: 'coupon.audience_changed',
      target: { type: 'coupon', id: couponId },
      before: { audience: before },
      after: { audience: after },
    });

  route(
    {
      method: 'get',
      path: '/api/coupons',
      summary: 'Coupons you manage (all of them for admins), newest first, with redemption counts',
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      responses: {
        200: { description: 'Coupons', schema: ManagedCouponListSchema },
      },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.promotions.listCoupons(actorOf(user)) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/coupons',
      summary:
        "Create a coupon: an admin's applies to the whole order (platform-funded), a seller's to their own items",
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      body: CouponInputSchema,
      responses: { 201: { description: 'Created', schema: CouponSchema } },
    },
    async (ctx, { body, user }) => {
      const coupon = await core.promotions.createCoupon(actorOf(user), body);
      // A platform coupon is a staff action (a seller's own coupon is their business, not the back office's).
      if (hasRole(user, ['admin']))
        await core.audit.record({
          actor: user,
          action: 'coupon.created',
          target: { type: 'coupon', id: coupon.id },
          after: coupon,
        });
      // Aiming a coupon at a segment uses shoppers' purchase histories: recorded for sellers too.
      if (coupon.audience) await recordAudience(user, coupon.id, null, coupon.audience);
      ctx.status = 201;
      ctx.body = coupon;
    },
  );

  for (const [action, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    route(
      {
        method: 'post',
        path: `/api/coupons/:id/${action}`,
        summary: active ? 'Make a coupon usable again' : 'Stop a coupon being used (redemptions made stay)',
        tags: ['promotions'],
        auth: { roles: ['seller'] },
        params: CouponParams,
        responses: { 200: { description: 'The coupon', schema: CouponSchema } },
      },
      async (ctx, { params, user }) => {
        const coupon = await core.promotions.setCouponActive(actorOf(user), params.id, active);
        if (hasRole(user, ['admin']))
          await core.audit.record({
            actor: user,
            action: active ? 'coupon.activated' : 'coupon.deactivated',
            target: { type: 'coupon', id: coupon.id },
            before: { active: !active },
            after: { active: coupon.active },
          });
        ctx.body = coupon;
      },
    );
  }

  route(
    {
      method: 'put',
      path: '/api/coupons/:id/audience',
      summary:
        'Who may use a coupon: one customer segment of its shop (or of the platform), or everyone (null); audited',
      tags: ['promotions'],
      auth: { roles: ['seller'] },
      params: CouponParams,
      body: CouponAudienceInputSchema,
      responses: { 200: { description: 'The coupon', schema: CouponSchema } },
    },
    async (ctx, { params, body, user }) => {
      const { coupon, before } = await core.promotions.setAudience(actorOf(user), params.id, body.audience);
      if (JSON.stringify(before) !== JSON.stringify(coupon.audience))
        await recordAudience(user, coupon.id, before, coupon.audience);
      ctx.body = coupon;
    },
  );

  route(
    {
      method: 'get',
      path: '/api/me/coupons',
      summary: 'Coupons you can use now',
      tags: ['promotions'],
      auth: 'session',
      responses: {
        200: { description: 'Coupons', schema: AvailableCouponListSchema },
      },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.promotions.availableFor(user.id) };
    },
  );
}
