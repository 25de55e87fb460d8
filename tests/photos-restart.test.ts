import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productPhoto } from '@market/vision/synthetic';
import { checked, createProduct, uploadPhoto } from './photos-helpers';
import { coreOn, registerSeller } from './support/accounts';
import { insertMiscCategory, restartableEnv, spawnApp, waitFor } from './support/process';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-photos-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.join(d.parentPath, d.name));
  } catch {
    return [];
  }
}

describe('photo checks across a restart', () => {
  it('checks a photo queued before the app went down exactly once after it comes back, within the seller quota', async () => {
    const env = {
      ...restartableEnv(dataDir, 'photos'),
      PHOTO_SELLER_QUOTA: '1',
    };
    // The first process stores uploads but runs no jobs, so the check is certainly still queued.
    const first = await spawnApp({ ...env, RUN_WORKERS: 'false' });
    const { connectDatabase } = await import('@market/core/db');
    const db = await connectDatabase(env.MONGODB_URI, env.MONGODB_DB);
    try {
      await insertMiscCategory(db);
      const seller = await registerSeller({ url: first.url, core: coreOn(db) }, { name: 'restart' });
      const productId = await createProduct(seller, 'cat_misc');
      const image = await productPhoto(800);
      const upload = await uploadPhoto(seller, productId, image);
      expect(upload.status, first.output()).toBe(202);
      const photoId = upload.body.id as string;

      // The seller's quota (1 photo) is a ledger invariant, so it holds in any process.
      const over = await uploadPhoto(seller, await createProduct(seller, 'cat_misc'), image);
      expect(over.status).toBe(409);
      expect(over.error.quota).toEqual({ scope: 'seller', limit: 1, used: 1 });

      first.child.kill('SIGKILL');
      await first.exited;
      expect(await db.connection.collection('photo_checks').countDocuments()).toBe(0);
      expect(filesUnder(path.join(dataDir, 'uploads', 'variants'))).toEqual([]);
      expect(filesUnder(path.join(dataDir, 'uploads', 'originals'))).toHaveLength(1);

      const second = await spawnApp({ ...env, RUN_WORKERS: 'true' });
      try {
        seller.baseUrl = second.url;
        const photo = await checked(seller, photoId);
        expect(photo.status, JSON.stringify(photo.reasons)).toBe('pass');
        expect(photo.checks).toBe(1);
        // 3 sizes × AVIF, WebP and JPEG, named by content: nothing twice, no temporary files left.
        const variants = filesUnder(path.join(dataDir, 'uploads', 'variants'));
        expect(variants).toHaveLength(9);
        expect(variants.every((f) => f.includes(photo.sha256) && !f.endsWith('.tmp'))).toBe(true);
        // The verdict is written by the job, which the queue then records as finished: wait for that too.
        const jobs = await waitFor(async () => {
          const found = await db.connection
            .collection('finished_jobs')
            .find({ type: 'photo.check' })
            .toArray();
          return found.length ? found : null;
        });
        expect(jobs.map((j) => [j.status, j.payload.photoId])).toEqual([['completed', photoId]]);

        // Deleting frees the quota.
        expect((await seller.delete(`/api/seller/photos/${photoId}`)).status).toBe(204);
        expect((await uploadPhoto(seller, productId, image)).status).toBe(202);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await db.connection.dropDatabase();
      await db.close();
    }
  }, 420_000);
});
