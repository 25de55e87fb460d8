/**
 * A payout batch in its own process, for tests/payout-crash.test.ts to kill with SIGKILL half-way: builds
 * the core services on the database named by MONGO_URI and DB_NAME (no worker: the bank's jobs stay in the
 * queue for the test's app) and runs the weekly payout batch. Prints `{"event":"started"}` first and
 * `{"event":"done",...}` at the end. Run with `node --import tsx tests/support/payout-batch-process.ts`.
 */
import { createCoreServices, createInProcessEventBus, loadConfig } from '@market/core';
import { connectDatabase } from '@market/core/db';
import { createLogger } from '@market/core/logger';

const uri = process.env.MONGO_URI!;
const dbName = process.env.DB_NAME!;
const log = createLogger('warn', 'payout-batch');
const config = loadConfig({
  MONGODB_URI: uri,
  MONGODB_DB: dbName,
  LOG_LEVEL: 'warn',
  PAYOUT_MINIMUM_FEN: process.env.PAYOUT_MINIMUM_FEN ?? '100',
});
const db = await connectDatabase(uri, dbName);
const core = createCoreServices({
  config,
  connection: db.connection,
  bus: createInProcessEventBus(log),
  log,
});
console.log(JSON.stringify({ event: 'started' }));
const result = await core.payouts.runScheduled();
console.log(JSON.stringify({ event: 'done', ...result }));
await db.close();
process.exit(0);
