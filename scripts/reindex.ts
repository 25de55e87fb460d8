/**
 * `npm run reindex`: rebuilds the product search index from the database, with a progress bar.
 * With ELASTICSEARCH_URL it rebuilds the Elasticsearch index; otherwise it rewrites the embedded
 * engine's snapshot under DATA_DIR, which the app loads at its next start (a running app catches up by
 * itself, so run this with the app stopped).
 */
import cliProgress from 'cli-progress';
import {
  createCoreServices,
  createInProcessEventBus,
  createLogger,
  loadConfig,
  openDatabaseForTool,
} from '@market/core';
import { createSearchEngine, createSearchIndexer } from '@market/search';

const config = loadConfig();
const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 'reindex');
const database = await openDatabaseForTool(config, log);
try {
  const core = createCoreServices({
    config,
    connection: database.connection,
    bus: createInProcessEventBus(log),
    log,
  });
  const listed = await core.listings.load();
  const engine = createSearchEngine(config, log);
  const indexer = createSearchIndexer({ engine, core, log });
  const bar = new cliProgress.SingleBar(
    { format: `Reindexing (${engine.name}) [{bar}] {value}/{total} products | {eta}s left` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(listed, 0);
  const started = Date.now();
  const done = await indexer.reindexAll((n) => bar.update(n));
  bar.stop();
  await engine.close();
  console.log(`Indexed ${done} products in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await database.close();
}
