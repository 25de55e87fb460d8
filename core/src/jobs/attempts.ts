import { isDuplicateKeyError } from '../errors';
import type { Logger } from '../logger';
import { JobLeaseLostError } from './errors';
import type { mongo } from 'mongoose';
import { claimId, op, type JobClaimDoc, type JobDoc, type JobModels } from './model';

/**
 * Claims, leases and outcomes of job attempts: the part of the queue that workers use.
 *
 * Why claims are inserts: FerretDB 1.24 applies an update by reading the document and writing it back
 * whole, so a guard in an update filter (`{status: 'pending'}`) does not stop two workers from both
 * "winning". A unique `_id` insert does. To run attempt N of job J a worker inserts `{_id: "J:N"}` into
 * `job_claims`; the duplicate-key loser skips the job. Only the winner then writes `status: running,
 * attempts: N, leaseUntil` on the job, so that write has a single writer and needs no guard.
 *
 * A job is claimable when it is pending and due, or running with an expired lease (its worker died or
 * hung). The next claim is always `attempts + 1`; claim documents are never updated.
 *
 * Liveness when a write goes missing: if a claim winner dies before updating the job, or a late write
 * from a lost worker reverts the job to an older attempt number, the job looks claimable at attempt N
 * while `J:N` already exists. A claimer that hits that duplicate re-reads the claim and the job; once
 * the claim is older than a lease and the job still shows fewer than N attempts, it moves on to N + 1.
 *
 * Terminal outcomes (completed, dead) are a unique insert into `finished_jobs`, so a lost worker and its
 * successor cannot both record one; the job then leaves `jobs`. Retries and heartbeats are updates
 * guarded by the attempt number (atomic on MongoDB, best effort on FerretDB, where the claim rule above
 * keeps a reverted job runnable).
 */
export interface ClaimedAttempt {
  /** The job as of the claim (payload, type and budget do not change while it is held). */
  job: JobDoc;
  attempt: number;
  leaseUntil: Date;
}

export type FinishOutcome = 'recorded' | 'superseded';

export interface AttemptStoreDeps {
  models: JobModels;
  log: Logger;
  clock: () => Date;
  workerId: string;
  leaseMs: number;
}

/** Claimable jobs fetched per claim wanted: spreads two workers over different jobs. */
const CANDIDATE_FACTOR = 3;
/** Rounds of claim inserts per poll when other workers win the first picks. */
const CLAIM_ROUNDS = 3;

