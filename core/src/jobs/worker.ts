import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { isStoreUnreachableError } from '../errors';
import type { Logger } from '../logger';
import { createClaimer } from './claims';
import { JobLeaseLostError, PermanentJobError, WorkerStoppingError } from './errors';
import { jobModels } from './model';
import { createOutcomeStore, errorMessage, type ClaimedAttempt } from './outcomes';
import type {
  AttemptOutcome,
  JobContext,
  JobHandler,
  JobQueue,
  JobWorker,
  JobWorkerStatus,
  WorkerOptions,
} from './types';
import { type Clock, systemClock } from '../clock';

export interface JobWorkerDeps {
  queue: JobQueue;
  connection: Connection;
  log: Logger;
  handlers: Record<string, JobHandler>;
  clock?: Clock;
  /**
   * Whether the document store is reachable (db/store-health.ts). While it is not, the worker polls
   * nothing, and an attempt that fails meanwhile is given back without spending the job's budget.
   */
  store?: { isUp(): boolean; onChange(listener: (up: boolean) => void): () => void };
  /** Told how each attempt ended (metrics). */
  onAttempt?: (event: { type: string; outcome: AttemptOutcome; ms: number }) => void;
}

/**
 * Pauses between outcome writes that failed (a DB blip, a store restart). The write is retried until the
 * attempt's lease runs out (at least this many times); past it the job is another attempt's anyway.
 */
const SETTLE_RETRY_DELAYS_MS = [0, 250, 1000, 2000];
/** The poll after a failed one waits twice as long each time, up to this. */
const POLL_BACKOFF_MAX_MS = 10_000;

/** Delay before retry `attempt + 1`: exponential, capped, with jitter so failures do not retry in lockstep. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * A worker loop: polls for due jobs of the types it has handlers for, claims a small batch (never more
 * than its free slots), runs them, records outcomes. Several processes may run workers on one database.
 */
