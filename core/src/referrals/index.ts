export { createReferralService, INVITE_FIELD, rewardRef, type ReferralService } from './service';
export { CODE_ALPHABET, CODE_LENGTH, normalizeInviteCode } from './codes';
export { maskName, mailboxKey } from './signals';
export type {
  FlaggedReferral,
  InviteSummary,
  Referral,
  ReferralConfig,
  ReferralSignal,
  ReferralStatus,
} from './types';
