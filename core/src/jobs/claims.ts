import type { Model, mongo } from 'mongoose';
import type { Logger } from '../logger';
import { claimId, insertAll, op, withoutUnset, type JobClaimDoc, type JobDoc, type JobModels } from './model';
import type { ClaimedAttempt, OutcomeStore } from './outcomes';
import { type Clock } from '../clock';

/**
 * How a worker wins attempts.
 *
 * Why claims are inserts: FerretDB 1.24 applies an update by reading the document and writing it back
 * whole, so a guard in an update filter (`{status: 'pending'}`) does not stop two workers from both
 * "winning" (FerretDB issue #3040). A unique `_id` insert does. To run attempt N of job J a worker
 * inserts `{_id: "J:N"}` into `job_claims`; the duplicate-key loser skips the job. Only the winner then
 * writes the job — moves it from `queued_jobs` to `active_jobs`, or sets `running`, `attempts: N` and
 * `leaseUntil` on its active document — so that write has one writer and needs no guard.
 *
 * A job is claimable when it is queued and due, pending in `active_jobs` and due (a retry), or running
 * with an expired lease (its worker died or hung). The next claim is always `attempts + 1`, and claim
 * documents are never updated.
 *
 * Liveness when a write goes missing: if a claim winner dies before taking the job over, or a late write
 * from a lost worker reverts the job to an older attempt number, the job looks claimable at attempt N
 * while `J:N` exists. A worker that keeps losing `J:N` for a lease re-reads the claim and the job; if the
 * claim is older than a lease and the job still shows fewer than N attempts, it moves on to N + 1.
 */
export interface ClaimerDeps {
  models: JobModels;
  outcomes: OutcomeStore;
  log: Logger;
  clock: Clock;
  workerId: string;
  leaseMs: number;
}

interface Pick {
  job: JobDoc;
  attempt: number;
}

/** Claimable jobs fetched per claim wanted: spreads competing workers over different jobs. */
const CANDIDATE_FACTOR = 3;
/** Rounds of claim inserts per poll when other workers win the first picks. */
const CLAIM_ROUNDS = 3;

