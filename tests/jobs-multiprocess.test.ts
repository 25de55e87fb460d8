import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJobQueue, type JobQueue } from '@market/core/jobs';
import { createLogger } from '@market/core/logger';
import { openTestDatabase } from './support/database';
import { waitWhileProgressing } from './support/process';
import { scaled } from './support/time';

/**
 * The job queue's claims are a database invariant, not an in-process lock: two separate worker
 * processes share one database and must never run one attempt twice.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'jobs-multiprocess-test');

interface Execution {
  _id: string;
  worker: string;
  jobId: string;
  attempt: number;
  at: Date;
}

interface WorkerProcess {
  id: string;
  child: ChildProcess;
  exited: Promise<void>;
}

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let queue: JobQueue;
const processes: WorkerProcess[] = [];

beforeAll(async () => {
  db = await openTestDatabase('jobsmp');
  queue = createJobQueue({ connection: db.connection, log });
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map(stopWorker));
});
afterAll(async () => {
  await db?.close();
});

function spawnWorker(id: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/job-worker-process.ts'], {
    cwd: repoRoot,
    env: { ...process.env, MONGO_URI: inject('mongoUri'), DB_NAME: db.dbName, WORKER_ID: id, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker = { id, child, exited };
  processes.push(worker);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${id} did not start`)), scaled(30_000));
    child.once('exit', (code) => reject(new Error(`worker ${id} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"event":"ready"')) {
        clearTimeout(timer);
        resolve(worker);
      } else if (line.trim()) {
        console.log(`[worker ${id}] ${line}`);
      }
    });
  });
}

async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  const stopped = await Promise.race([worker.exited.then(() => true), sleep(15_000, false)]);
  if (!stopped) worker.child.kill('SIGKILL');
}

async function waitFor(probe: () => Promise<boolean>, quietMs: number, what: string): Promise<void> {
  const timeoutMs = scaled(quietMs);
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

const executions = () => db.connection.collection<Execution>('executions');

describe('job queue across worker processes', () => {
  it(
    'runs 3000 jobs, each attempt exactly once, spread over two processes',
    async () => {
      const JOBS = 3000;
      const started = Date.now();
      // The database serialises writes, so more handlers per process barely help (measured: 4 → 16 saves ~10 %).
      const tuning = { CONCURRENCY: '16', CLAIM_BATCH: '8' };
      await Promise.all([spawnWorker('A', tuning), spawnWorker('B', tuning)]);
      const ready = Date.now();

      const ids: string[] = [];
      for (let i = 0; i < JOBS; i += 500) {
        const batch = Array.from({ length: Math.min(500, JOBS - i) }, (_, k) => ({
          type: 'mp.record',
          payload: { n: i + k },
        }));
        ids.push(...(await queue.enqueueMany(batch)).map((j) => j.id));
      }
      const enqueued = Date.now();

      // Two busy cores may take minutes; what must not happen is that the completed count stops moving.
      await waitWhileProgressing(async () => {
        const completed = await queue.count({ type: 'mp.record', status: 'completed' });
        return { progress: completed, result: completed === JOBS ? completed : null };
      }, 'jobs completed');
      const finished = Date.now();

      const runs = await executions()
        .find({ jobId: { $in: ids } })
        .toArray();
      const attemptsAbove1 = runs.filter((r) => r.attempt !== 1);
      const byWorker: Record<string, number> = {};
      for (const r of runs) byWorker[r.worker] = (byWorker[r.worker] ?? 0) + 1;
      console.log(
        `3000 jobs: workers ready in ${ready - started} ms, enqueued in ${enqueued - ready} ms, ` +
          `all completed ${finished - enqueued} ms later; A ran ${byWorker.A ?? 0}, B ran ${byWorker.B ?? 0}`,
      );

      expect(await db.connection.collection('duplicate_executions').countDocuments()).toBe(0);
      expect(await queue.count({ type: 'mp.record' })).toBe(JOBS);
      expect(await queue.count({ type: 'mp.record', status: 'completed' })).toBe(JOBS);
      // Leases are 30 s and handlers take milliseconds, so no job should have needed a second attempt.
      expect(attemptsAbove1).toEqual([]);
      expect(runs).toHaveLength(JOBS);
      expect(new Set(runs.map((r) => r.jobId))).toEqual(new Set(ids));
      expect(byWorker.A).toBeGreaterThan(JOBS / 10);
      expect(byWorker.B).toBeGreaterThan(JOBS / 10);
    },
    scaled(600_000),
  );

  it(
    'a job whose worker process is SIGKILLed is taken over by the other process after the lease',
    async () => {
      // Long enough that a live worker on a busy machine never misses it, short enough to wait out.
      const LEASE_MS = scaled(6_000);
      const a = await spawnWorker('A', { LEASE_MS: String(LEASE_MS) });
      const job = await queue.enqueue('mp.sleep', { firstAttemptMs: 60_000 });
      await waitFor(
        async () => (await executions().countDocuments({ _id: `${job.id}:1` })) === 1,
        10_000,
        'A to start',
      );
      const firstLease = (await queue.get(job.id))!.leaseUntil!;
      await spawnWorker('B', { LEASE_MS: String(LEASE_MS) });
      // A heartbeats while it lives, so B cannot have it even once the lease A first got has run out.
      await waitFor(
        async () => Date.now() > firstLease.getTime() + 500,
        LEASE_MS * 2,
        'the first lease to end',
      );
      const held = await queue.get(job.id);
      expect(held).toMatchObject({ status: 'running', attempts: 1, workerId: 'A' });
      expect(held!.leaseUntil!.getTime()).toBeGreaterThan(firstLease.getTime());
      const leaseAtKill = (await queue.get(job.id))!.leaseUntil!;
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      await a.exited;

      await waitFor(async () => (await queue.get(job.id))?.status === 'completed', 20_000, 'B to take over');
      const done = await queue.get(job.id);
      expect(done).toMatchObject({ attempts: 2, workerId: 'B', result: { worker: 'B' } });
      const runs = await executions().find({ jobId: job.id }).sort({ attempt: 1 }).toArray();
      expect(runs.map((r) => [r.attempt, r.worker])).toEqual([
        [1, 'A'],
        [2, 'B'],
      ]);
      // B only took over once the lease from A's last heartbeat had run out (A may have extended it once more
      // between the read and the kill, which only moves the take-over later).
      expect(runs[1]!.at.getTime()).toBeGreaterThanOrEqual(leaseAtKill.getTime());
      console.log(`SIGKILLed worker's job taken over ${runs[1]!.at.getTime() - killedAt} ms after the kill`);
    },
    scaled(120_000),
  );
});
