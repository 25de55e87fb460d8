import type { RouteDefiner } from '../http/route';
import type { WebDeps } from '../web-deps';
import { MemberPointsSchema, TierListSchema } from './membership-schemas';

export function membershipRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/me/points',
      summary: 'Your points balance, tier and latest 50 movements (newest first)',
      tags: ['membership'],
      auth: 'session',
      responses: {
        200: { description: 'Account and history', schema: MemberPointsSchema },
      },
    },
    async (ctx, { user }) => {
      const [account, history] = await Promise.all([
        core.membership.account(user.id),
        core.membership.history(user.id, 50),
      ]);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { account, history };
    },
  );

  route(
    {
      method: 'get',
      path: '/api/membership/tiers',
      summary: 'The membership tiers and their benefits',
      tags: ['membership'],
      auth: 'public',
      responses: {
        200: { description: 'Tiers, lowest first', schema: TierListSchema },
      },
    },
    async (ctx) => {
      ctx.set('Cache-Control', 'public, max-age=300');
      ctx.body = { items: core.membership.tiers() };
    },
  );
}
