import { z } from 'zod';
import type { RouteDefiner } from '../http/route';
import { actorOf } from '../http/session';
import { IdParam } from '../schemas';
import type { WebDeps } from '../web-deps';
import {
  FlaggedReferralListSchema,
  InviteSummarySchema,
  ReferralDecisionInputSchema,
  ReferralSchema,
} from './referrals-schemas';

export function referralRoutes(route: RouteDefiner, { core }: WebDeps) {
  route(
    {
      method: 'get',
      path: '/api/me/invites',
      summary: 'Your invite code and link, who joined with it, where each stands and the points earned',
      tags: ['referrals'],
      auth: 'session',
      responses: { 200: { description: 'Your invites', schema: InviteSummarySchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = await core.referrals.summary(user.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/api/support/referrals',
      summary:
        'Referrals flagged for sharing an address, phone or payment with the inviter: undecided first (held without reward until cleared)',
      tags: ['referrals'],
      auth: { roles: ['support', 'admin'] },
      responses: { 200: { description: 'Flagged referrals', schema: FlaggedReferralListSchema } },
    },
    async (ctx, { user }) => {
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { items: await core.referrals.flagged(actorOf(user)) };
    },
  );

  route(
    {
      method: 'post',
      path: '/api/support/referrals/:id/decision',
      summary:
        'Clear a flagged referral (the inviter is rewarded if the first order completed) or reject it; one decision each',
      tags: ['referrals'],
      auth: { roles: ['support', 'admin'] },
      params: z.object({ id: IdParam }),
      body: ReferralDecisionInputSchema,
      responses: { 200: { description: 'The referral after the decision', schema: ReferralSchema } },
    },
    async (ctx, { params, body, user }) => {
      const referral = await core.referrals.decide(actorOf(user), params.id, body.decision, body.note);
      // The referral is the invitee's (one per account): the audit names them.
      await core.audit.record({
        actor: actorOf(user),
        action: `referral.${body.decision}`,
        target: { type: 'user', id: params.id },
        before: { status: 'flagged' },
        after: { status: referral.status },
        reason: body.note || null,
      });
      ctx.body = referral;
    },
  );
}
