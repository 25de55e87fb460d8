import type { Model, mongo } from 'mongoose';
import { isDuplicateKeyError } from '../errors';
import type { Logger } from '../logger';
import { JobLeaseLostError } from './errors';
import { insertAll, op, withoutUnset, type JobDoc, type JobModels } from './model';
import { type Clock } from '../clock';

/** An attempt this worker won (see claims.ts). */
export interface ClaimedAttempt {
  /** The job as of the claim (payload, type and budget do not change while it is held). */
  job: JobDoc;
  attempt: number;
  leaseUntil: Date;
}

export type FinishOutcome = 'recorded' | 'superseded';

/** Most completions written in one round trip. */
const COMPLETION_BATCH = 64;

export interface OutcomeStoreDeps {
  models: JobModels;
  log: Logger;
  clock: Clock;
  leaseMs: number;
}

/**
 * What an attempt writes after it has won its claim: lease extensions, retries, and the final outcome.
 *
 * Terminal outcomes (completed, dead) are a unique insert into `finished_jobs`, so a lost worker and its
 * successor cannot both record one. Retries and heartbeats are updates of the small `active_jobs`
 * document guarded by the attempt number: atomic on MongoDB, best effort on FerretDB (which applies an
 * update by reading and rewriting the document), where a reverted attempt number cannot wedge the job
 * because claimers step past stale claims (claims.ts).
 */
export function createOutcomeStore(deps: OutcomeStoreDeps) {
  const { models, log, clock, leaseMs } = deps;
  const { ActiveJob, FinishedJob } = models;
  const finishedCollection = FinishedJob.collection as unknown as mongo.Collection<JobDoc>;

  /**
   * What to do when a job already has a finished record: the unique insert decides which attempt's
   * outcome stands. Our own record (a retried write) counts as recorded; a dead record from before
   * `retryDead` is the one thing a later attempt replaces.
   */
  async function resolveDuplicate(final: JobDoc, attempt: number): Promise<FinishOutcome> {
    const existing = await FinishedJob.findById(final._id).lean();
    if (!existing) return 'superseded';
    if (existing.attempts === attempt && existing.status === final.status) return 'recorded';
    if (existing.status === 'dead' && existing.attempts < attempt) {
      await FinishedJob.replaceOne({ _id: final._id }, withoutUnset(final));
      return 'recorded';
    }
    return 'superseded';
  }

  /**
   * Records a terminal state, then removes the job from `from`. Once any outcome is recorded the job
   * is over, so its unfinished copy goes either way.
   */
  async function finish(
    final: JobDoc,
    attempt: number,
    from: Model<JobDoc> = ActiveJob,
  ): Promise<FinishOutcome> {
    let outcome: FinishOutcome = 'recorded';
    try {
      await finishedCollection.insertOne(withoutUnset(final));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      outcome = await resolveDuplicate(final, attempt);
    }
    await from.deleteOne({ _id: final._id });
    return outcome;
  }

  function completedDoc(claim: ClaimedAttempt, result: unknown): JobDoc {
    return {
      ...claim.job,
      status: 'completed',
      attempts: claim.attempt,
      leaseUntil: null,
      result: result === undefined ? null : result,
      updatedAt: clock(),
    };
  }

  /** One completion, written alone; also the fallback when a batch fails. */
  async function completeOne(claim: ClaimedAttempt, result: unknown): Promise<FinishOutcome> {
    const final = completedDoc(claim, result);
    try {
      return await finish(final, claim.attempt);
    } catch (err) {
      if (!isRejectedDocument(err)) throw err;
      // The result is not storable (a `$` or `.` key, nested arrays, too big): the work is done, so
      // record completion without it rather than run the job again.
      log.error({ err, jobId: claim.job._id }, 'job result could not be stored; completing without it');
      return finish(
        { ...final, result: null, lastError: `result not stored: ${errorMessage(err)}` },
        claim.attempt,
      );
    }
  }

  interface PendingCompletion {
    claim: ClaimedAttempt;
    result: unknown;
    resolve: (outcome: FinishOutcome) => void;
    reject: (err: unknown) => void;
  }
  const pending: PendingCompletion[] = [];
  let draining = false;

  /**
   * Records a completion. Completions are written in batches: whatever finished while the previous
   * batch was being written goes in one insert into `finished_jobs` and one delete from `active_jobs`.
   * The database serialises writes (FerretDB on SQLite most of all), so under load this cuts the
   * writes per job; when idle a batch is a single completion written at once.
   */
  function complete(claim: ClaimedAttempt, result: unknown): Promise<FinishOutcome> {
    return new Promise((resolve, reject) => {
      pending.push({ claim, result, resolve, reject });
      if (!draining) void drainCompletions();
    });
  }

  async function drainCompletions(): Promise<void> {
    draining = true;
    while (pending.length > 0) {
      const batch = pending.splice(0, COMPLETION_BATCH);
      try {
        const outcomes = await writeCompletions(batch);
        batch.forEach((c, i) => c.resolve(outcomes[i]!));
      } catch (err) {
        log.warn({ err, size: batch.length }, 'batched job completion failed; writing them one by one');
        await Promise.all(batch.map((c) => completeOne(c.claim, c.result).then(c.resolve, c.reject)));
      }
    }
    draining = false;
  }

  async function writeCompletions(batch: PendingCompletion[]): Promise<FinishOutcome[]> {
    const finals = batch.map((c) => completedDoc(c.claim, c.result));
    const inserted = await insertAll(finishedCollection, finals.map(withoutUnset));
    const outcomes = await Promise.all(
      finals.map((final, i) => (inserted[i] ? 'recorded' : resolveDuplicate(final, batch[i]!.claim.attempt))),
    );
    const ids = finals.map((f) => f._id);
    await ActiveJob.deleteMany({ _id: ids.length === 1 ? ids[0] : op({ $in: ids }) });
    return outcomes;
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
    const res = await ActiveJob.updateOne(
      { _id: claim.job._id, attempts: claim.attempt, status: 'running' },
      { $set: { status: 'pending', leaseUntil: null, updatedAt: clock(), ...change } },
    );
    return res.matchedCount > 0;
  }

  async function extendLease(jobId: string, attempt: number): Promise<Date> {
    const now = clock();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const res = await ActiveJob.updateOne(
      { _id: jobId, attempts: attempt, status: 'running' },
      { $set: { leaseUntil, updatedAt: now } },
    );
    if (res.matchedCount === 0) throw new JobLeaseLostError(jobId, attempt);
    return leaseUntil;
  }

  return { finish, complete, deadLetter, reschedule, extendLease };
}

export type OutcomeStore = ReturnType<typeof createOutcomeStore>;

/** The server (or the BSON encoder) refused the document itself, as opposed to a failed round trip. */
function isRejectedDocument(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, name } = err as { code?: unknown; name?: unknown };
  return (typeof code === 'number' && code !== 11000) || name === 'BSONError';
}

export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}
