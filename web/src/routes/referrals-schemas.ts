import { z } from 'zod';
import { DateTime } from '../schemas';

/** Schemas of the referral API (invites, support's review of flagged referrals), each a named component. */

const ReferralStatus = z
  .enum(['joined', 'ordered', 'rewarded', 'reversed', 'flagged', 'rejected'])
  .describe(
    'joined: signed up with the code; ordered: placed a first order; rewarded: its first completed order earned the inviter points; reversed: that order was refunded; flagged: held for support; rejected: support refused the reward',
  );

const referralFields = {
  inviteeId: z.string(),
  inviterId: z.string(),
  inviteeName: z.string().describe('masked, e.g. "L* W**"'),
  code: z.string(),
  joinedAt: DateTime,
  status: ReferralStatus,
  firstOrderAt: DateTime.nullable(),
  qualifyingOrderId: z.string().nullable().describe('the first of the invitee’s orders that completed'),
  pointsEarned: z.number().describe('points the inviter holds for this invitee (earned less reversed)'),
  rewardedAt: DateTime.nullable(),
  reversedAt: DateTime.nullable(),
  flag: z
    .object({ signals: z.array(z.enum(['address', 'phone', 'payment'])), at: DateTime })
    .nullable()
    .describe('what the invitee shares with the inviter'),
  decision: z
    .object({ decision: z.enum(['cleared', 'rejected']), by: z.string(), note: z.string(), at: DateTime })
    .nullable(),
  welcomeCouponCode: z.string().nullable(),
};

export const ReferralSchema = z.object(referralFields).meta({ id: 'Referral' });

export const InviteSummarySchema = z
  .object({
    code: z.string().describe('your invite code'),
    path: z.string().describe('the sign-up page with your code, e.g. /register?invite=CODE'),
    maxInvites: z.number().describe('how many people can join with your code'),
    inviterPoints: z.number().describe('points a friend’s first completed order earns you'),
    welcomeCouponFen: z.number().describe('the welcome coupon a friend gets on joining, in fen'),
    invited: z.number(),
    pointsEarned: z.number(),
    referrals: z.array(ReferralSchema),
  })
  .meta({ id: 'InviteSummary' });

export const FlaggedReferralSchema = z
  .object({
    ...referralFields,
    inviterName: z.string(),
    inviterEmail: z.string(),
    inviteeFullName: z.string(),
    inviteeEmail: z.string(),
  })
  .meta({ id: 'FlaggedReferral' });

export const FlaggedReferralListSchema = z
  .object({ items: z.array(FlaggedReferralSchema) })
  .meta({ id: 'FlaggedReferralList' });

export const ReferralDecisionInputSchema = z
  .object({
    decision: z.enum(['cleared', 'rejected']),
    note: z.string().trim().max(500).default(''),
  })
  .strict()
  .meta({ id: 'ReferralDecisionInput' });
