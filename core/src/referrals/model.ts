import type { Connection } from 'mongoose';
import type { ReferralSignal } from './types';

/**
 * Referrals keep no mutable document: every fact is an insert under a unique `_id`, so each one happens
 * once on MongoDB and FerretDB 1.24 alike (docs/ARCHITECTURE.md: FerretDB applies conditional updates
 * by read-modify-write), and a read assembles the referral from its join record and its marks.
 */

/** `_id` = the code (upper case): inserting it claims the code. */
export interface InviteCodeDoc {
  _id: string;
  userId: string;
  at: Date;
}

/** `_id` = the account: which of its claimed codes it shows (the first claim wins a race). */
export interface InviteOwnerDoc {
  _id: string;
  code: string;
  at: Date;
}

/** `_id` = `<inviterId>:<n>`, n from 1 to the cap: an invitee holds one, so no inviter exceeds the cap. */
export interface InviteSlotDoc {
  _id: string;
  inviterId: string;
  inviteeId: string;
  at: Date;
}

/** `_id` = the invitee: one inviter per account, written once at sign-up. */
export interface ReferralDoc {
  _id: string;
  inviterId: string;
  code: string;
  slot: number;
  inviteeName: string;
  welcomeCouponCode: string | null;
  joinedAt: Date;
}

/**
 * One fact of a referral, `_id` = `<inviteeId>:<kind>`:
 * - `ordered`: the invitee placed an order (the first one seen);
 * - `qualified`: an order of theirs completed first (`orderId`): the one that can earn the reward;
 * - `flagged`: it shares `signals` with the inviter;
 * - `decided`: support cleared or rejected the flag (one decision, whichever came first);
 * - `outcome`: `rewarded` (with `points`) or `void` (the qualifying order was refunded before a reward):
 *   one outcome, so a reward and a refund racing cannot both win;
 * - `earned`: the inviter's points of a `rewarded` outcome were added (written after the earn; the
 *   membership ledger's own record of it is pruned after 30 days, this one stays);
 * - `reversed`: a rewarded referral's order was refunded: no earn from then on, and the points are taken
 *   back if they were earned (written before the revoke, so a reward racing it sees it).
 */
export type ReferralMarkKind =
  'ordered' | 'qualified' | 'flagged' | 'decided' | 'outcome' | 'earned' | 'reversed';

export interface ReferralMarkDoc {
  _id: string;
  inviteeId: string;
  inviterId: string;
  kind: ReferralMarkKind;
  orderId: string | null;
  signals: ReferralSignal[] | null;
  decision: 'cleared' | 'rejected' | null;
  outcome: 'rewarded' | 'void' | null;
  points: number | null;
  by: string | null;
  note: string;
  at: Date;
}

export const markId = (inviteeId: string, kind: ReferralMarkKind) => `${inviteeId}:${kind}`;

export function referralCollections(connection: Connection) {
  return {
    codes: connection.collection<InviteCodeDoc>('invite_codes'),
    owners: connection.collection<InviteOwnerDoc>('invite_owners'),
    slots: connection.collection<InviteSlotDoc>('invite_slots'),
    referrals: connection.collection<ReferralDoc>('referrals'),
    marks: connection.collection<ReferralMarkDoc>('referral_marks'),
  };
}
export type ReferralCollections = ReturnType<typeof referralCollections>;
