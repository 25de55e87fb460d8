import type { Logger } from '../logger';

export type JobStatus = 'pending' | 'running' | 'completed' | 'dead';

/** A job as callers see it. `attempts` counts claims, including one whose worker died mid-run. */
export interface JobRecord<P = unknown> {
  id: string;
  type: string;
  payload: P;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  result: unknown;
  /** The worker holding (or that last held) the job; null before the first claim. */
  workerId: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first run; a retry or a take-over after a lost worker has a higher number. */
  attempt: number;
  /** The attempt after which a failure dead-letters the job (`attempt >= maxAttempts` is the last try). */
  maxAttempts: number;
  /**
   * Aborted when the worker stops (after its grace period), when the lease runs out without a
   * heartbeat, or when another attempt took the job over. A handler should stop early when it fires.
   */
  signal: AbortSignal;
  /**
   * Extends this attempt's lease to `leaseMs` from now. Call it at least every `leaseMs / 3` while
   * a handler runs long. Rejects with `JobLeaseLostError` (and aborts `signal`) if the job has been
   * taken over by another attempt; the handler should then give up.
   */
  heartbeat(): Promise<void>;
  log: Logger;
}

/**
 * Runs one attempt of a job. Delivery is at-least-once: a job can run again after a worker dies, a
 * lease runs out or a result fails to save, so a handler must be idempotent — make its side effects
 * unique-keyed (e.g. insert `{_id: "<jobId>:<something>"}`) or check-before-write.
 * Throw `PermanentJobError` for failures that retrying cannot fix; any other error is retried with
 * exponential backoff until `maxAttempts`, after which the job is dead-lettered (status `dead`).
 * The resolved value is stored as the job's `result`: keep it small and plain (no `$`/`.` in keys,
 * no nested arrays, no NaN).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handlers are registered by type name, payloads vary
export type JobHandler<P = any> = (payload: P, ctx: JobContext) => Promise<unknown>;

export interface EnqueueOptions {
  /** Do not run before this time. */
  runAt?: Date;
  /** Do not run before now + delayMs (ignored when `runAt` is given). */
  delayMs?: number;
  /** Attempts before the job is dead-lettered; default 5. */
  maxAttempts?: number;
  /**
   * At most one job per (type, dedupeKey) ever exists, until `pruneFinished` removes it: enqueueing the
   * same key again returns the existing job, whatever its status.
   */
  dedupeKey?: string;
}

export interface EnqueueRequest<P = unknown> {
  type: string;
  payload: P;
  opts?: EnqueueOptions;
}

export interface QueueBacklog {
  /** Per type: pending and due, pending for later, running. */
  types: Array<{ type: string; due: number; scheduled: number; running: number }>;
  /** How long the longest-waiting due job has been due; 0 when none is. */
  oldestDueAgeMs: number;
}

export interface ListJobsFilter {
  status?: JobStatus;
  type?: string;
  /** Default 100, at most 1000. Newest (by `updatedAt`) first. */
  limit?: number;
}

/**
 * The durable job queue port: jobs live in the document store, so they survive restarts and are shared
 * by every process connected to it. Workers (`createJobWorker`) claim them with leases.
 */
export interface JobQueue {
  enqueue<P>(type: string, payload: P, opts?: EnqueueOptions): Promise<JobRecord<P>>;
  /** Many jobs in one round trip (requests with a `dedupeKey` still go one by one). Order is kept. */
  enqueueMany<P>(requests: EnqueueRequest<P>[]): Promise<JobRecord<P>[]>;
  get(id: string): Promise<JobRecord | null>;
  list(filter: ListJobsFilter): Promise<JobRecord[]>;
  /** How many jobs match (e.g. the dead-letter count for a dashboard). */
  count(filter: { status?: JobStatus; type?: string }): Promise<number>;
  /** Unfinished jobs by type and how long the oldest due one has waited (metrics; a full read). */
  backlog(): Promise<QueueBacklog>;
  /** Moves a dead job back to pending, now, with a fresh budget of its original `maxAttempts`. */
  retryDead(id: string): Promise<JobRecord>;
  /** Called by enqueue in the same process so a local worker picks work up without waiting for its poll. */
  onEnqueued(listener: () => void): () => void;
  /**
   * Deletes attempt claims taken before `olderThan` whose job has finished (completed, dead or
   * pruned). There are no TTL indexes on FerretDB, so a periodic job calls this; keep `olderThan`
   * well past the longest lease (an hour or more). Returns the number removed.
   */
  pruneClaims(olderThan: Date): Promise<number>;
  /**
   * Deletes finished jobs last updated before `olderThan` (completed only, unless `statuses` says
   * otherwise) and frees their dedupe keys. Returns the number removed.
   */
  pruneFinished(olderThan: Date, statuses?: Array<'completed' | 'dead'>): Promise<number>;
}

export interface WorkerOptions {
  /** Recorded on claims and jobs; default `<hostname>:<pid>:<random>`. */
  workerId?: string;
  /** Handlers running at once in this process; default 4. */
  concurrency?: number;
  /** At most this many jobs are claimed per poll; default 8. */
  claimBatchSize?: number;
  /** Idle poll period; default 500 ms. A local enqueue wakes the worker at once. */
  pollIntervalMs?: number;
  /** How long a claim holds without a heartbeat; default 30 s. */
  leaseMs?: number;
  /** First retry delay; doubles per attempt, with jitter; default 1 s. */
  backoffBaseMs?: number;
  /** Longest retry delay; default 5 min. */
  backoffMaxMs?: number;
  /** Only these types (further limited to the types with a handler); default all handled types. */
  types?: string[];
  /** How long `stop()` lets running handlers finish before aborting their signals; default 10 s. */
  stopGraceMs?: number;
}

/** How an attempt ended: `given_back` = returned without spending the budget (shutdown, store outage). */
export type AttemptOutcome = 'completed' | 'retried' | 'dead' | 'given_back';

export interface JobWorkerStatus {
  state: 'idle' | 'running' | 'stopping';
  /** When the poll loop last went round; it naps while every slot is busy. */
  lastTickAt: Date;
  running: number;
  concurrency: number;
  /** Polls failed in a row (the store is unreachable or erroring). */
  pollFailures: number;
}

export interface JobWorker {
  start(): void;
  status(): JobWorkerStatus;
  /**
   * Stops claiming and waits for running handlers. After `stopGraceMs` their signals abort; a handler
   * that ends because of that gives its job back (pending, the attempt not counted against the budget).
   */
  stop(): Promise<void>;
}
