import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '../../../tests/support/clock';
import { openTestDatabase } from '../../../tests/support/database';
import { until } from '../../../tests/support/poll';
import { scaled } from '../../../tests/support/time';
import { createLogger } from '../logger';
import {
  PermanentJobError,
  createJobQueue,
  createJobWorker,
  type JobHandler,
  type JobQueue,
  type JobWorker,
  type WorkerOptions,
} from './index';

// The application may turn mongoose's sanitizeFilter on; the queue's own operators must survive it.
mongoose.set('sanitizeFilter', true);

const log = createLogger(process.env.LOG_LEVEL ?? 'silent', 'jobs-test');
let db: Awaited<ReturnType<typeof openTestDatabase>>;
let queue: JobQueue;
const workers: JobWorker[] = [];

beforeAll(async () => {
  db = await openTestDatabase('jobs');
  queue = createJobQueue({ connection: db.connection, log });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});
afterAll(async () => {
  await db?.close();
});

function startWorker(handlers: Record<string, JobHandler>, opts: WorkerOptions = {}): JobWorker {
  const worker = createJobWorker(
    { queue, connection: db.connection, log, handlers },
    { pollIntervalMs: 50, backoffBaseMs: 20, backoffMaxMs: 200, ...opts },
  );
  worker.start();
  workers.push(worker);
  return worker;
}

// Every 25 ms: some tests act while a job is `running`, a state that lasts only a few hundred ms.
const waitFor = <T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000) =>
  until(probe, scaled(timeoutMs), 'the job state', 25);

const statusIs = (id: string, status: string) => async () => {
  const job = await queue.get(id);
  return job?.status === status ? job : null;
};

