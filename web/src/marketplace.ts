import { createServer, type Server } from 'node:http';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { AddressInfo } from 'node:net';
import {
  closeRedis,
  createCoreServices,
  type Clock,
  openDatabase,
  openEventBus,
  openRedis,
  startHousekeeping,
  type Config,
  type CoreServices,
  type Database,
  type EventBus,
  type Logger,
  type Redis,
  NotFoundError,
  openMail,
  startNotificationSubscriptions,
  type Mailbox,
} from '@market/core';
import { createJobWorker, type JobWorker } from '@market/core/jobs';
import { DEMO_SHOPPER_ID, seedDemo, type DemoAccount, type DemoCatalog } from '@market/demo';
import { attachRealtime } from '@market/realtime';
import {
  createSearchEngine,
  createSearchIndexer,
  type SearchEngine,
  type SearchIndexer,
} from '@market/search';
import { createRecsService, seedDemoInteractions, type RecsService } from '@market/recommender/service';
import { createAvatarImager, createEvidenceImager, photoInspectorFor } from '@market/vision';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createWebApp } from './app';
import { createLoginLimiter } from './http/rate-limit';
import type { DeclaredRoute } from './http/route';
import { createRequestLimits } from './http/request-limits';
import { createSocketSessionAuth } from './http/socket-auth';
import { sessionKeys } from './session-keys';
import { createEventLimiter } from './recs/event-limiter';
import { instrumentRecs, instrumentSearch } from './ops/instrument';
import { createMetrics, type Metrics } from './ops/metrics';
import { createReadiness } from './ops/readiness';

