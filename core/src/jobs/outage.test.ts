import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/support/process';
import { connectDatabase, type Database } from '../db/database';
import { ensureFerretDbBinary } from '../db/ferretdb';
import { createStoreHealth, type StoreHealth } from '../db/store-health';
import { superviseFerretDb, type SupervisedFerretDb } from '../db/supervisor';
import { createLogger } from '../logger';
import { createJobQueue, createJobWorker, type AttemptOutcome } from './index';

/**
 * The job worker across a store outage: its own supervised FerretDB is killed while jobs run. Attempts
 * that fail because the store is gone are given back without spending budget, polling pauses, and every
 * job completes once the store is back: nothing is dead-lettered, the loop never dies.
 */
const log = createLogger(process.env.LOG_LEVEL ?? 'silent', 'jobs-outage-test');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-jobs-outage-'));
let store: SupervisedFerretDb;
let db: Database;
let health: StoreHealth;

beforeAll(async () => {
  const binary = await ensureFerretDbBinary(path.resolve('.tools'), log);
  store = await superviseFerretDb({ binary, dataDir, log, initialBackoffMs: 300 });
  db = await connectDatabase(store.uri, 'jobs_outage', log);
  health = createStoreHealth({ connection: db.connection, log, supervisor: store });
});

afterAll(async () => {
  health?.close();
  await db?.close();
  await store?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('job worker during a store outage', () => {
  it('gives attempts back, pauses polling and finishes every job once the store returns', async () => {
    const queue = createJobQueue({ connection: db.connection, log });
    const outcomes: AttemptOutcome[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const worker = createJobWorker(
      {
        queue,
        connection: db.connection,
        log,
        store: health,
        onAttempt: (e) => outcomes.push(e.outcome),
        handlers: {
          // Waits for the outage, then needs the store.
          'outage.write': async (payload: { n: number }) => {
            started++;
            await gate;
            await db.connection
              .collection('outage_marks')
              .updateOne({ _id: `m${payload.n}` as never }, { $set: { done: true } }, { upsert: true });
          },
        },
      },
      { pollIntervalMs: 50, concurrency: 4, backoffBaseMs: 50, backoffMaxMs: 200, leaseMs: 20_000 },
    );
    const jobs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) => queue.enqueue('outage.write', { n }, { maxAttempts: 2 })),
    );
    worker.start();
    try {
      await waitFor(async () => started >= 4, 10_000, 'four attempts running');
      const down = new Promise<void>((resolve) => {
        const off = health.onChange((up) => !up && (off(), resolve()));
      });
      process.kill(store.status().pid!, 'SIGKILL');
      await down;
      release(); // the running attempts now hit the dead store
      await waitFor(
        async () => outcomes.filter((o) => o === 'given_back').length >= 1,
        10_000,
        'a given-back attempt',
      );
      await waitFor(async () => health.isUp(), 20_000, 'the store back');
      await waitFor(
        async () =>
          (await Promise.all(jobs.map((j) => queue.get(j.id)))).every((j) => j?.status === 'completed'),
        30_000,
        'every job completed',
      );
      // maxAttempts 2 and at least one lost attempt each for four of them, yet nothing died.
      expect(outcomes).not.toContain('dead');
      expect(outcomes).not.toContain('retried');
      expect(await db.connection.collection('outage_marks').countDocuments()).toBe(6);
      expect(worker.status()).toMatchObject({ state: 'running', pollFailures: 0 });
    } finally {
      await worker.stop();
    }
  }, 90_000);
});
