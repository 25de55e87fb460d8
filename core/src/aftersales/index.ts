export {
  createAfterSalesService,
  type AfterSalesService,
  type AfterSalesEffects,
  type OpenInput,
  type QueuePage,
  type RefundTask,
} from './service';
export { lineKeyOf } from './requests';
export {
  createEvidencePhotos,
  EVIDENCE_PER_REQUEST,
  EVIDENCE_SIZES,
  type EvidenceImager,
  type EvidencePhotos,
  type EvidenceSize,
} from './evidence';
export { AFTERSALES_TRANSITIONS, AFTERSALES_FINAL, afterSalesMoves } from './state';
export * from './types';

/** The deadline job: silent sellers, unshipped returns, refunds to finish (`AfterSalesService.runDue`). */
export const AFTERSALES_DUE_JOB = 'aftersales.due';
