/**
 * Where one invitee stands, in the order the inviter sees it move: `joined` (signed up with the code),
 * `ordered` (placed a first order), `rewarded` (the first completed order earned the inviter points),
 * `reversed` (that order was refunded: points taken back, or never given), `flagged` (shares an address,
 * phone or payment with the inviter: held for support), `rejected` (support refused the reward).
 */
export type ReferralStatus = 'joined' | 'ordered' | 'rewarded' | 'reversed' | 'flagged' | 'rejected';

/** What a referral shares with the inviter's own account (why it was flagged). */
export type ReferralSignal = 'address' | 'phone' | 'payment';

export interface Referral {
  inviteeId: string;
  inviterId: string;
  /** The invitee's name as the inviter may see it ("L*** W***"). */
  inviteeName: string;
  code: string;
  joinedAt: Date;
  status: ReferralStatus;
  /** The invitee's first order (placed), and the first of theirs that completed (the one rewarded). */
  firstOrderAt: Date | null;
  qualifyingOrderId: string | null;
  /** Points the inviter holds for this invitee: earned, less reversed. */
  pointsEarned: number;
  rewardedAt: Date | null;
  reversedAt: Date | null;
  flag: { signals: ReferralSignal[]; at: Date } | null;
  decision: { decision: 'cleared' | 'rejected'; by: string; note: string; at: Date } | null;
  /** The welcome coupon's code the invitee was given. */
  welcomeCouponCode: string | null;
}

/** Support's view of a referral: both people named in full (staff only). */
export interface FlaggedReferral extends Referral {
  inviterName: string;
  inviterEmail: string;
  inviteeFullName: string;
  inviteeEmail: string;
}

export interface InviteSummary {
  code: string;
  /** Path of the sign-up page with the code (the caller prefixes its origin). */
  path: string;
  maxInvites: number;
  /** What a friend's first completed order earns you, and what your friend gets on joining (fen). */
  inviterPoints: number;
  welcomeCouponFen: number;
  invited: number;
  pointsEarned: number;
  referrals: Referral[];
}

export interface ReferralConfig {
  /** Invitees one account may bring in; each sign-up takes a slot `<inviter>:<n>`, n ≤ this. */
  maxInvites: number;
  inviterPoints: number;
  welcomeCoupon: { valueFen: number; minSpendFen: number; days: number };
}