export function createClaimer(deps: ClaimerDeps) {
  const { models, outcomes, log, clock, workerId, leaseMs } = deps;
  const { QueuedJob, ActiveJob, FinishedJob, JobClaim } = models;
  // Raw driver collections for the hot inserts: per-document write errors, no hydration.
  const claimsCollection = JobClaim.collection as unknown as mongo.Collection<JobClaimDoc>;
  const activeCollection = ActiveJob.collection as unknown as mongo.Collection<JobDoc>;
  /** Claim ids this worker lost, and when it first lost each: the ones to suspect after a lease. */
  const lostSince = new Map<string, number>();

  const leaseFrom = (at: Date) => new Date(at.getTime() + leaseMs);
  const typeFilter = (types: string[]) => (types.length === 1 ? types[0] : op({ $in: types }));

  function isClaimable(job: JobDoc, now: Date): boolean {
    if (job.status === 'pending') return job.runAt <= now;
    return job.status === 'running' && !!job.leaseUntil && job.leaseUntil <= now;
  }

  /**
   * Inserts claims for shuffled candidates, in a few rounds, until `max` are won. A lost claim goes to
   * `onLost`, which may hand back a pick for the next attempt number (when the claim is stale).
   */
  async function winClaims(
    candidates: Pick[],
    max: number,
    onLost: (pick: Pick, at: Date) => Promise<Pick | null>,
  ): Promise<Array<Pick & { claimedAt: Date }>> {
    const won: Array<Pick & { claimedAt: Date }> = [];
    let queue = shuffle(candidates);
    for (let round = 0; round < CLAIM_ROUNDS && queue.length > 0 && won.length < max; round++) {
      const picks = queue.slice(0, max - won.length);
      queue = queue.slice(picks.length);
      const claimedAt = clock();
      const claims = picks.map((p) => ({
        _id: claimId(p.job._id, p.attempt),
        jobId: p.job._id,
        attempt: p.attempt,
        workerId,
        claimedAt,
      }));
      const inserted = await insertAll(claimsCollection, claims);
      for (const [i, pick] of picks.entries()) {
        if (inserted[i]) {
          won.push({ ...pick, claimedAt });
          continue;
        }
        const next = await onLost(pick, claimedAt).catch((err: unknown) => {
          log.error({ err, jobId: pick.job._id }, 'checking a lost job claim failed');
          return null;
        });
        if (next) queue.unshift(next);
      }
    }
    return won;
  }

  /** Whether `pick`'s claim was won more than a lease ago by a worker that never took the job over. */
  async function isStaleClaim(pick: Pick, at: Date): Promise<boolean> {
    const id = claimId(pick.job._id, pick.attempt);
    const now = at.getTime();
    // Losing a claim is normally plain contention: another worker has just won it. Only a claim this
    // worker keeps losing for a whole lease is worth a look (an expired lease is rare enough to check).
    if (pick.job.status !== 'running') {
      const since = lostSince.get(id);
      if (since === undefined) {
        if (lostSince.size > 10_000) {
          for (const [key, t] of lostSince) if (now - t > 2 * leaseMs) lostSince.delete(key);
        }
        lostSince.set(id, now);
        return false;
      }
      if (now - since < leaseMs) return false;
    }
    const claim = await JobClaim.findById(id).lean();
    return !!claim && claim.claimedAt.getTime() + leaseMs <= now;
  }

  async function claimFromQueue(types: string[], max: number, now: Date) {
    const limit = max * CANDIDATE_FACTOR;
    // No sort: FerretDB sorts in memory after reading every document, while an unsorted query stops
    // after `limit` matches. Order is therefore roughly FIFO, not strict.
    const docs = await QueuedJob.find({ type: typeFilter(types), runAt: op({ $lte: now }) })
      .limit(limit)
      .lean();
    const picks = docs.map((job) => ({ job, attempt: job.attempts + 1 }));
    const won = await winClaims(picks, max, staleQueued);
    if (won.length === 0) return { claimed: [], more: docs.length >= limit };
    // Active copy first, then the queued one goes: a crash in between duplicates the job, never loses it.
    const updatedAt = clock();
    const active = won.map((w) =>
      withoutUnset({
        ...w.job,
        status: 'running',
        attempts: w.attempt,
        leaseUntil: leaseFrom(w.claimedAt),
        workerId,
        updatedAt,
      }),
    );
    const inserted = await insertAll(activeCollection, active);
    await QueuedJob.bulkWrite(
      won.map((w) => ({ deleteOne: { filter: { _id: w.job._id } } })),
      { ordered: false },
    );
    const claimed: ClaimedAttempt[] = [];
    for (const [i, job] of active.entries()) {
      if (inserted[i]) claimed.push({ job, attempt: job.attempts, leaseUntil: job.leaseUntil! });
      else
        log.warn({ jobId: job._id }, 'claimed a queued job that was already active; dropped the queued copy');
    }
    return { claimed, more: docs.length >= limit };
  }

  async function staleQueued(pick: Pick, at: Date): Promise<Pick | null> {
    if (!(await isStaleClaim(pick, at))) return null;
    const { _id } = pick.job;
    // The winner got as far as the active copy (or the job has even finished since): drop the leftover.
    const [active, finished] = await Promise.all([ActiveJob.exists({ _id }), FinishedJob.exists({ _id })]);
    if (active || finished) {
      await QueuedJob.deleteOne({ _id });
      return null;
    }
    const fresh = await QueuedJob.findById(_id).lean();
    return fresh ? stepPast(fresh, pick.attempt, at, QueuedJob) : null;
  }

  async function claimFromActive(types: string[], max: number, now: Date) {
    const limit = max * CANDIDATE_FACTOR;
    const docs = await ActiveJob.find({
      type: typeFilter(types),
      $or: [
        { status: 'pending', runAt: op({ $lte: now }) },
        { status: 'running', leaseUntil: op({ $lte: now }) },
      ],
    })
      .limit(limit)
      .lean();
    const picks: Pick[] = [];
    for (const job of docs) {
      if (job.attempts < job.maxAttempts) picks.push({ job, attempt: job.attempts + 1 });
      // The final attempt's worker vanished: nothing is left to retry.
      else
        await abandonIfStillExpired(job, now).catch((err: unknown) =>
          log.error({ err, jobId: job._id }, 'dead-lettering an abandoned job failed'),
        );
    }
    const won = await winClaims(picks, max, staleActive);
    const taken = await Promise.all(won.map((w) => takeOverActive(w)));
    return { claimed: taken.filter((t): t is ClaimedAttempt => t !== null), more: docs.length >= limit };
  }

  async function takeOverActive(w: Pick & { claimedAt: Date }): Promise<ClaimedAttempt | null> {
    const { _id } = w.job;
    // Finished, but the worker that recorded it died before removing the active copy. (A finished
    // record older than the active copy is the dead one that `retryDead` is replacing, not the end.)
    const finished = await FinishedJob.findById(_id, { updatedAt: 1 }).lean();
    if (finished && finished.updatedAt >= w.job.updatedAt) {
      await ActiveJob.deleteOne({ _id });
      return null;
    }
    const leaseUntil = leaseFrom(w.claimedAt);
    const now = clock();
    if (now >= leaseUntil) return null; // We stalled past our own lease; the next claimer takes it.
    const set = { status: 'running' as const, attempts: w.attempt, leaseUntil, workerId, updatedAt: now };
    const res = await ActiveJob.updateOne({ _id }, { $set: set });
    if (res.matchedCount === 0) return null; // Finished since the poll read it.
    return { job: { ...w.job, ...set }, attempt: w.attempt, leaseUntil };
  }

  async function staleActive(pick: Pick, at: Date): Promise<Pick | null> {
    if (!(await isStaleClaim(pick, at))) return null;
    const fresh = await ActiveJob.findById(pick.job._id).lean();
    if (!fresh || fresh.attempts >= pick.attempt || !isClaimable(fresh, at)) return null;
    return stepPast(fresh, pick.attempt, at, ActiveJob);
  }

  /** The claim for `attempt` is dead: try the next attempt, or dead-letter if that was the last. */
  async function stepPast(job: JobDoc, attempt: number, at: Date, from: Model<JobDoc>): Promise<Pick | null> {
    log.warn({ jobId: job._id, attempt }, 'job claim was never taken up; moving on to the next attempt');
    if (attempt < job.maxAttempts) return { job, attempt: attempt + 1 };
    await abandon(job, attempt, at, from);
    return null;
  }

  async function abandonIfStillExpired(seen: JobDoc, now: Date): Promise<void> {
    const fresh = await ActiveJob.findById(seen._id).lean();
    if (fresh && isClaimable(fresh, now) && fresh.attempts >= fresh.maxAttempts) {
      await abandon(fresh, fresh.attempts, now, ActiveJob);
    }
  }

  async function abandon(job: JobDoc, attempts: number, now: Date, from: Model<JobDoc>): Promise<void> {
    const lastError = `attempt ${attempts} was lost (lease expired; worker ${job.workerId ?? 'unknown'})`;
    log.warn({ jobId: job._id, type: job.type, attempts }, `job dead-lettered: ${lastError}`);
    const final: JobDoc = { ...job, status: 'dead', attempts, leaseUntil: null, lastError, updatedAt: now };
    await outcomes.finish(final, attempts, from);
  }

  /**
   * Claims up to `max` due jobs of `types`: retries and take-overs first, then fresh jobs. `more` says a
   * poll filled its page, so more work is probably waiting.
   */
  async function claimDue(
    types: string[],
    max: number,
  ): Promise<{ claimed: ClaimedAttempt[]; more: boolean }> {
    const now = clock();
    const retries = await claimFromActive(types, max, now);
    if (retries.claimed.length >= max) return retries;
    const fresh = await claimFromQueue(types, max - retries.claimed.length, now);
    return { claimed: [...retries.claimed, ...fresh.claimed], more: retries.more || fresh.more };
  }

  return { claimDue };
}

export type Claimer = ReturnType<typeof createClaimer>;

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