export function createJobWorker(deps: JobWorkerDeps, opts: WorkerOptions = {}): JobWorker {
  const { queue, connection, handlers } = deps;
  const clock = deps.clock ?? systemClock;
  const workerId = opts.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const concurrency = Math.max(1, opts.concurrency ?? 4);
  const claimBatchSize = Math.max(1, opts.claimBatchSize ?? 8);
  const pollIntervalMs = opts.pollIntervalMs ?? 500;
  const leaseMs = opts.leaseMs ?? 30_000;
  const backoffBaseMs = opts.backoffBaseMs ?? 1000;
  const backoffMaxMs = opts.backoffMaxMs ?? 5 * 60_000;
  const stopGraceMs = opts.stopGraceMs ?? 10_000;
  const types = (opts.types ?? Object.keys(handlers)).filter((t) => typeof handlers[t] === 'function');
  const log = deps.log.child({ workerId });
  const models = jobModels(connection);
  const store = createOutcomeStore({ models, log, clock, leaseMs });
  const claimer = createClaimer({ models, outcomes: store, log, clock, workerId, leaseMs });

  const running = new Map<string, { task: Promise<void>; controller: AbortController }>();
  let state: 'idle' | 'running' | 'stopping' = 'idle';
  let loopDone: Promise<void> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;
  /** The last poll filled its page: more work is probably due, so a freed slot should poll at once. */
  let backlog = false;
  let wakeLoop: (() => void) | null = null;
  let wakeRequested = false;
  /** When the loop last went round (polled, or checked the store); readiness reads it. */
  let lastTickAt = clock();
  let pollFailures = 0;
  const offStore = deps.store?.onChange((up) => {
    if (up) wake();
  });
  const storeDown = () => deps.store !== undefined && !deps.store.isUp();

  function wake(): void {
    if (wakeLoop) wakeLoop();
    else wakeRequested = true;
  }

  /** Sleeps until `ms` pass or `wake()` is called. */
  function nap(ms: number): Promise<void> {
    if (wakeRequested) {
      wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : null;
      function done() {
        if (timer) clearTimeout(timer);
        wakeLoop = null;
        resolve();
      }
      wakeLoop = done;
    });
  }

  async function loop(): Promise<void> {
    while (state === 'running') {
      lastTickAt = clock();
      const free = concurrency - running.size;
      if (free <= 0) {
        await nap(Infinity); // A finishing attempt wakes us.
        continue;
      }
      if (storeDown()) {
        await nap(1000); // The store coming back wakes us sooner.
        continue;
      }
      let more = false;
      try {
        const batch = await claimer.claimDue(types, Math.min(free, claimBatchSize));
        for (const claim of batch.claimed) startAttempt(claim);
        more = batch.more || batch.claimed.length === Math.min(free, claimBatchSize);
        if (pollFailures > 0) log.info({ failures: pollFailures }, 'job polling works again');
        pollFailures = 0;
      } catch (err) {
        if (isStoreUnreachableError(err)) {
          // Logged once per outage, then the poll backs off: a store restart must not flood the log.
          if (pollFailures++ === 0) log.error({ err }, 'job poll failed: store unreachable; backing off');
          else log.debug({ err, failures: pollFailures }, 'job poll failed again');
        } else {
          // Anything else (SQLite busy under a write burst, a bad document) is worth the next poll.
          log.error({ err }, 'job poll failed');
        }
      }
      backlog = more;
      if (pollFailures > 0) await nap(Math.min(POLL_BACKOFF_MAX_MS, pollIntervalMs * 2 ** pollFailures));
      else if (!more) await nap(pollIntervalMs);
      // Let attempts that finish together free their slots before the next poll.
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  function startAttempt(claim: ClaimedAttempt): void {
    const controller = new AbortController();
    const key = `${claim.job._id}:${claim.attempt}`;
    const task = runAttempt(claim, controller)
      .catch((err: unknown) => log.error({ err, jobId: claim.job._id }, 'job attempt bookkeeping failed'))
      .finally(() => {
        running.delete(key);
        if (backlog || running.size === concurrency - 1) wake();
      });
    running.set(key, { task, controller });
  }

  async function runAttempt(claim: ClaimedAttempt, controller: AbortController): Promise<void> {
    const { job, attempt } = claim;
    const jobLog = log.child({ jobId: job._id, type: job.type, attempt });
    let leaseUntil = claim.leaseUntil;
    let lastExtendedAt = 0;
    /** The job document no longer shows this attempt: another attempt took over, or the job ended. */
    let leaseLost = false;
    let heartbeats: Promise<void> = Promise.resolve();
    let leaseTimer: NodeJS.Timeout | undefined;
    const armLeaseTimer = () => {
      clearTimeout(leaseTimer);
      // Past the lease another worker may claim the job: tell the handler to stop.
      leaseTimer = setTimeout(
        () => controller.abort(new JobLeaseLostError(job._id, attempt)),
        Math.max(0, leaseUntil.getTime() - clock().getTime()),
      );
    };
    armLeaseTimer();

    const heartbeat = (): Promise<void> => {
      if (controller.signal.reason instanceof JobLeaseLostError)
        return Promise.reject(controller.signal.reason);
      // Calls closer together than this are coalesced: the lease is still nearly full.
      if (Date.now() - lastExtendedAt < Math.min(1000, leaseMs / 10)) return heartbeats;
      lastExtendedAt = Date.now();
      const next = heartbeats
        .catch(() => undefined)
        .then(async () => {
          try {
            leaseUntil = await store.extendLease(job._id, attempt);
            if (!controller.signal.aborted) armLeaseTimer();
          } catch (err) {
            if (err instanceof JobLeaseLostError) {
              leaseLost = true;
              controller.abort(err);
            }
            throw err;
          }
        });
      heartbeats = next;
      return next;
    };

    const ctx: JobContext = {
      jobId: job._id,
      attempt,
      maxAttempts: job.maxAttempts,
      signal: controller.signal,
      heartbeat,
      log: jobLog,
    };
    const handler = handlers[job.type]!;
    const started = Date.now();
    const outcome = await Promise.resolve()
      .then(() => handler(job.payload, ctx))
      .then(
        (result: unknown) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error }),
      );
    clearTimeout(leaseTimer);
    await heartbeats.catch(() => undefined); // Never let a heartbeat land after the outcome.
    const ms = Date.now() - started;

    const report = (o: AttemptOutcome) => deps.onAttempt?.({ type: job.type, outcome: o, ms });
    await settle(
      jobLog,
      () => leaseUntil,
      async () => {
        if (outcome.ok) {
          const recorded = await store.complete(claim, outcome.result);
          jobLog.debug({ ms, recorded }, 'job completed');
          report('completed');
          return;
        }
        const { error } = outcome;
        if (leaseLost) {
          jobLog.warn({ err: error, ms }, 'job attempt failed after losing its lease; the new owner decides');
          return;
        }
        if (controller.signal.reason instanceof WorkerStoppingError) {
          // Shutdown is not the job's fault: give it back without spending its budget.
          const given = await store.reschedule(claim, {
            runAt: clock(),
            lastError: 'worker stopped while running',
            maxAttempts: job.maxAttempts + 1,
          });
          jobLog.info({ given }, 'job given back on shutdown');
          report('given_back');
          return;
        }
        const message = errorMessage(error);
        if (isStoreUnreachableError(error) || storeDown()) {
          // An outage is not the job's fault either: retry soon, without spending its budget.
          const runAt = new Date(clock().getTime() + retryDelayMs(1, backoffBaseMs, backoffMaxMs));
          const given = await store.reschedule(claim, {
            runAt,
            lastError: `document store unreachable: ${message}`,
            maxAttempts: job.maxAttempts + 1,
          });
          jobLog.warn({ err: error, ms, given }, 'job attempt failed while the store was unreachable');
          report('given_back');
          return;
        }
        if (error instanceof PermanentJobError || attempt >= job.maxAttempts) {
          await store.deadLetter(claim, message);
          jobLog.error({ err: error, ms }, 'job dead-lettered');
          report('dead');
          return;
        }
        const runAt = new Date(clock().getTime() + retryDelayMs(attempt, backoffBaseMs, backoffMaxMs));
        const rescheduled = await store.reschedule(claim, { runAt, lastError: message });
        jobLog.warn({ err: error, ms, runAt, rescheduled }, 'job attempt failed; will retry');
        report('retried');
      },
    );
  }

  /** Whether `done` settles within the stop grace period. */
  async function withinGrace(done: Promise<boolean>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), stopGraceMs)),
    );
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function settle(jobLog: Logger, leaseEnd: () => Date, write: () => Promise<void>): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        return await write();
      } catch (err) {
        const delay = SETTLE_RETRY_DELAYS_MS[Math.min(i + 1, SETTLE_RETRY_DELAYS_MS.length - 1)]!;
        const triedEnough = i + 1 >= SETTLE_RETRY_DELAYS_MS.length;
        if (triedEnough && clock().getTime() + delay >= leaseEnd().getTime()) {
          jobLog.error({ err }, 'job outcome not recorded; the lease will expire and the job run again');
          return;
        }
        await sleep(delay);
      }
    }
  }

  return {
    start() {
      if (state !== 'idle') return;
      state = 'running';
      if (types.length === 0) {
        log.warn('job worker has no handlers for its types; it will not claim anything');
        return;
      }
      unsubscribe = queue.onEnqueued(wake);
      loopDone = loop();
      log.info({ types, concurrency, leaseMs }, 'job worker started');
    },

    status(): JobWorkerStatus {
      return { state, lastTickAt, running: running.size, concurrency, pollFailures };
    },

    async stop() {
      if (state !== 'running') return;
      state = 'stopping';
      offStore?.();
      unsubscribe?.();
      wake();
      await loopDone;
      const all = Promise.allSettled([...running.values()].map((r) => r.task)).then(() => true);
      if (!(await withinGrace(all))) {
        log.warn(
          { running: running.size },
          'job handlers still running after the grace period; aborting them',
        );
        for (const r of running.values()) r.controller.abort(new WorkerStoppingError());
        if (!(await withinGrace(all))) {
          log.error({ running: running.size }, 'job handlers ignored abort; leaving their leases to expire');
        }
      }
      state = 'idle';
      wakeRequested = false;
      log.info('job worker stopped');
    },
  };
}
