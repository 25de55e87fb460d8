/** `npm run seed`: loads the demo marketplace into an empty database (the app does this on first start too). */
import cliProgress from 'cli-progress';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  openDatabaseForTool,
} from '@market/core';
import { DEMO_SHOPPER_ID, seedDemo } from '@market/demo';
import { seedDemoInteractions } from '@market/recommender/service';

const config = loadConfig();
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'seed');
const products = Number(process.env.SEED_PRODUCTS ?? 5000);

const database = await openDatabaseForTool(config, log);
try {
  const core = createCoreServices({
    config,
    connection: database.connection,
    bus: createInProcessEventBus(log),
    log,
  });
  await Promise.all(database.connection.modelNames().map((m) => database.connection.model(m).init()));
  if ((await core.catalog.count()) > 0) {
    console.log(
      'The database already has products; nothing to do. (Use a fresh DATA_DIR or MONGODB_DB to seed again.)',
    );
  } else {
    const bar = new cliProgress.SingleBar(
      { format: 'Seeding [{bar}] {value}/{total} products | {eta}s left' },
      cliProgress.Presets.shades_classic,
    );
    bar.start(products, 0);
    const started = Date.now();
    const { accounts, catalog } = await seedDemo(core, {
      products,
      offers: true,
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    const events = await seedDemoInteractions({
      connection: database.connection,
      log,
      products: catalog.products,
      shopperId: DEMO_SHOPPER_ID,
    });
    console.log(
      `Seeded ${products} products and ${events} shopping events in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    console.log(
      `Demo accounts (password ${accounts[0]!.password}): ${accounts
        .slice(0, 5)
        .map((a) => a.email)
        .join(', ')}, …`,
    );
  }
} finally {
  await database.close();
}
