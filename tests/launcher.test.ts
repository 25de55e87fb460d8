import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerUser } from './support/accounts';
import { ApiClient } from './support/client';
import { isAlive, spawnApp, waitFor } from './support/process';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-launch-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** FerretDB processes serving this test's data folder. */
function ferretPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', `${dataDir}/ferretdb`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

// What `npm start` does, without MONGODB_URI: the app builds (already built by the suite) and runs FerretDB.
const env = { DATA_DIR: dataDir, SEED_DEMO: 'false', MONGODB_URI: '', SESSION_SECRET: 'x'.repeat(40) };

describe('embedded FerretDB launcher', () => {
  it('starts FerretDB with the app, stops it with the app, and keeps data across restarts', async () => {
    const first = await spawnApp(env);
    const [pid] = ferretPids();
    expect(pid).toBeDefined();
    const keeper = await registerUser(first.url, 'shopper', { name: 'Keeper' });

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    await waitFor(async () => !isAlive(pid!), 10_000, 'FerretDB to stop');

    const second = await spawnApp(env);
    try {
      const again = new ApiClient(second.url);
      expect(
        (await again.post('/api/auth/login', { email: keeper.email, password: keeper.password })).status,
      ).toBe(200);
    } finally {
      second.child.kill('SIGINT');
      await second.exited;
    }
    await waitFor(async () => ferretPids().length === 0, 10_000, 'FerretDB to stop after SIGINT');
  });

  it('keeps the demo catalog and its search index across a restart (snapshot, then catch-up)', async () => {
    const seededDir = mkdtempSync(path.join(os.tmpdir(), 'market-seeded-'));
    const seededEnv = { ...env, DATA_DIR: seededDir, SEED_DEMO: 'true' };
    const searchTotal = async (url: string, q = '') =>
      ((await new ApiClient(url).get(`/api/search?q=${encodeURIComponent(q)}&pageSize=1`)).body
        .total as number) ?? 0;
    try {
      const first = await spawnApp(seededEnv, 180_000);
      await waitFor(
        async () => (await searchTotal(first.url)) === 5000,
        120_000,
        'the demo catalog to be indexed',
      );
      // The demo comes with a week of simulated shopping: new visitors see hot and trending products.
      const hot = async (query: string) =>
        ((await new ApiClient(first.url).get(`/api/rankings/hot?limit=5${query}`)).body.items ??
          []) as unknown[];
      await waitFor(async () => (await hot('')).length === 5, 60_000, 'hot rankings from the demo history');
      expect((await hot('&trending=true')).length).toBeGreaterThan(0);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(existsSync(path.join(seededDir, 'search', 'products.snapshot.json'))).toBe(true);

      const second = await spawnApp(seededEnv, 180_000);
      try {
        expect(second.output()).not.toContain('loading the demo marketplace'); // not seeded twice
        await waitFor(async () => (await searchTotal(second.url)) === 5000, 60_000, 'the snapshot to load');
        // A change after the restart still reaches the index.
        const seller = new ApiClient(second.url);
        await seller.login('seller01@bazaar.test', 'bazaar-demo-2026');
        const own = (await seller.get('/api/seller/products?limit=1')).body.items[0]!;
        expect((await seller.patch(`/api/products/${own.id}`, { name: 'Restartproof Lantern' })).status).toBe(
          200,
        );
        await waitFor(
          async () => (await searchTotal(second.url, 'restartproof lantern')) > 0,
          10_000,
          'the rename in search',
        );
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      rmSync(seededDir, { recursive: true, force: true });
    }
  }, 400_000);

  it('leaves no orphaned FerretDB when the app is killed outright', async () => {
    const app = await spawnApp(env);
    const pids = ferretPids();
    expect(pids).toHaveLength(1);
    // SIGKILL: no handler of the app gets to run, yet FerretDB sees its stdin close and exits.
    app.child.kill('SIGKILL');
    await app.exited;
    await waitFor(async () => pids.every((p) => !isAlive(p)), 10_000, 'FerretDB to exit with its parent');
  });
});
