/**
 * `npm run recheck-photos`: checks every product photo again (after PHOTO_* thresholds or the models
 * changed), with a progress bar. Each photo gets a fresh `photo.check` job, so the checks are as durable
 * as any other: stop this script and the queued checks still run.
 *
 * Who runs them: the app's job loop or `npm run workers`, if one is running, so the verdicts reach the
 * sellers' pages and the storefront live; this script then only queues and watches. When no app is
 * running (it had to start the embedded store itself), or with `--here`, it also runs them itself.
 * `--no-wait` queues and exits.
 */
import cliProgress from 'cli-progress';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  closeRedis,
  createCoreServices,
  createLogger,
  embeddedStoreUri,
  loadConfig,
  openDatabaseForTool,
  openEventBus,
  openRedis,
  PHOTO_CHECK_JOB,
} from '@market/core';
import { createJobWorker } from '@market/core/jobs';
import { photoInspectorFor } from '@market/vision';

const args = new Set(process.argv.slice(2));
const config = loadConfig();
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'recheck-photos');
const appRunning = Boolean(config.mongo.uri || embeddedStoreUri(config));
const runHere = args.has('--here') || !appRunning;
const database = await openDatabaseForTool(config, log);
const redis = config.redisUrl ? openRedis(config.redisUrl, log, 'recheck-photos') : null;
const bus = await openEventBus({ redis, log });
const photoInspector = photoInspectorFor(config, log);
try {
  const core = createCoreServices({
    config,
    connection: database.connection,
    bus,
    log,
    redis,
    photoInspector,
  });
  const runId = new Date().toISOString().replace(/[:.]/g, '-');
  const ids = await core.photos.recheckAll(runId);
  console.log(`Queued ${ids.length} photo checks (run ${runId}).`);
  if (!args.has('--no-wait') && ids.length > 0) {
    const pending = new Set(ids);
    const stopProjector = runHere ? core.listings.startProjector() : () => undefined;
    const worker = runHere
      ? createJobWorker(
          {
            queue: core.queue,
            connection: database.connection,
            log,
            handlers: {
              [PHOTO_CHECK_JOB]: async (payload, ctx) => {
                const result = await core.jobHandlers[PHOTO_CHECK_JOB]!(payload, ctx);
                pending.delete(ctx.jobId);
                return result;
              },
            },
          },
          { leaseMs: config.jobs.leaseMs, concurrency: 2, types: [PHOTO_CHECK_JOB] },
        )
      : null;
    worker?.start();
    const bar = new cliProgress.SingleBar(
      {
        format: `Re-checking photos${runHere ? ' (here)' : ' (by the running app)'} [{bar}] {value}/{total} | {eta_formatted} left`,
        // Redirected to a log (CI, a service): a line every few seconds instead of nothing.
        noTTYOutput: true,
        notTTYSchedule: 2000,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(ids.length, 0);
    const started = Date.now();
    let dead = 0;
    while (pending.size > 0) {
      // Jobs other processes finished: look a few up by id each round (an `_id` lookup each).
      for (const id of [...pending].slice(0, 50)) {
        const job = await core.queue.get(id);
        if (!job || job.status === 'completed' || job.status === 'dead') {
          if (job?.status === 'dead') dead++;
          pending.delete(id);
        }
      }
      bar.update(ids.length - pending.size);
      if (pending.size) await sleep(500);
    }
    bar.stop();
    await worker?.stop();
    stopProjector();
    await core.listings.settled();
    console.log(
      `Re-checked ${ids.length - dead} photos in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (dead ? `; ${dead} failed for good (see the job queue's dead letters)` : '.'),
    );
  }
} finally {
  await photoInspector.close();
  await bus.close();
  if (redis) await closeRedis(redis);
  await database.close();
}
