import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from './support/client';
import {
  insertMiscCategory,
  restartableEnv,
  spawnApp,
  waitFor,
  waitWhileProgressing,
} from './support/process';
import { scaled } from './support/time';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('CSV import across a crash', () => {
  it(
    'finishes the import after the app is killed mid-way and started again',
    async () => {
      const env = restartableEnv(dataDir, 'restart');
      const first = await spawnApp(env);
      const seller = new ApiClient(first.url);
      const reg = await seller.post('/api/auth/register', {
        email: 'crash@example.com',
        password: 'long enough password',
        name: 'C',
        role: 'seller',
        shopName: 'Crash',
      });
      seller.csrfToken = reg.body.csrfToken;

      // The category must exist: create it through the seed path of the API's own database.
      const { connectDatabase } = await import('@market/core/db');
      const db = await connectDatabase(env.MONGODB_URI, env.MONGODB_DB);
      await insertMiscCategory(db);

      const rows = 600;
      const csv = [
        'sku,name,category,price,stock',
        ...Array.from({ length: rows }, (_, i) => `CR-${i},Crash item ${i},misc,${10 + (i % 90)},${i % 7}`),
      ].join('\n');
      const res = await seller.request('POST', '/api/seller/imports', {
        body: csv,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.status, first.output()).toBe(202);
      const id = res.body.id as string;

      await waitFor(
        async () => (await seller.get(`/api/seller/imports/${id}`)).body.processedRows >= 100,
        60_000,
        'import progress',
      );
      first.child.kill('SIGKILL');
      await first.exited;
      const partial = await db.connection.collection('catalog_imports').findOne({ _id: id as never });
      expect(partial!.status).toBe('running');
      expect(partial!.processedRows).toBeLessThan(rows);

      const second = await spawnApp(env);
      try {
        const again = new ApiClient(second.url);
        await again.login('crash@example.com', 'long enough password');
        // However slowly a busy machine imports, the rows keep coming; an import that ends ends the wait.
        // The dead process's lease runs out first (JOB_LEASE_SECONDS): a minute without rows is allowed.
        const done = await waitWhileProgressing(
          async () => {
            const r = await again.get(`/api/seller/imports/${id}`);
            const finished = r.body.status === 'completed' || r.body.status === 'failed';
            return { progress: r.body.processedRows as number, result: finished ? r.body : null };
          },
          'the import after the restart',
          60_000,
        );
        expect(done, second.output()).toMatchObject({
          status: 'completed',
          processedRows: rows,
          succeeded: rows,
          failed: 0,
        });
        expect(
          await db.connection.collection('products').countDocuments({ shopId: reg.body.user!.shopId }),
        ).toBe(rows);
        expect(
          await db.connection.collection('sku_claims').countDocuments({ _id: { $regex: /^CR-/ } as never }),
        ).toBe(rows);
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
        await db.connection.dropDatabase();
        await db.close();
      }
    },
    scaled(360_000),
  );
});