export interface Marketplace {
  url: string;
  port: number;
  config: Config;
  database: Database;
  bus: EventBus;
  /** Shared Redis connection when REDIS_URL is set. */
  redis: Redis | null;
  core: CoreServices;
  search: SearchEngine;
  indexer: SearchIndexer;
  /** This process's recommender. */
  recs: RecsService;
  server: Server;
  /** Demo accounts created by this start (empty when the database already had data). */
  demoAccounts: DemoAccount[];
  /** Every route with its schemas, as `/api/openapi.json` documents them (the wire test reads it). */
  routes: OpenAPIRegistry;
  /** Every route as declared, with who may call it (`tests/route-auth.test.ts` calls each as one it refuses). */
  declaredRoutes: readonly DeclaredRoute[];
  /** This process's Prometheus registry and instruments (`GET /metrics`). */
  metrics: Metrics;
  /** The dev mailbox when mail goes to the embedded SMTP server (no SMTP_URL); null otherwise. */
  mailbox: Mailbox | null;
  /** The job loop of this process, when RUN_WORKERS. */
  worker: JobWorker | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the whole marketplace in this process: document store (embedded FerretDB unless MONGODB_URI),
 * event bus, core services, HTTP API + storefront, Socket.IO, and the job worker loop.
 */
export async function startMarketplace(
  config: Config,
  log: Logger,
  /** `clock`: where the domain services read the time (tests move it instead of sleeping). */
  opts: { dbName?: string; database?: Database; clock?: Clock } = {},
): Promise<Marketplace> {
  const database = opts.database ?? (await openDatabase(config, log, opts.dbName));
  const stops: (() => Promise<void> | void)[] = [() => database.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await Promise.resolve(stop()).catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
  };
  try {
    const metrics = createMetrics();
    metrics.collectStore(database);
    const redis = config.redisUrl ? openRedis(config.redisUrl, log, 'commands') : null;
    if (redis) stops.push(() => closeRedis(redis));
    const bus = await openEventBus({
      redis,
      log,
      observeLag: (name, ms) => metrics.observeEventLag(name, ms),
    });
    // Payment webhooks come back to this process's own port until PUBLIC_URL says otherwise.
    let selfUrl = config.http.publicUrl ?? `http://127.0.0.1:${config.http.port}`;
    // Photo checks: sharp and the ONNX models, loaded on the first check this process runs.
    const photoInspector = photoInspectorFor(config, log);
    stops.push(() => photoInspector.close());
    // SMTP_URL, or an SMTP server of our own on a loopback port feeding the dev mailbox.
    const mail = await openMail(config, database.connection, log);
    stops.push(() => mail.close());
    const core = createCoreServices({
      config,
      connection: database.connection,
      bus,
      log,
      publicUrl: () => selfUrl,
      photoInspector,
      evidenceImager: createEvidenceImager({ maxPixels: config.photos.limits.maxPixels }),
      avatarImager: createAvatarImager({ maxPixels: config.photos.limits.maxPixels }),
      redis,
      clock: opts.clock,
      mail: mail.transport,
    });
    stops.push(() => bus.close());
    stops.push(startNotificationSubscriptions({ bus, notifications: core.notifications, log }));
    // Declared indexes exist before the first request relies on them.
    await Promise.all(database.connection.modelNames().map((name) => database.connection.model(name).init()));
    // Every process on this database must sign and verify webhooks with one key: settle it now.
    await core.paymentWebhookSecret();
    if (!config.commerce.webhookSecret)
      log.info(
        'payment webhooks use the random secret kept in the database (PAYMENT_WEBHOOK_SECRET is not set)',
      );

    const listed = await core.listings.load();
    log.debug({ listings: listed }, 'listing index loaded');
    const stopFavouriteWatcher = core.favouriteFanout.startWatcher();
    stops.push(async () => stopFavouriteWatcher());
    const stopProjector = core.listings.startProjector();
    stops.push(async () => {
      stopProjector();
      await core.listings.settled();
    });
    // Analytics rollups follow the order events this process publishes (each event once in the cluster).
    stops.push(core.analytics.start());
    // Referral rewards follow the same events (first completed order earns, its refund reverses).
    stops.push(core.referrals.start());

    // The back office's people search: follow user changes first, then load, so none falls between.
    const stopUserDirectory = core.userDirectory.start();
    const people = await core.userDirectory.load();
    log.debug({ users: people }, 'user search index loaded');
    stops.push(async () => {
      stopUserDirectory();
      await core.userDirectory.settled();
    });

    // Search follows the listings: start it before seeding so a fresh catalog flows into the index.
    const search = createSearchEngine(config, log);
    stops.push(() => search.close());
    const indexer = createSearchIndexer({ engine: search, core, log, events: bus });
    const stopIndexer = indexer.start();
    stops.push(async () => {
      stopIndexer();
      await indexer.settled();
    });

    // The recommender follows the listings too (availability), and records purchases from order events.
    const recs = createRecsService({ config, log, connection: database.connection, bus, core, redis });
    await recs.start();
    stops.push(() => recs.stop());

    let demoAccounts: DemoAccount[] = [];
    if (config.seedDemo && (await core.catalog.count()) === 0) {
      log.info('empty database: loading the demo marketplace…');
      const started = Date.now();
      let catalog: DemoCatalog;
      ({ accounts: demoAccounts, catalog } = await seedDemo(core, {
        offers: true,
        log,
        onProgress: (done, total) => log.info(`  demo products ${done}/${total}`),
      }));
      // A week of simulated shopping, so hot lists and recommendations have something to show.
      const events = await seedDemoInteractions({
        connection: database.connection,
        log,
        products: catalog.products,
        shopperId: DEMO_SHOPPER_ID,
      });
      await recs.requestRebuild();
      log.info(`  ${events} demo shopping events recorded`);
      log.info(`demo marketplace loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }

    let worker: JobWorker | undefined;
    if (config.runWorkers) {
      worker = createJobWorker(
        {
          queue: core.queue,
          connection: database.connection,
          log,
          handlers: { ...core.jobHandlers, ...recs.jobHandlers },
          store: database.health,
          onAttempt: (e) => metrics.observeJobAttempt(e),
        },
        { leaseMs: config.jobs.leaseMs },
      );
    }
    metrics.collectJobs(core.queue, log);

    const keys = sessionKeys(config);
    const { app, registry, declaredRoutes } = createWebApp(
      {
        core,
        config,
        log,
        search: instrumentSearch(search, metrics),
        recs: instrumentRecs(recs, metrics),
        ops: {
          store: database.health,
          metrics,
          readiness: createReadiness({ store: database.health, search, worker }),
        },
        mailbox: mail.mailbox,
        recsLimiter: createEventLimiter({ eventsPerMinute: config.recs.eventsPerMinute, redis }),
        requestLimits: createRequestLimits({ budgets: config.rateLimits, redis, log }),
        loginLimiter: createLoginLimiter({
          maxAttempts: config.login.maxAttempts,
          windowSeconds: config.login.windowSeconds,
          ...(redis && {
            // Shared by every node, so an attacker cannot multiply the budget by the node count.
            perAccount: new RateLimiterRedis({
              storeClient: redis,
              keyPrefix: 'rl:login:account',
              points: config.login.maxAttempts,
              duration: config.login.windowSeconds,
            }),
            perIp: new RateLimiterRedis({
              storeClient: redis,
              keyPrefix: 'rl:login:ip',
              points: config.login.maxAttempts * 10,
              duration: config.login.windowSeconds,
            }),
          }),
        }),
      },
      { sessionKeys: keys },
    );
    const server = createServer(app.callback());
    // Idle keep-alive connections: Node closes them after 5 s by default, and a client that reuses one at
    // that moment gets ECONNRESET on a POST it cannot retry (fetch hit it in tests on a busy machine).
    // Clients such as fetch keep a connection 2 s less than this server's Keep-Alive hint; a minute makes
    // an idle gap of exactly that length rare.
    server.keepAliveTimeout = 65_000;
    const realtime = attachRealtime({
      httpServer: server,
      bus,
      log,
      redis,
      ...createSocketSessionAuth(core.auth, keys),
      canWatchOrder: (user, orderId) =>
        core.orders.roleFor({ id: user.id, roles: user.roles, shopId: null }, orderId).then(
          () => true,
          (err: unknown) => (err instanceof NotFoundError ? false : Promise.reject(err)),
        ),
      reportPosition: (courierId, position) => core.logistics.reportPosition(courierId, position),
    });

    metrics.collectSockets({ ...realtime.namespaces });
    if (worker) {
      worker.start();
      stops.push(() => worker!.stop());
    }
    stops.push(startHousekeeping({ queue: core.queue, log }));

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.http.port, config.http.host, () => resolve());
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    // Runs first on shutdown: clients hear they should reconnect elsewhere before anything else stops.
    stops.push(() => realtime.close());
    const port = (server.address() as AddressInfo).port;
    const url = config.http.publicUrl ?? `http://localhost:${port}`;
    selfUrl = config.http.publicUrl ?? `http://127.0.0.1:${port}`;
    // Products changed while the index was down (or a lost snapshot) are indexed in the background.
    const caughtUp = indexer
      .settled()
      .then(() => indexer.catchUp())
      .then((r) =>
        r.indexed || r.removed ? log.info(r, 'search index caught up with the catalog') : undefined,
      )
      .catch((err: unknown) => log.error({ err }, 'search catch-up failed'));
    stops.push(() => caughtUp);
    // Products written before public URL handles existed get theirs in the background, once per database
    // and safely beside other nodes doing the same; until then their pages answer at `/p/<id>`.
    const stopBackfill = new AbortController();
    const backfilled = core.catalog
      .backfillUrlHandles({ log, signal: stopBackfill.signal })
      .then((r) => (r.assigned ? log.info(r, 'products given public URL handles') : undefined))
      .catch((err: unknown) =>
        log.error({ err }, 'URL handle backfill failed; the next start-up resumes it'),
      );
    stops.push(async () => {
      stopBackfill.abort();
      await backfilled;
    });
    return {
      url,
      port,
      config,
      database,
      bus,
      redis,
      core,
      search,
      indexer,
      recs,
      server,
      demoAccounts,
      mailbox: mail.mailbox,
      routes: registry,
      declaredRoutes,
      metrics,
      worker,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
