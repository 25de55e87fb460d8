import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createLogger, loadConfig, type Clock } from '@market/core';
import { DEMO_PASSWORD, seedDemo, type DemoCatalog } from '@market/demo';
import { startMarketplace, type Marketplace } from '@market/web/marketplace';
import { UNLIMITED_REQUESTS } from './limits';
import { spawnApp, type AppProcess } from './process';

export interface TestApp extends Marketplace {
  catalog: DemoCatalog | null;
  password: string;
  close(): Promise<void>;
}

/**
 * The real marketplace (HTTP API, Socket.IO, job worker) on a free port, on its own database of the
 * suite's FerretDB, optionally with a small demo catalog (without the demo's flash sales unless asked:
 * they take units out of stock that many suites count).
 */
export async function startTestApp(
  opts: { products?: number; offers?: boolean; env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'market-app-'));
  const dbName = `app_${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: dbName,
    SEED_DEMO: 'false',
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...UNLIMITED_REQUESTS,
    ...opts.env,
  });
  const log = createLogger(config.logLevel, 'test-app');
  const app = await startMarketplace(config, log, { clock: opts.clock });
  let catalog: DemoCatalog | null = null;
  if (opts.products)
    ({ catalog } = await seedDemo(app.core, { products: opts.products, offers: opts.offers }));
  return {
    ...app,
    catalog,
    password: DEMO_PASSWORD,
    async close() {
      await app.database.connection.dropDatabase().catch(() => undefined);
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second app process on the test app's database (its own data directory beside the first's), for the
 * races and hand-overs that need two nodes. `env` must carry the first app's `SESSION_SECRET` when a
 * session moves between them.
 */
export function spawnSecondNode(app: TestApp, env: Record<string, string>): Promise<AppProcess> {
  return spawnApp({
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: app.config.mongo.dbName,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    DATA_DIR: app.config.dataDir + '-second',
    ...env,
  });
}
