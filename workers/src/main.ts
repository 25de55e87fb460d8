import {
  closeRedis,
  connectDatabase,
  createCoreServices,
  createLogger,
  exitOnUnsupportedNode,
  loadConfig,
  openEventBus,
  openMail,
  openRedis,
  startHousekeeping,
} from '@market/core';
import { embeddedStoreUri } from '@market/core/db';
import { createJobWorker } from '@market/core/jobs';
import { createRecsJobHandlers } from '@market/recommender/service';
import { createRealtimeEmitter } from '@market/realtime';
import { photoInspectorFor } from '@market/vision';

/**
 * `npm run workers`: a process that only runs background jobs, sharing the app's database. Start as many
 * as the load needs; the queue's claims keep them from running the same attempt twice.
 */
async function main() {
  exitOnUnsupportedNode();
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
  const database = await connectDatabase(uri, config.mongo.dbName, log);
  // With Redis, this process's events reach the app nodes' consumers and sockets; without it, the
  // embedded default runs the worker loop inside the app process instead (see README).
  const redis = config.redisUrl ? openRedis(config.redisUrl, log, 'workers') : null;
  if (!redis) log.warn('REDIS_URL is not set: events from this process reach no socket and no other node');
  const bus = await openEventBus({ redis, log });
  const emitter = createRealtimeEmitter({ bus, redis });
  // Photo checks run here too (sharp and the ONNX models, loaded on the first check).
  const photoInspector = photoInspectorFor(config, log);
  // Mail jobs run here too: through SMTP_URL, or an embedded SMTP server feeding the same dev mailbox.
  const mail = await openMail(config, database.connection, log);
  const core = createCoreServices({
    config,
    connection: database.connection,
    bus,
    log,
    redis,
    photoInspector,
    mail: mail.transport,
  });
  // Webhooks this process sends are signed with the key the app nodes verify: settle it before any job.
  await core.paymentWebhookSecret();
  // Jobs change products and stock; keep the listing read model in step from this process too.
  const stopProjector = core.listings.startProjector();
  // Jobs change prices and stock too (imports, reservation expiry): their favouriters hear of it.
  const stopFavouriteWatcher = core.favouriteFanout.startWatcher();
  // Orders this process moves (expiry, auto-completion, webhooks) feed the analytics rollups from here.
  const stopAnalytics = core.analytics.start();
  // … and the referral rewards (an auto-completed first order earns the inviter's points).
  const stopReferrals = core.referrals.start();
  const worker = createJobWorker(
    {
      queue: core.queue,
      connection: database.connection,
      log,
      // Pauses while the store is unreachable (an embedded FerretDB restarting, a MongoDB election).
      store: database.health,
      handlers: {
        ...core.jobHandlers,
        // The recommender's jobs (rebuild, retention, erasing a reset profile) need no model in memory.
        ...createRecsJobHandlers({
          connection: database.connection,
          log,
          retentionDays: config.recs.retentionDays,
          tailMs: config.recs.tailMs,
          analytics: core.analytics,
        }),
      },
    },
    { leaseMs: config.jobs.leaseMs },
  );
  worker.start();
  const stopHousekeeping = startHousekeeping({ queue: core.queue, log });
  log.info({ jobs: Object.keys(core.jobHandlers) }, 'worker started');

  const stop = async () => {
    log.info('worker stopping…');
    stopHousekeeping();
    await worker.stop();
    await photoInspector.close();
    await mail.close();
    stopProjector();
    stopFavouriteWatcher();
    await stopAnalytics();
    stopReferrals();
    await core.listings.settled();
    await emitter?.close();
    await bus.close();
    if (redis) await closeRedis(redis);
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