export function createAttemptStore(deps: AttemptStoreDeps) {
  const { models, log, clock, workerId, leaseMs } = deps;
  const { Job, FinishedJob, JobClaim } = models;
  // Raw driver collections for the two hot inserts: per-document write errors, no hydration.
  const claimsCollection = JobClaim.collection as unknown as mongo.Collection<JobClaimDoc>;
  const finishedCollection = FinishedJob.collection as unknown as mongo.Collection<JobDoc>;

  function isClaimable(job: JobDoc, now: Date): boolean {
    if (job.status === 'pending') return job.runAt <= now;
    return job.status === 'running' && job.leaseUntil !== null && job.leaseUntil <= now;
  }

  /** Inserts the claims; returns which indexes won. */
  async function insertClaims(claims: JobClaimDoc[]): Promise<boolean[]> {
    const won = claims.map(() => true);
    if (claims.length === 0) return won;
    try {
      await claimsCollection.insertMany(claims, { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
      if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw err;
      for (const e of writeErrors) {
        if (e.code !== 11000) throw err;
        won[e.index] = false;
      }
    }
    return won;
  }

  /**
   * After losing the claim for `attempt`: returns the job (fresh) if the claim is stale — its owner
   * never took the job over within a lease — so the caller may try `attempt + 1`; otherwise null.
   */
  async function staleClaimedJob(seen: JobDoc, attempt: number, now: Date): Promise<JobDoc | null> {
    // The common case is plain contention on a fresh pending job: another worker just won it.
    if (seen.status === 'pending' && now.getTime() - seen.updatedAt.getTime() < leaseMs) return null;
    const claim = await JobClaim.findById(claimId(seen._id, attempt)).lean();
    if (!claim || claim.claimedAt.getTime() + leaseMs > now.getTime()) return null;
    const fresh = await Job.findById(seen._id).lean();
    if (!fresh || fresh.attempts >= attempt || !isClaimable(fresh, now)) return null;
    log.warn(
      { jobId: seen._id, attempt, claimedBy: claim.workerId },
      'job claim was never taken up; skipping it',
    );
    return fresh;
  }

  /** The final attempt's worker vanished (lease expired): record the job as dead. */
  async function deadLetterAbandoned(seen: JobDoc, now: Date): Promise<void> {
    const fresh = await Job.findById(seen._id).lean();
    if (!fresh || !isClaimable(fresh, now) || fresh.attempts < fresh.maxAttempts) return;
    await recordAbandoned(fresh, fresh.attempts, now);
  }

  async function recordAbandoned(job: JobDoc, attempts: number, now: Date): Promise<void> {
    const lastError = `lease expired on attempt ${attempts} (worker ${job.workerId ?? '?'} lost)`;
    log.warn({ jobId: job._id, type: job.type, attempts }, `job dead-lettered: ${lastError}`);
    await finish({ ...job, status: 'dead', attempts, leaseUntil: null, lastError, updatedAt: now }, attempts);
  }

  /**
   * Claims up to `max` due jobs of `types`. `more` says whether the poll saw a full page of candidates
   * (more work is probably waiting).
   */
  async function claimDue(
    types: string[],
    max: number,
  ): Promise<{ claimed: ClaimedAttempt[]; more: boolean }> {
    const now = clock();
    const limit = max * CANDIDATE_FACTOR;
    // No sort: FerretDB sorts in memory after reading every document, while an unsorted query stops
    // after `limit` matches. Order is therefore roughly FIFO, not strict.
    const candidates = await Job.find({
      type: types.length === 1 ? types[0] : op({ $in: types }),
      $or: [
        { status: 'pending', runAt: op({ $lte: now }) },
        { status: 'running', leaseUntil: op({ $lte: now }) },
      ],
    })
      .limit(limit)
      .lean();
    shuffle(candidates);

    const claimed: ClaimedAttempt[] = [];
    let queue: Array<{ job: JobDoc; attempt: number }> = [];
    for (const job of candidates) {
      if (job.attempts >= job.maxAttempts) await deadLetterAbandoned(job, now).catch(logError(job._id));
      else queue.push({ job, attempt: job.attempts + 1 });
    }

    for (let round = 0; round < CLAIM_ROUNDS && queue.length > 0 && claimed.length < max; round++) {
      const picks = queue.slice(0, max - claimed.length);
      queue = queue.slice(picks.length);
      const claimedAt = clock();
      const won = await insertClaims(
        picks.map((p) => ({
          _id: claimId(p.job._id, p.attempt),
          jobId: p.job._id,
          attempt: p.attempt,
          workerId,
          claimedAt,
        })),
      );
      const taken = await Promise.all(
        picks.map((p, i) => (won[i] ? takeOver(p.job, p.attempt, claimedAt) : null)),
      );
      for (const t of taken) if (t) claimed.push(t);
      const lost = picks.filter((_, i) => !won[i]);
      for (const p of lost) {
        const stale = await staleClaimedJob(p.job, p.attempt, claimedAt).catch(logError(p.job._id));
        if (!stale) continue;
        if (p.attempt >= stale.maxAttempts) await recordAbandoned(stale, p.attempt, claimedAt);
        else queue.unshift({ job: stale, attempt: p.attempt + 1 });
      }
    }
    return { claimed, more: candidates.length >= limit };
  }

  /** The claim for `attempt` is ours: mark the job running. */
  async function takeOver(job: JobDoc, attempt: number, claimedAt: Date): Promise<ClaimedAttempt | null> {
    const leaseUntil = new Date(claimedAt.getTime() + leaseMs);
    const now = clock();
    if (now >= leaseUntil) return null; // We stalled past our own lease; let the next claimer have it.
    const set = { status: 'running' as const, attempts: attempt, leaseUntil, workerId, updatedAt: now };
    const res = await Job.updateOne({ _id: job._id }, { $set: set });
    if (res.matchedCount === 0) return null; // Finished (and moved) since the poll read it.
    return { job: { ...job, ...set }, attempt, leaseUntil };
  }

  async function extendLease(jobId: string, attempt: number): Promise<Date> {
    const now = clock();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const res = await Job.updateOne(
      { _id: jobId, attempts: attempt, status: 'running' },
      { $set: { leaseUntil, updatedAt: now } },
    );
    if (res.matchedCount === 0) throw new JobLeaseLostError(jobId, attempt);
    return leaseUntil;
  }

  /**
   * Records a terminal state. The unique insert decides which attempt's outcome stands; a dead record
   * from before `retryDead` is the one exception that a later attempt replaces.
   */
  async function finish(final: JobDoc, attempt: number): Promise<FinishOutcome> {
    let outcome: FinishOutcome = 'recorded';
    try {
      await finishedCollection.insertOne(final);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await FinishedJob.findById(final._id).lean();
      if (existing && existing.status === 'dead' && existing.attempts < attempt) {
        await FinishedJob.replaceOne({ _id: final._id }, final);
      } else {
        outcome = 'superseded';
      }
    }
    await Job.deleteOne({ _id: final._id });
    return outcome;
  }

  async function complete(claim: ClaimedAttempt, result: unknown): Promise<FinishOutcome> {
    const now = clock();
    const final: JobDoc = {
      ...claim.job,
      status: 'completed',
      attempts: claim.attempt,
      leaseUntil: null,
      result: result === undefined ? null : result,
      updatedAt: now,
    };
    try {
      return await finish(final, claim.attempt);
    } catch (err) {
      if (isDuplicateKeyError(err)) throw err;
      // Most likely the result is not storable (a `$` or `.` key, nested arrays, too big): the work is
      // done, so record completion without it rather than run the job again.
      log.error({ err, jobId: claim.job._id }, 'job result could not be stored; completing without it');
      return finish(
        { ...final, result: null, lastError: `result not stored: ${errorMessage(err)}` },
        claim.attempt,
      );
    }
  }

  async function deadLetter(claim: ClaimedAttempt, lastError: string): Promise<FinishOutcome> {
    const final: JobDoc = {
      ...claim.job,
      status: 'dead',
      attempts: claim.attempt,
      leaseUntil: null,
      lastError,
    };
    return finish({ ...final, updatedAt: clock() }, claim.attempt);
  }

  /** Back to pending for a later attempt; false if another attempt owns the job now. */
  async function reschedule(
    claim: ClaimedAttempt,
    change: { runAt: Date; lastError: string; maxAttempts?: number },
  ): Promise<boolean> {
    const now = clock();
    const res = await Job.updateOne(
      { _id: claim.job._id, attempts: claim.attempt, status: 'running' },
      { $set: { status: 'pending', leaseUntil: null, updatedAt: now, ...change } },
    );
    return res.matchedCount > 0;
  }

  function logError(jobId: string) {
    return (err: unknown) => {
      log.error({ err, jobId }, 'job claim bookkeeping failed');
      return null;
    };
  }

  return { claimDue, extendLease, complete, deadLetter, reschedule };
}

export type AttemptStore = ReturnType<typeof createAttemptStore>;

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.length > 2000 ? text.slice(0, 2000) + '…' : text;
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
