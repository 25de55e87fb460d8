import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  type Database,
} from '@market/core';
import { openTestDatabase } from './support/database';
import { ROOT } from './support/process';

const run = promisify(execFile);
let db: Database & { dbName: string };

beforeAll(async () => {
  db = await openTestDatabase('ledger');
});
afterAll(() => db?.close());

describe('stock ledger across processes', () => {
  it('never sells a unit twice or below zero when two processes race for the last units', async () => {
    const log = createLogger('warn');
    const core = createCoreServices({
      config: loadConfig({ MONGODB_URI: inject('mongoUri'), MONGODB_DB: db.dbName }),
      connection: db.connection,
      bus: createInProcessEventBus(log),
      log,
    });
    await Promise.all(db.connection.modelNames().map((m) => db.connection.model(m).init()));
    const owner = { sku: 'RACE-1', productId: 'prd_race', sellerId: 'seller' };
    const stock = 60;
    await core.inventory.setStock(owner, stock, null);

    const env = {
      ...process.env,
      MONGO_URI: inject('mongoUri'),
      DB_NAME: db.dbName,
      SKU: owner.sku,
      PRODUCT_ID: owner.productId,
      ATTEMPTS: '48',
    };
    const writers = await Promise.all(
      [1, 2].map(() =>
        run(process.execPath, ['--import', 'tsx', 'tests/support/stock-writer-process.ts'], {
          cwd: ROOT,
          env,
        }),
      ),
    );
    const results = writers.map((w) => JSON.parse(w.stdout.trim()) as { sold: number; refused: number });

    const sold = results.reduce((n, r) => n + r.sold, 0);
    expect(sold).toBe(stock); // 96 attempts for 60 units: exactly 60 succeed
    expect(results.every((r) => r.sold > 0)).toBe(true); // both processes really raced
    expect((await core.inventory.getLevel(owner)).available).toBe(0);
    const ledger = await core.inventory.history(owner.sku, 200);
    expect(ledger).toHaveLength(stock + 1);
    expect(ledger.map((e) => e.available)).toEqual(Array.from({ length: stock + 1 }, (_, i) => i));
  });
});
