export { createMembershipService, type MembershipService } from './service';
export { TIERS, tierFor, earnRate, pointsEarnedFor } from './tiers';
export type { MemberAccount, PointsMovement, PointsReason, TierBenefits, TierName } from './types';