describe('job queue', () => {
  it('runs an enqueued job once and stores its result', async () => {
    const runs: number[] = [];
    startWorker({
      'basic.double': async (payload: { n: number }, ctx) => {
        runs.push(ctx.attempt);
        return { doubled: payload.n * 2 };
      },
    });
    const enqueued = await queue.enqueue('basic.double', { n: 21 });
    expect(enqueued).toMatchObject({ status: 'pending', attempts: 0, maxAttempts: 5, payload: { n: 21 } });

    const done = await waitFor(statusIs(enqueued.id, 'completed'));
    expect(done).toMatchObject({ attempts: 1, result: { doubled: 42 }, leaseUntil: null, lastError: null });
    expect(runs).toEqual([1]);
    const listed = await queue.list({ status: 'completed', type: 'basic.double' });
    expect(listed.map((j) => j.id)).toEqual([enqueued.id]);
  });

  it('retries with growing backoff, dead-letters after maxAttempts, and retryDead revives', async () => {
    const attemptTimes: number[] = [];
    let failing = true;
    startWorker(
      {
        'flaky.op': async (_payload, ctx) => {
          attemptTimes.push(Date.now());
          if (failing) throw new Error(`boom ${ctx.attempt}`);
          return 'ok';
        },
      },
      { backoffBaseMs: 100, backoffMaxMs: 1000 },
    );
    const job = await queue.enqueue('flaky.op', {}, { maxAttempts: 3 });
    const dead = await waitFor(statusIs(job.id, 'dead'));
    expect(dead).toMatchObject({ attempts: 3, maxAttempts: 3, lastError: 'boom 3' });
    expect(attemptTimes).toHaveLength(3);
    // Delay before retry n is in [base·2^(n-1)/2, base·2^(n-1)]: at least 50 ms, then 100 ms.
    expect(attemptTimes[1]! - attemptTimes[0]!).toBeGreaterThanOrEqual(45);
    expect(attemptTimes[2]! - attemptTimes[1]!).toBeGreaterThanOrEqual(95);
    expect((await queue.list({ status: 'dead', type: 'flaky.op' })).map((j) => j.id)).toEqual([job.id]);

    failing = false;
    const revived = await queue.retryDead(job.id);
    expect(revived).toMatchObject({ status: 'pending', attempts: 3, maxAttempts: 6 });
    const done = await waitFor(statusIs(job.id, 'completed'));
    expect(done).toMatchObject({ attempts: 4, result: 'ok' });
    expect(await queue.list({ status: 'dead', type: 'flaky.op' })).toEqual([]);
    await expect(queue.retryDead(job.id)).rejects.toThrow(/not dead/);
  });

  it('runs a revived job even if retryDead stopped before removing the dead record', async () => {
    let fail = true;
    startWorker({
      'revive.op': async () => {
        if (fail) throw new PermanentJobError('not yet');
        return 'revived';
      },
    });
    const job = await queue.enqueue('revive.op', {});
    await waitFor(statusIs(job.id, 'dead'));
    // What retryDead does first — a pending copy with a fresh budget — without its second step.
    const dead = await db.connection
      .collection<{ _id: string; attempts: number }>('finished_jobs')
      .findOne({ _id: job.id });
    const now = new Date();
    fail = false;
    await db.connection.collection<{ _id: string; [field: string]: unknown }>('active_jobs').insertOne({
      ...dead!,
      status: 'pending',
      maxAttempts: dead!.attempts + 5,
      runAt: now,
      updatedAt: now,
    });
    await waitFor(statusIs(job.id, 'completed'));
    expect(await queue.get(job.id)).toMatchObject({ attempts: 2, result: 'revived' });
  });

  it('sends a PermanentJobError straight to dead', async () => {
    let runs = 0;
    startWorker({
      'perm.op': async () => {
        runs++;
        throw new PermanentJobError('payload refers to a deleted product');
      },
    });
    const job = await queue.enqueue('perm.op', { productId: 'gone' });
    const dead = await waitFor(statusIs(job.id, 'dead'));
    expect(dead).toMatchObject({ attempts: 1, lastError: 'payload refers to a deleted product' });
    await sleep(200);
    expect(runs).toBe(1);
  });

  it('dedupes by key: concurrent and later enqueues return the one job', async () => {
    let runs = 0;
    const [a, b] = await Promise.all([
      queue.enqueue('dedupe.op', { v: 1 }, { dedupeKey: 'product-7' }),
      queue.enqueue('dedupe.op', { v: 2 }, { dedupeKey: 'product-7' }),
    ]);
    expect(a.id).toBe(b.id);
    const other = await queue.enqueue('dedupe.other', {}, { dedupeKey: 'product-7' });
    expect(other.id).not.toBe(a.id);

    startWorker({ 'dedupe.op': async () => ++runs });
    await waitFor(statusIs(a.id, 'completed'));
    const again = await queue.enqueue('dedupe.op', { v: 3 }, { dedupeKey: 'product-7' });
    expect(again).toMatchObject({ id: a.id, status: 'completed' });
    await sleep(200);
    expect(runs).toBe(1);

    // Pruning the finished job frees its key.
    expect(await queue.pruneFinished(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    const fresh = await queue.enqueue('dedupe.op', { v: 4 }, { dedupeKey: 'product-7' });
    expect(fresh).toMatchObject({ id: a.id, status: 'pending', payload: { v: 4 } });
    await waitFor(statusIs(a.id, 'completed'));
    expect(runs).toBe(2);
  });

  it('does not run a delayed job early', async () => {
    // Queue and worker on a clock that stands still until the test moves it.
    const clock = createTestClock();
    clock.freeze();
    const timedQueue = createJobQueue({ connection: db.connection, log, clock: clock.now });
    let ranAt = 0;
    const worker = createJobWorker(
      {
        queue: timedQueue,
        connection: db.connection,
        log,
        clock: clock.now,
        handlers: {
          'delayed.op': async () => {
            ranAt = clock.now().getTime();
          },
          'delayed.marker': async () => null,
        },
      },
      { pollIntervalMs: 50 },
    );
    worker.start();
    workers.push(worker);
    const runAt = new Date(clock.now().getTime() + 60_000);
    const job = await timedQueue.enqueue('delayed.op', {}, { runAt });
    // A job enqueued after it has run: the worker has polled past the delayed one and left it.
    const marker = await timedQueue.enqueue('delayed.marker', {});
    await waitFor(statusIs(marker.id, 'completed'));
    clock.advance(59_999);
    const marker2 = await timedQueue.enqueue('delayed.marker', {});
    await waitFor(statusIs(marker2.id, 'completed'));
    expect((await queue.get(job.id))?.status).toBe('pending');
    expect(ranAt).toBe(0);
    clock.advance(1);
    await waitFor(statusIs(job.id, 'completed'));
    expect(ranAt).toBe(runAt.getTime());
  });

  it('leaves job types without a handler for other workers', async () => {
    startWorker({ 'known.op': async () => null });
    const unknown = await queue.enqueue('unknown.op', {});
    const known = await queue.enqueue('known.op', {});
    await waitFor(statusIs(known.id, 'completed'));
    await sleep(200);
    expect(await queue.get(unknown.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('gives a job whose worker died to another worker as attempt 2, after the lease', async () => {
    let releaseStuck!: () => void;
    const stuck = new Promise<void>((resolve) => (releaseStuck = resolve));
    // Worker A claims the job and then hangs, ignoring its abort signal, like a frozen process.
    startWorker(
      { 'lease.op': async () => stuck.then(() => 'from A') },
      { workerId: 'A', leaseMs: 600, concurrency: 1 },
    );
    const job = await queue.enqueue('lease.op', {});
    const running = await waitFor(statusIs(job.id, 'running'));
    expect(running).toMatchObject({ attempts: 1, workerId: 'A' });

    let bStartedAt = 0;
    startWorker(
      {
        'lease.op': async (_p, ctx) => {
          bStartedAt = Date.now();
          return `from B, attempt ${ctx.attempt}`;
        },
      },
      { workerId: 'B', leaseMs: 600 },
    );
    const done = await waitFor(statusIs(job.id, 'completed'));
    // Not before A's lease ran out (A hangs and never extends it).
    expect(bStartedAt).toBeGreaterThanOrEqual(running.leaseUntil!.getTime());
    expect(done).toMatchObject({ attempts: 2, workerId: 'B', result: 'from B, attempt 2' });

    // A finally finishes: its outcome must not replace attempt 2's.
    releaseStuck();
    await sleep(300);
    expect(await queue.get(job.id)).toMatchObject({
      attempts: 2,
      workerId: 'B',
      result: 'from B, attempt 2',
    });
  });

  it('dead-letters a job whose final attempt was lost', async () => {
    const hang = new Promise<never>(() => undefined);
    startWorker({ 'lost.op': () => hang }, { workerId: 'A', leaseMs: 300, concurrency: 1, stopGraceMs: 50 });
    const job = await queue.enqueue('lost.op', {}, { maxAttempts: 1 });
    await waitFor(statusIs(job.id, 'running'));
    startWorker({ 'lost.op': async () => 'never runs' }, { workerId: 'B', leaseMs: 300 });
    const dead = await waitFor(statusIs(job.id, 'dead'));
    expect(dead).toMatchObject({ attempts: 1, lastError: expect.stringContaining('attempt 1 was lost') });
  });

  it('moves past a claim whose winner died before taking the job over', async () => {
    const job = await queue.enqueue('orphan.op', {});
    // A worker won attempt 1 a minute ago and died before moving the job out of the queue.
    await db.connection
      .collection<{ _id: string; jobId: string; attempt: number; workerId: string; claimedAt: Date }>(
        'job_claims',
      )
      .insertOne({
        _id: `${job.id}:1`,
        jobId: job.id,
        attempt: 1,
        workerId: 'ghost',
        claimedAt: new Date(Date.now() - 60_000),
      });
    const attempts: number[] = [];
    startWorker({ 'orphan.op': async (_payload, ctx) => attempts.push(ctx.attempt) }, { leaseMs: 300 });
    const done = await waitFor(statusIs(job.id, 'completed'));
    expect(done.attempts).toBe(2);
    expect(attempts).toEqual([2]);
  });

  it('keeps the lease of a long job that heartbeats', async () => {
    // Long enough that a busy machine does not miss a heartbeat; the job runs for several of them.
    const leaseMs = scaled(1_500);
    const runsBy: string[] = [];
    const handler =
      (name: string): JobHandler =>
      async (_payload, ctx) => {
        runsBy.push(name);
        const started = Date.now();
        while (Date.now() - started < 3 * leaseMs) {
          await sleep(100);
          await ctx.heartbeat();
        }
        return name;
      };
    startWorker({ 'long.op': handler('A') }, { workerId: 'A', leaseMs });
    const job = await queue.enqueue('long.op', {});
    await waitFor(statusIs(job.id, 'running'));
    startWorker({ 'long.op': handler('B') }, { workerId: 'B', leaseMs });
    const done = await waitFor(statusIs(job.id, 'completed'));
    expect(done).toMatchObject({ attempts: 1, result: 'A' });
    expect(runsBy).toEqual(['A']);
  });

  it('stop() waits for running handlers', async () => {
    let finished = false;
    const worker = startWorker({
      'stop.op': async () => {
        await sleep(300);
        finished = true;
        return 'done';
      },
    });
    const job = await queue.enqueue('stop.op', {});
    await waitFor(statusIs(job.id, 'running'));
    await worker.stop();
    expect(finished).toBe(true);
    expect(await queue.get(job.id)).toMatchObject({ status: 'completed', result: 'done' });
  });

  it('stop() aborts handlers after the grace period and gives their jobs back', async () => {
    const worker = startWorker(
      {
        'abort.op': (_payload, ctx) =>
          new Promise((_resolve, reject) =>
            ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
          ),
      },
      { stopGraceMs: 200 },
    );
    const job = await queue.enqueue('abort.op', {}, { maxAttempts: 2 });
    await waitFor(statusIs(job.id, 'running'));
    const started = Date.now();
    await worker.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    // Given back without spending the budget: one more attempt allowed.
    expect(await queue.get(job.id)).toMatchObject({ status: 'pending', attempts: 1, maxAttempts: 3 });
  });

  it('two workers in one process never run one attempt twice', async () => {
    const runs = new Map<string, number>();
    const handler: JobHandler = async (_payload, ctx) => {
      const key = `${ctx.jobId}:${ctx.attempt}`;
      runs.set(key, (runs.get(key) ?? 0) + 1);
    };
    startWorker({ 'race.op': handler }, { workerId: 'A', concurrency: 4 });
    startWorker({ 'race.op': handler }, { workerId: 'B', concurrency: 4 });
    const jobs = await queue.enqueueMany(
      Array.from({ length: 150 }, (_, i) => ({ type: 'race.op', payload: { i } })),
    );
    await waitFor(async () => (await queue.count({ status: 'completed', type: 'race.op' })) === 150, 30_000);
    expect(new Set(runs.keys())).toEqual(new Set(jobs.map((j) => `${j.id}:1`)));
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('prunes claims of finished jobs only', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    startWorker({ 'prune.op': async () => gate });
    const job = await queue.enqueue('prune.op', {});
    await waitFor(statusIs(job.id, 'running'));
    const claims = db.connection.collection('job_claims');
    await queue.pruneClaims(new Date(Date.now() + 1000));
    expect(await claims.countDocuments({ jobId: job.id })).toBe(1);
    release();
    await waitFor(statusIs(job.id, 'completed'));
    expect(await queue.pruneClaims(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await claims.countDocuments({ jobId: job.id })).toBe(0);
  });
});
