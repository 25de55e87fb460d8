import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { ensureFerretDbBinary, startFerretDb, type EmbeddedFerretDb } from './ferretdb';

// Request data never reaches a filter unvalidated: every route parses its input with zod into plain
// strings and numbers first, and `web/` rejects `$`-prefixed keys outright (see web/src/http/validate.ts).
mongoose.set('strictQuery', true);

export interface Database {
  connection: Connection;
  /** The URI other processes (workers, tests) use to reach the same database server. */
  uri: string;
  engine: 'embedded-ferretdb' | 'external';
  close(): Promise<void>;
}

/**
 * Opens the document store: MongoDB when MONGODB_URI is set, otherwise the embedded FerretDB, built on
 * first use and started as a child process of this one.
 */
export async function openDatabase(
  config: Config,
  log: Logger,
  dbName = config.mongo.dbName,
): Promise<Database> {
  let embedded: EmbeddedFerretDb | undefined;
  let uri = config.mongo.uri;
  if (!uri) {
    const binary = await ensureFerretDbBinary(config.toolsDir, log);
    embedded = await startFerretDb({ binary, dataDir: config.dataDir, log });
    uri = embedded.uri;
    // Lets `npm run workers` find the store this app started (see embeddedStoreUri).
    writeFileSync(uriFile(config), uri);
    log.info({ uri, dataDir: config.dataDir }, 'embedded FerretDB started');
  }
  try {
    const connection = await mongoose
      .createConnection(uri, { dbName, serverSelectionTimeoutMS: 15_000, maxPoolSize: 32 })
      .asPromise();
    return {
      connection,
      uri,
      engine: embedded ? 'embedded-ferretdb' : 'external',
      async close() {
        await connection.close();
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
export async function connectDatabase(uri: string, dbName: string): Promise<Database> {
  const connection = await mongoose
    .createConnection(uri, { dbName, serverSelectionTimeoutMS: 15_000 })
    .asPromise();
  return { connection, uri, engine: 'external', close: () => connection.close() };
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
