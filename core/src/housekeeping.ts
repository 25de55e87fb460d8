import type { JobQueue } from './jobs';
import type { Logger } from './logger';
import { AFTERSALES_DUE_JOB } from './aftersales';
import { ANALYTICS_ORDERS_JOB } from './analytics';
import { CHECKOUTS_EXPIRE_DUE_JOB, ORDERS_AUTO_COMPLETE_JOB, ORDERS_RECONCILE_JOB } from './checkout';
import { LOGISTICS_RECONCILE_JOB, LOGISTICS_SWEEP_JOB } from './logistics';
import { PAYOUTS_RESUME_JOB, PAYOUTS_RUN_JOB } from './payouts';
import { SETTLEMENT_CATCH_UP_JOB, SETTLEMENT_RECONCILE_JOB, SETTLEMENT_RELEASE_JOB } from './settlement';
import { ACCOUNTS_PRUNE_JOB } from './accounts';
import { FLASH_SWEEP_JOB } from './flash';
import { GROUP_BUYING_SWEEP_JOB } from './group-buying';
import {
  IDEMPOTENCY_PRUNE_JOB,
  JOBS_PRUNE_JOB,
  LEDGER_REFS_PRUNE_JOB,
  PAYMENT_RECEIPTS_PRUNE_JOB,
  RECS_RETENTION_JOB,
  SESSION_PRUNE_JOB,
} from './services';

const HOURLY_JOBS = [
  SESSION_PRUNE_JOB,
  JOBS_PRUNE_JOB,
  IDEMPOTENCY_PRUNE_JOB,
  LEDGER_REFS_PRUNE_JOB,
  PAYMENT_RECEIPTS_PRUNE_JOB,
  ORDERS_RECONCILE_JOB,
  ORDERS_AUTO_COMPLETE_JOB,
  LOGISTICS_RECONCILE_JOB,
  RECS_RETENTION_JOB,
  SETTLEMENT_CATCH_UP_JOB,
  SETTLEMENT_RECONCILE_JOB,
  PAYOUTS_RUN_JOB,
  PAYOUTS_RESUME_JOB,
  ACCOUNTS_PRUNE_JOB,
];

/**
 * Jobs that run every `FREQUENT_EVERY_MS`: expiring unpaid checkouts (their stock goes back), the
 * logistics sweep (lapsed courier offers, late deliveries, silent couriers), lapsed flash-sale claims and
 * ended flash sales, group buys past their deadline (refunded or completed), and the customer figures' catch-up (payments a process noted but did not apply).
 */
const FREQUENT_JOBS = [
  CHECKOUTS_EXPIRE_DUE_JOB,
  LOGISTICS_SWEEP_JOB,
  SETTLEMENT_RELEASE_JOB,
  AFTERSALES_DUE_JOB,
  ANALYTICS_ORDERS_JOB,
  FLASH_SWEEP_JOB,
  GROUP_BUYING_SWEEP_JOB,
];
export const FREQUENT_EVERY_MS = 30_000;

/**
 * Enqueues the maintenance jobs: hourly ones (expired sessions, finished jobs, old claims and
 * idempotency keys: FerretDB has no TTL indexes; and order side effects a crash cut short) and frequent
 * ones (checkout expiry). The dedupe key names the time slot, so any number of app and worker processes
 * can run this and each job still runs once per slot.
 */
export function startHousekeeping(
  deps: { queue: JobQueue; log: Logger },
  checkEveryMs = 10 * 60_000,
): () => void {
  const schedule = (types: string[], slot: string) => {
    for (const type of types) {
      deps.queue
        .enqueue(type, {}, { dedupeKey: `${type}:${slot}` })
        .catch((err: unknown) => deps.log.warn({ err, type }, 'could not schedule a maintenance job'));
    }
  };
  // Slots follow the wall clock like the timers that fill them (not a service clock a test may move).
  const hourly = () => schedule(HOURLY_JOBS, new Date().toISOString().slice(0, 13));
  const frequent = () => schedule(FREQUENT_JOBS, String(Math.floor(Date.now() / FREQUENT_EVERY_MS)));
  const timers = [setInterval(hourly, checkEveryMs), setInterval(frequent, FREQUENT_EVERY_MS)];
  timers.forEach((t) => t.unref());
  hourly();
  frequent();
  return () => timers.forEach((t) => clearInterval(t));
}
