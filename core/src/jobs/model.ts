import mongoose, { Schema, type Connection, type Model, type mongo } from 'mongoose';
import type { JobRecord, JobStatus } from './types';

/**
 * Storage layout. A job lives in exactly one of three collections at a time (briefly two while it
 * moves: the copy is inserted before the original is deleted, so a crash leaves it duplicated, never lost):
 *
 * - `queued_jobs`: enqueued and never claimed. FIFO; a worker takes a job out with one delete.
 * - `active_jobs`: claimed at least once and not finished: running, waiting for a retry, or given back.
 *   Small: about the number of jobs in flight.
 * - `finished_jobs`: completed and dead. A job enters it by a unique insert, so exactly one attempt's
 *   outcome is recorded even when a lost worker and its successor both finish.
 *
 * Why split: on FerretDB 1.24 (SQLite) only a bare `{_id}` filter uses an index (and only with the
 * launcher's fix, see db/ferretdb.ts); any other filter, such as the poll or an attempt-guarded update
 * (`{_id, attempts}`), decodes documents one by one. The poll reads `queued_jobs` from the front and
 * stops after a page, so it never wades through running, retrying or finished jobs, and guarded updates
 * only ever scan the small `active_jobs`. On MongoDB the split costs nothing.
 *
 * Beside them, `job_claims` holds one immutable document per attempt, `_id: "<jobId>:<attempt>"`:
 * inserting it is how a worker wins that attempt (see claims.ts). `job_keys` holds one document per
 * dedupe key, `_id` = the job id derived from (type, key).
 *
 * No TTL or partial indexes and no transactions (FerretDB): `pruneClaims`/`pruneFinished` clean up.
 */
export interface JobDoc {
  _id: string;
  type: string;
  payload: unknown;
  status: JobStatus;
  /** Highest attempt claimed so far (0 while queued). */
  attempts: number;
  maxAttempts: number;
  /** The `maxAttempts` given at enqueue; `retryDead` grants it again. */
  attemptBudget: number;
  runAt: Date;
  // Absent rather than null while unset: smaller documents scan faster on FerretDB.
  leaseUntil?: Date | null;
  workerId?: string | null;
  lastError?: string | null;
  result?: unknown;
  dedupeKey?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobClaimDoc {
  _id: string;
  jobId: string;
  attempt: number;
  workerId: string;
  claimedAt: Date;
}

export interface JobKeyDoc {
  _id: string;
  type: string;
  key: string;
  createdAt: Date;
}

export interface JobModels {
  QueuedJob: Model<JobDoc>;
  ActiveJob: Model<JobDoc>;
  FinishedJob: Model<JobDoc>;
  JobClaim: Model<JobClaimDoc>;
  JobKey: Model<JobKeyDoc>;
}

const JOB_STATUSES: JobStatus[] = ['pending', 'running', 'completed', 'dead'];

function jobSchema(): Schema<JobDoc> {
  return new Schema<JobDoc>(
    {
      _id: { type: String, required: true },
      type: { type: String, required: true },
      payload: { type: Schema.Types.Mixed },
      status: { type: String, required: true, enum: JOB_STATUSES },
      attempts: { type: Number, required: true, min: 0 },
      maxAttempts: { type: Number, required: true, min: 1 },
      attemptBudget: { type: Number, required: true, min: 1 },
      runAt: { type: Date, required: true },
      leaseUntil: { type: Date },
      workerId: { type: String },
      lastError: { type: String },
      result: { type: Schema.Types.Mixed },
      dedupeKey: { type: String },
      createdAt: { type: Date, required: true },
      updatedAt: { type: Date, required: true },
    },
    { versionKey: false, minimize: false, id: false },
  );
}

const queuedJobSchema = jobSchema();
queuedJobSchema.index({ type: 1, runAt: 1 });

// The two shapes of "claimable" (see claims.ts), so MongoDB answers the poll from indexes.
const activeJobSchema = jobSchema();
activeJobSchema.index({ status: 1, runAt: 1 });
activeJobSchema.index({ status: 1, leaseUntil: 1 });

const finishedJobSchema = jobSchema();
finishedJobSchema.index({ status: 1, updatedAt: -1 });
finishedJobSchema.index({ type: 1, updatedAt: -1 });

const jobClaimSchema = new Schema<JobClaimDoc>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    attempt: { type: Number, required: true },
    workerId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { versionKey: false, id: false },
);
jobClaimSchema.index({ claimedAt: 1 });
jobClaimSchema.index({ jobId: 1 });

const jobKeySchema = new Schema<JobKeyDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true },
    key: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, id: false },
);

function modelOn<T>(connection: Connection, name: string, schema: Schema<T>, collection: string): Model<T> {
  // A queue and a worker (or two queues) may share one connection; register each model once.
  return (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema, collection);
}

export function jobModels(connection: Connection): JobModels {
  return {
    QueuedJob: modelOn(connection, 'QueuedJob', queuedJobSchema, 'queued_jobs'),
    ActiveJob: modelOn(connection, 'ActiveJob', activeJobSchema, 'active_jobs'),
    FinishedJob: modelOn(connection, 'FinishedJob', finishedJobSchema, 'finished_jobs'),
    JobClaim: modelOn(connection, 'JobClaim', jobClaimSchema, 'job_claims'),
    JobKey: modelOn(connection, 'JobKey', jobKeySchema, 'job_keys'),
  };
}

export function claimId(jobId: string, attempt: number): string {
  return `${jobId}:${attempt}`;
}

/**
 * Marks an operator object built by this module as safe, so it survives mongoose's `sanitizeFilter`
 * (which would otherwise wrap it in `$eq`) whether or not the application turns that option on.
 */
export function op<T extends object>(operator: T): T {
  return mongoose.trusted(operator);
}

export function toJobRecord<P = unknown>(doc: JobDoc): JobRecord<P> {
  return {
    id: doc._id,
    type: doc.type,
    payload: (doc.payload ?? null) as P,
    status: doc.status,
    attempts: doc.attempts,
    maxAttempts: doc.maxAttempts,
    runAt: doc.runAt,
    leaseUntil: doc.leaseUntil ?? null,
    lastError: doc.lastError ?? null,
    result: doc.result ?? null,
    workerId: doc.workerId ?? null,
    dedupeKey: doc.dedupeKey ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The document without null or undefined fields (stored absent; `toJobRecord` reads them as null). */
export function withoutUnset(doc: JobDoc): JobDoc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null && v !== undefined)) as JobDoc;
}

/**
 * Inserts the documents in one round trip, tolerating duplicate keys (the losers of claim races);
 * returns which ones went in. Any other write error is thrown.
 */
export async function insertAll<T extends { _id: string }>(
  collection: mongo.Collection<T>,
  docs: T[],
): Promise<boolean[]> {
  const inserted = docs.map(() => true);
  if (docs.length === 0) return inserted;
  try {
    await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: Array<{ index: number; code?: number }> }).writeErrors;
    if (!Array.isArray(writeErrors) || writeErrors.length === 0) throw err;
    for (const e of writeErrors) {
      if (e.code !== 11000) throw err;
      inserted[e.index] = false;
    }
  }
  return inserted;
}
