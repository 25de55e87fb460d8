/**
 * A separate worker process for tests/jobs-multiprocess.test.ts: runs the real job worker against the
 * database named by MONGO_URI and DB_NAME. Run with `node --import tsx tests/support/job-worker-process.ts`.
 *
 * Handlers record each execution as `{_id: "<jobId>:<attempt>", worker}` in `executions`; a second
 * execution of the same attempt would hit the unique `_id` and is recorded in `duplicate_executions`.
 * Prints `{"event":"ready"}` on stdout once it polls; SIGTERM stops it gracefully.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDatabase } from '@market/core/db';
import { isDuplicateKeyError } from '@market/core';
import { createJobQueue, createJobWorker, type JobContext } from '@market/core/jobs';
import { createLogger } from '@market/core/logger';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const workerId = env('WORKER_ID');
const log = createLogger(env('LOG_LEVEL', 'warn'), `job-worker-${workerId}`);
const db = await connectDatabase(env('MONGO_URI'), env('DB_NAME'));
const executions = db.connection.collection<{
  _id: string;
  worker: string;
  jobId: string;
  attempt: number;
  at: Date;
}>('executions');
const duplicates = db.connection.collection('duplicate_executions');

async function recordExecution(ctx: JobContext): Promise<void> {
  try {
    const execution = { worker: workerId, jobId: ctx.jobId, attempt: ctx.attempt, at: new Date() };
    await executions.insertOne({ _id: `${ctx.jobId}:${ctx.attempt}`, ...execution });
  } catch (err) {
    if (isDuplicateKeyError(err))
      await duplicates.insertOne({ key: `${ctx.jobId}:${ctx.attempt}`, worker: workerId });
    throw err;
  }
}

const queue = createJobQueue({ connection: db.connection, log });
const worker = createJobWorker(
  {
    queue,
    connection: db.connection,
    log,
    handlers: {
      'mp.record': async (_payload, ctx) => {
        await recordExecution(ctx);
        return null;
      },
      /**
       * Works (sleeps) for a while on its first attempt only, heartbeating like a real long job, so its
       * lease can only run out if the process dies. A take-over after a crash finishes at once.
       */
      'mp.sleep': async (payload: { firstAttemptMs: number }, ctx) => {
        await recordExecution(ctx);
        const until = Date.now() + (ctx.attempt === 1 ? payload.firstAttemptMs : 0);
        while (Date.now() < until) {
          await sleep(250, undefined, { signal: ctx.signal });
          await ctx.heartbeat();
        }
        return { worker: workerId };
      },
    },
  },
  {
    workerId,
    concurrency: Number(env('CONCURRENCY', '8')),
    claimBatchSize: Number(env('CLAIM_BATCH', '8')),
    pollIntervalMs: Number(env('POLL_MS', '100')),
    leaseMs: Number(env('LEASE_MS', '30000')),
  },
);
worker.start();
process.stdout.write(`${JSON.stringify({ event: 'ready', workerId, pid: process.pid })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await db.close();
    process.exit(0);
  })();
});
