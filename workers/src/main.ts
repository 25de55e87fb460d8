import {
  connectDatabase,
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  startHousekeeping,
} from '@market/core';
import { embeddedStoreUri } from '@market/core/db';
import { createJobWorker } from '@market/core/jobs';

/**
 * `npm run workers`: a process that only runs background jobs, sharing the app's database. Start as many
 * as the load needs; the queue's claims keep them from running the same attempt twice.
 */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel, 'workers');
  const uri = config.mongo.uri ?? embeddedStoreUri(config);
  if (!uri) {
    console.error(
      'No database to work on: start the app first (`npm start`, which runs the embedded FerretDB on DATA_DIR),\n' +
        'or set MONGODB_URI to the MongoDB the app uses.',
    );
    process.exit(1);
  }
  const database = await connectDatabase(uri, config.mongo.dbName);
  const bus = createInProcessEventBus(log);
  const core = createCoreServices({ config, connection: database.connection, bus, log });
  // Jobs change products and stock; keep the listing read model in step from this process too.
  const stopProjector = core.listings.startProjector();
  const worker = createJobWorker(
    { queue: core.queue, connection: database.connection, log, handlers: core.jobHandlers },
    { leaseMs: config.jobs.leaseMs },
  );
  worker.start();
  const stopHousekeeping = startHousekeeping({ queue: core.queue, log });
  log.info({ jobs: Object.keys(core.jobHandlers) }, 'worker started');

  const stop = async () => {
    log.info('worker stopping…');
    stopHousekeeping();
    await worker.stop();
    stopProjector();
    await core.listings.settled();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
