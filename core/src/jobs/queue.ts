import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { BadRequestError, ConflictError, NotFoundError, isDuplicateKeyError } from '../errors';
import type { Logger } from '../logger';
import { jobModels, op, toJobRecord, withoutUnset, type JobDoc } from './model';
import type {
  EnqueueOptions,
  EnqueueRequest,
  JobQueue,
  JobRecord,
  JobStatus,
  ListJobsFilter,
  QueueBacklog,
} from './types';
import { type Clock, systemClock } from '../clock';

export const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const PRUNE_CHUNK = 500;

export interface JobQueueDeps {
  connection: Connection;
  log: Logger;
  clock?: Clock;
}

/**
 * The job queue stored in MongoDB/FerretDB (see model.ts for the layout and claims.ts for how workers
 * claim jobs). This side creates, reads and administers jobs; it never runs them.
 */
export function createJobQueue(deps: JobQueueDeps): JobQueue {
  const { connection, log } = deps;
  const clock = deps.clock ?? systemClock;
  const { QueuedJob, ActiveJob, FinishedJob, JobClaim, JobKey } = jobModels(connection);
  const listeners = new Set<() => void>();

  function notifyEnqueued(): void {
    for (const listener of listeners) {
      try {
        listener();
      } catch (err) {
        log.error({ err }, 'job enqueue listener failed');
      }
    }
  }

  function newJobDoc(type: string, payload: unknown, opts: EnqueueOptions = {}): JobDoc {
    if (!type) throw new BadRequestError('job type is required');
    const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
      throw new BadRequestError('maxAttempts must be >= 1');
    if (opts.delayMs !== undefined && !(opts.delayMs >= 0)) throw new BadRequestError('delayMs must be >= 0');
    if (opts.dedupeKey === '') throw new BadRequestError('dedupeKey must not be empty');
    if (opts.runAt && Number.isNaN(opts.runAt.getTime()))
      throw new BadRequestError('runAt is not a valid date');
    const now = clock();
    const dedupeKey = opts.dedupeKey ?? null;
    return {
      _id: dedupeKey === null ? randomUUID() : dedupedJobId(type, dedupeKey),
      type,
      payload: payload === undefined ? null : payload,
      status: 'pending',
      attempts: 0,
      maxAttempts,
      attemptBudget: maxAttempts,
      runAt: opts.runAt ?? new Date(now.getTime() + (opts.delayMs ?? 0)),
      leaseUntil: null,
      workerId: null,
      lastError: null,
      result: null,
      dedupeKey,
      createdAt: now,
      updatedAt: now,
    };
  }

  async function find(id: string): Promise<JobDoc | null> {
    // In the order jobs move (queued → active → finished), and every move inserts before it deletes,
    // so a job in transit is seen at least once. Only retryDead moves backwards; a second look covers it.
    for (let look = 0; look < 2; look++) {
      const doc =
        (await QueuedJob.findById(id).lean()) ??
        (await ActiveJob.findById(id).lean()) ??
        (await FinishedJob.findById(id).lean());
      if (doc) return doc;
    }
    return null;
  }

  async function get(id: string): Promise<JobRecord | null> {
    const doc = await find(id);
    return doc ? toJobRecord(doc) : null;
  }

  /**
   * The key document decides which enqueue creates the job. Its id is the job's id, so a loser can
   * find the job, and recreate it if the winner died between the two inserts (or the job was pruned).
   */
  async function enqueueDeduped<P>(doc: JobDoc, key: string): Promise<JobRecord<P>> {
    try {
      await JobKey.create({ _id: doc._id, type: doc.type, key, createdAt: doc.createdAt });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      for (const waitMs of [0, 50, 200]) {
        if (waitMs) await sleep(waitMs);
        const existing = await get(doc._id);
        if (existing) return existing as JobRecord<P>;
      }
      log.warn({ jobId: doc._id, type: doc.type }, 'dedupe key without a job; creating the job');
    }
    try {
      await QueuedJob.create(withoutUnset(doc));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      const existing = await get(doc._id);
      if (existing) return existing as JobRecord<P>;
      throw err;
    }
    notifyEnqueued();
    return toJobRecord<P>(doc);
  }

  async function enqueue<P>(type: string, payload: P, opts?: EnqueueOptions): Promise<JobRecord<P>> {
    const doc = newJobDoc(type, payload, opts);
    if (doc.dedupeKey) return enqueueDeduped<P>(doc, doc.dedupeKey);
    await QueuedJob.create(withoutUnset(doc));
    notifyEnqueued();
    return toJobRecord<P>(doc);
  }

  async function enqueueMany<P>(requests: EnqueueRequest<P>[]): Promise<JobRecord<P>[]> {
    const docs = requests.map((r) => newJobDoc(r.type, r.payload, r.opts));
    const plain = docs.filter((d) => !d.dedupeKey);
    if (plain.length > 0) await QueuedJob.insertMany(plain.map(withoutUnset));
    const records: JobRecord<P>[] = [];
    for (const doc of docs) {
      records.push(doc.dedupeKey ? await enqueueDeduped<P>(doc, doc.dedupeKey) : toJobRecord<P>(doc));
    }
    if (plain.length > 0) notifyEnqueued();
    return records;
  }

  /** The filter as a query, and the collections that can hold matching jobs. */
  function jobQuery(filter: { status?: JobStatus; type?: string }) {
    const query: { status?: JobStatus; type?: string } = {};
    if (filter.status) query.status = filter.status;
    if (filter.type) query.type = filter.type;
    const where: Record<JobStatus | 'any', Array<typeof ActiveJob>> = {
      pending: [QueuedJob, ActiveJob],
      running: [ActiveJob],
      completed: [FinishedJob],
      dead: [FinishedJob],
      any: [QueuedJob, ActiveJob, FinishedJob],
    };
    return { query, models: where[filter.status ?? 'any'] };
  }

  async function count(filter: { status?: JobStatus; type?: string }): Promise<number> {
    const { query, models } = jobQuery(filter);
    const counts = await Promise.all(models.map((M) => M.countDocuments(query)));
    return counts.reduce((a, b) => a + b, 0);
  }

  async function list(filter: ListJobsFilter): Promise<JobRecord[]> {
    const limit = Math.min(Math.max(Math.trunc(filter.limit ?? DEFAULT_LIST_LIMIT), 1), MAX_LIST_LIMIT);
    const { query, models } = jobQuery(filter);
    const found = await Promise.all(
      models.map((M) => M.find(query).sort({ updatedAt: -1 }).limit(limit).lean()),
    );
    // A job in transit between collections shows once, in its newer state.
    const byId = new Map<string, JobDoc>();
    for (const doc of found.flat()) {
      const seen = byId.get(doc._id);
      if (!seen || seen.updatedAt < doc.updatedAt) byId.set(doc._id, doc);
    }
    return [...byId.values()]
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || a._id.localeCompare(b._id))
      .slice(0, limit)
      .map((d) => toJobRecord(d));
  }

  async function retryDead(id: string): Promise<JobRecord> {
    const dead = await FinishedJob.findById(id).lean();
    if (!dead) {
      const current = await find(id);
      if (current) return toJobRecord(current); // Already retried.
      throw new NotFoundError('Job');
    }
    if (dead.status !== 'dead') throw new ConflictError(`Job ${id} is ${dead.status}, not dead`);
    const now = clock();
    // Attempt numbers name claims, so they keep counting up; the budget is granted on top.
    const revived: JobDoc = {
      ...dead,
      status: 'pending',
      maxAttempts: dead.attempts + dead.attemptBudget,
      runAt: now,
      leaseUntil: null,
      result: null,
      updatedAt: now,
    };
    let concurrentRetry = false;
    try {
      await ActiveJob.create(withoutUnset(revived));
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      concurrentRetry = true; // Another retryDead got there first.
    }
    // Guarded so that a finished record written by the revived job itself is never removed.
    await FinishedJob.deleteOne({ _id: id, status: 'dead', attempts: dead.attempts });
    log.info({ jobId: id, type: dead.type }, 'dead job retried');
    notifyEnqueued();
    return concurrentRetry ? ((await get(id)) ?? toJobRecord(revived)) : toJobRecord(revived);
  }

  function onEnqueued(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  async function pruneClaims(olderThan: Date): Promise<number> {
    const deletable: string[] = [];
    const cursor = JobClaim.find({ claimedAt: op({ $lt: olderThan }) }, { jobId: 1 })
      .lean()
      .cursor({ batchSize: PRUNE_CHUNK });
    let chunk: Array<{ _id: string; jobId: string }> = [];
    const flush = async () => {
      const jobIds = [...new Set(chunk.map((c) => c.jobId))];
      const unfinished = await Promise.all(
        [QueuedJob, ActiveJob].map((M) => M.find({ _id: op({ $in: jobIds }) }, { _id: 1 }).lean()),
      );
      const activeIds = new Set(unfinished.flat().map((j) => j._id));
      for (const c of chunk) if (!activeIds.has(c.jobId)) deletable.push(c._id);
      chunk = [];
    };
    for await (const claim of cursor) {
      chunk.push(claim);
      if (chunk.length >= PRUNE_CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
    let removed = 0;
    for (let i = 0; i < deletable.length; i += PRUNE_CHUNK) {
      const ids = deletable.slice(i, i + PRUNE_CHUNK);
      removed += (await JobClaim.deleteMany({ _id: op({ $in: ids }) })).deletedCount;
    }
    if (removed > 0) log.info({ removed, olderThan }, 'job claims pruned');
    return removed;
  }

  async function pruneFinished(
    olderThan: Date,
    statuses: Array<'completed' | 'dead'> = ['completed'],
  ): Promise<number> {
    const old = await FinishedJob.find(
      { status: op({ $in: statuses }), updatedAt: op({ $lt: olderThan }) },
      { _id: 1 },
    ).lean();
    let removed = 0;
    for (let i = 0; i < old.length; i += PRUNE_CHUNK) {
      const ids = old.slice(i, i + PRUNE_CHUNK).map((d) => d._id);
      // Job, then its claims (a recreated job starts again at attempt 1), then its key: a key left
      // behind by a crash only makes the next enqueue with that key recreate the job.
      removed += (await FinishedJob.deleteMany({ _id: op({ $in: ids }), updatedAt: op({ $lt: olderThan }) }))
        .deletedCount;
      await JobClaim.deleteMany({ jobId: op({ $in: ids }) });
      await JobKey.deleteMany({ _id: op({ $in: ids }) });
    }
    if (removed > 0) log.info({ removed, olderThan, statuses }, 'finished jobs pruned');
    return removed;
  }

  /**
   * One projected read of `queued_jobs` and `active_jobs` (type, status, runAt), counted here: the two
   * collections hold only jobs in flight (finished ones live in `finished_jobs`), and on FerretDB a
   * count or a sorted query would decode the same documents anyway. Callers cache it (metrics scrapes).
   */
  async function backlog(): Promise<QueueBacklog> {
    const now = clock();
    const fields = { type: 1, status: 1, runAt: 1 };
    const [queued, active] = await Promise.all([
      QueuedJob.find({}, fields).lean(),
      ActiveJob.find({}, fields).lean(),
    ]);
    const byType = new Map<string, { due: number; scheduled: number; running: number }>();
    let oldestDue: number | null = null;
    for (const job of [...queued, ...active]) {
      let counts = byType.get(job.type);
      if (!counts) byType.set(job.type, (counts = { due: 0, scheduled: 0, running: 0 }));
      if (job.status === 'running') counts.running++;
      else if (job.runAt <= now) {
        counts.due++;
        oldestDue = Math.min(oldestDue ?? Infinity, job.runAt.getTime());
      } else counts.scheduled++;
    }
    return {
      types: [...byType].map(([type, counts]) => ({ type, ...counts })),
      oldestDueAgeMs: oldestDue === null ? 0 : now.getTime() - oldestDue,
    };
  }

  return {
    enqueue,
    enqueueMany,
    get,
    list,
    count,
    backlog,
    retryDead,
    onEnqueued,
    pruneClaims,
    pruneFinished,
  };
}

/** One job per (type, dedupe key): its id is derived from both, so the key's insert names the job. */
function dedupedJobId(type: string, key: string): string {
  return `dk_${createHash('sha256').update(type).update('\0').update(key).digest('base64url').slice(0, 32)}`;
}
