import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { pino } from 'pino';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { ensureFerretDbBinary } from './ferretdb';
import { createStoreHealth, type StoreHealth } from './store-health';
import { superviseFerretDb, type SupervisedFerretDb } from './supervisor';

// Request data never reaches a filter unvalidated: every route parses its input with zod into plain
// strings and numbers first, and `web/` rejects `$`-prefixed keys outright (see web/src/http/validate.ts).
mongoose.set('strictQuery', true);

export interface Database {
  connection: Connection;
  /** The URI other processes (workers, tests) use to reach the same database server. */
  uri: string;
  engine: 'embedded-ferretdb' | 'external';
  /** Whether the store is reachable now (the API fails fast on it; readiness and metrics report it). */
  health: StoreHealth;
  /** The embedded FerretDB's supervisor (restarts after a crash); null with MONGODB_URI. */
  embedded: SupervisedFerretDb | null;
  close(): Promise<void>;
}

/**
 * Driver settings shared by the app and the tools.
 *
 * - `bufferCommands: false`: while the connection is down, mongoose would otherwise queue every query for
 *   up to 10 s; the driver's server selection below bounds the wait instead.
 * - `serverSelectionTimeoutMS: 5 s`: how long an operation waits for a reachable server. It does not
 *   limit how long a query may run, so a slow query is never mistaken for an outage; 5 s rides out a
 *   replica-set election (typically 1–2 s with MongoDB's defaults) and a FerretDB restart.
 * - `heartbeatFrequencyMS: 2 s`: a store that went away unnoticed (no query in flight) is seen within
 *   seconds, not ten.
 * - `connectTimeoutMS: 5 s` (default 30 s): opening a connection to something that accepts and never
 *   answers gives up as soon as server selection would.
 */
const DRIVER_OPTIONS = {
  bufferCommands: false,
  serverSelectionTimeoutMS: 5_000,
  heartbeatFrequencyMS: 2_000,
  connectTimeoutMS: 5_000,
} as const;

/**
 * Opens the document store: MongoDB when MONGODB_URI is set, otherwise the embedded FerretDB, built on
 * first use and started as a child process of this one.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  dbName = config.mongo.dbName,
): Promise<Database> {
  let embedded: SupervisedFerretDb | null = null;
  let uri = config.mongo.uri;
  let connection: Connection | undefined;
  if (!uri) {
    const binary = await ensureFerretDbBinary(config.toolsDir, log);
    embedded = await superviseFerretDb({
      binary,
      dataDir: config.dataDir,
      log,
      // Rare: the old port was taken while FerretDB was down. Other processes read the new URI from
      // the file when they start; this one reconnects its driver.
      async onUriChange(next) {
        writeFileSync(uriFile(config), next);
        if (!connection) return;
        // Operations stuck on the old address (whatever took the port may accept and never answer)
        // give up within connectTimeoutMS. (Not `close(true)`: mongoose refuses every later operation
        // on a force-closed connection, even after it is reopened.)
        await connection.close();
        await connection.openUri(next, { dbName, ...DRIVER_OPTIONS, maxPoolSize: 32 });
      },
    });
    uri = embedded.uri;
    // Lets `npm run workers` find the store this app started (see embeddedStoreUri).
    writeFileSync(uriFile(config), uri);
    log.info({ uri, dataDir: config.dataDir }, 'embedded FerretDB started');
  }
  try {
    connection = await mongoose
      .createConnection(uri, { dbName, ...DRIVER_OPTIONS, maxPoolSize: 32 })
      .asPromise();
    const conn = connection;
    const health = createStoreHealth({ connection: conn, log, supervisor: embedded });
    return {
      connection: conn,
      get uri() {
        return embedded?.uri ?? uri!;
      },
      engine: embedded ? 'embedded-ferretdb' : 'external',
      health,
      embedded,
      async close() {
        health.close();
        await conn.close();
        if (embedded) {
          rmSync(uriFile(config), { force: true });
          await embedded.stop();
        }
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

function uriFile(config: Config): string {
  return path.join(config.dataDir, 'ferretdb', 'uri');
}

/** The URI of the embedded FerretDB that a running app started on this DATA_DIR, if any. */
export function embeddedStoreUri(config: Config): string | null {
  try {
    return readFileSync(uriFile(config), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Connects to an already running server (a second process sharing the app's database). */
export async function connectDatabase(
  uri: string,
  dbName: string,
  log: Logger = pino({ level: 'silent' }),
): Promise<Database> {
  const connection = await mongoose.createConnection(uri, { dbName, ...DRIVER_OPTIONS }).asPromise();
  const health = createStoreHealth({ connection, log });
  return {
    connection,
    uri,
    engine: 'external',
    health,
    embedded: null,
    async close() {
      health.close();
      await connection.close();
    },
  };
}

/**
 * For command-line tools (seed, reindex): the embedded store a running app already serves on this
 * DATA_DIR if there is one (a second FerretDB must never open the same files), otherwise the configured
 * database, starting the embedded store if needed.
 */
export async function openDatabaseForTool(config: Config, log: Logger): Promise<Database> {
  const runningUri = config.mongo.uri ? null : embeddedStoreUri(config);
  return runningUri ? connectDatabase(runningUri, config.mongo.dbName) : openDatabase(config, log);
}
