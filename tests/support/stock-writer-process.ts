/**
 * A separate process that takes units from one SKU, one at a time, through the inventory service —
 * for proving the ledger never oversells across processes (tests/stock-ledger-multiprocess.test.ts).
 */
import {
  connectDatabase,
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
} from '@market/core';

const { MONGO_URI, DB_NAME, SKU, PRODUCT_ID, ATTEMPTS } = process.env as Record<string, string>;
const config = loadConfig({ MONGODB_URI: MONGO_URI, MONGODB_DB: DB_NAME, LOG_LEVEL: 'warn' });
const log = createLogger('warn', 'stock-writer');
const db = await connectDatabase(MONGO_URI!, DB_NAME!);
const core = createCoreServices({
  config,
  connection: db.connection,
  bus: createInProcessEventBus(log),
  log,
});
const owner = { sku: SKU!, productId: PRODUCT_ID!, sellerId: 'seller' };
let sold = 0;
let refused = 0;
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let i = 0; i < Number(ATTEMPTS) / 4; i++) {
      const result = await core.inventory.adjustStock(owner, -1, process.pid.toString(), 'sale');
      if (result.ok) sold++;
      else refused++;
    }
  }),
);
process.stdout.write(JSON.stringify({ sold, refused }) + '\n');
await db.close();
