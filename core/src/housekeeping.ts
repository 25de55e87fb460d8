import type { JobQueue } from './jobs';
import type { Logger } from './logger';
import { ORDERS_RECONCILE_JOB } from './checkout';
import { IDEMPOTENCY_PRUNE_JOB, JOBS_PRUNE_JOB, SESSION_PRUNE_JOB } from './services';

const HOURLY_JOBS = [SESSION_PRUNE_JOB, JOBS_PRUNE_JOB, IDEMPOTENCY_PRUNE_JOB, ORDERS_RECONCILE_JOB];

/**
 * Enqueues the hourly maintenance jobs (expired sessions, finished jobs, old claims and idempotency keys:
 * FerretDB has no TTL indexes; and order side effects a crash cut short). The dedupe key names the hour, so any number of app and worker processes can run this
 * and each job still runs once an hour.
 */
export function startHousekeeping(
  deps: { queue: JobQueue; log: Logger },
  checkEveryMs = 10 * 60_000,
): () => void {
  const tick = () => {
    const hour = new Date().toISOString().slice(0, 13);
    for (const type of HOURLY_JOBS) {
      deps.queue
        .enqueue(type, {}, { dedupeKey: `${type}:${hour}` })
        .catch((err: unknown) => deps.log.warn({ err, type }, 'could not schedule a maintenance job'));
    }
  };
  const timer = setInterval(tick, checkEveryMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
