export { createCommissionService, type CommissionService, type CommissionActor } from './service';
export { basisPointsOf, commissionAmount, commissionLine, resolveRule } from './resolve';
export * from './types';
