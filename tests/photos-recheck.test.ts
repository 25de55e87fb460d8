import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@market/core';
import { createJobWorker } from '@market/core/jobs';
import { productPhoto } from '@market/vision/synthetic';
import { checked, createProduct, uploadPhoto } from './photos-helpers';
import { registerSeller } from './support/accounts';
import { startTestApp, type TestApp } from './support/app';
import { ROOT } from './support/process';

let app: TestApp;

beforeAll(async () => {
  // No job loop in the app: the test decides who runs the checks.
  app = await startTestApp({ env: { RUN_WORKERS: 'false' } });
  await app.core.categories.createMany([
    { id: 'cat_recheck', slug: 'recheck', name: 'Recheck', nameZh: '复检', parentId: null },
  ]);
});
afterAll(() => app?.close());

/** Runs `npm run recheck-photos` (the script itself, with its args) against the test app's database. */
function recheck(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/recheck-photos.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      MONGODB_URI: inject('mongoUri'),
      MONGODB_DB: app.database.connection.name,
      DATA_DIR: app.config.dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('npm run recheck-photos', () => {
  it('checks every photo again against changed thresholds, with a progress bar', async () => {
    const seller = await registerSeller(app, { name: 'recheck' });
    const ids: string[] = [];
    for (const size of [700, 800]) {
      const productId = await createProduct(seller, 'cat_recheck');
      ids.push((await uploadPhoto(seller, productId, await productPhoto(size))).body.id);
    }
    // The upload checks, by a job loop like the app's, with the default thresholds (shorter side ≥ 500).
    const worker = createJobWorker({
      queue: app.core.queue,
      connection: app.database.connection,
      log: createLogger('warn', 'test-worker'),
      handlers: app.core.jobHandlers,
    });
    worker.start();
    try {
      for (const id of ids) expect((await checked(seller, id)).status).toBe('pass');
    } finally {
      await worker.stop();
    }

    // Thresholds change: the shorter side must now be 750 px. `--here`: nothing else runs jobs.
    const run = await recheck(['--here'], { PHOTO_MIN_SIDE: '750' });
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/Queued 2 photo checks/);
    expect(run.out).toMatch(/Re-checking photos \(here\) \[.*\] [0-2]\/2/);
    expect(run.out).toMatch(/Re-checked 2 photos/);

    const [small, large] = await Promise.all(
      ids.map(async (id) => (await seller.get(`/api/seller/photos/${id}`)).body),
    );
    expect(small).toMatchObject({ checks: 2, status: 'reject', public: false });
    // (Both photos are the same mug: the later one also carries an `info` duplicate note.)
    expect(small!.reasons.filter((r) => r.severity !== 'info')).toEqual([
      expect.objectContaining({ code: 'resolution', value: 700, threshold: 750 }),
    ]);
    expect(large).toMatchObject({ checks: 2, status: 'pass', public: true });
  }, 300_000);
});
