export { createSettlementService, streamOf, toEntry, type SettlementService } from './service';
export {
  createReconciliation,
  SETTLEMENT_RECONCILE_JOB,
  type DayReconciliation,
  type Reconciliation,
} from './reconcile';
export { orderMoney, refundParts, refundPartsUpTo, type OrderMoney, type RefundParts } from './money';
export { dayRange, isoWeek, marketDay, monthRange, previousDay, weekdayAndHour } from './days';
export * from './types';

/** Moves credits whose after-sales window has closed from pending to available (every 30 s). */
export const SETTLEMENT_RELEASE_JOB = 'settlement.release_due';
/** Settles completed or refunded orders whose effects a crash may have cut short (hourly). */
export const SETTLEMENT_CATCH_UP_JOB = 'settlement.catch_up';
