/**
 * `npm run backup [FILE]`: a consistent snapshot of the embedded store (every FerretDB database under
 * DATA_DIR/ferretdb) and the uploads, in one gzipped tar with a manifest (document counts, sha256 per
 * file). Works whether or not the app is running. Default file: `bazaar-backup-<UTC time>.tar.gz`.
 * With MONGODB_URI the documents live elsewhere: see the README's "Backups" for mongodump and snapshots.
 */
import cliProgress from 'cli-progress';
import { createConnection } from 'node:net';
import path from 'node:path';
import { ConfigError, embeddedStoreUri, loadConfig } from '@market/core';
import { BackupError, SqliteCliMissingError, createBackup } from '@market/core/backup';

/** Whether something answers on the URI's port (a stale URI file survives an app killed with -9). */
function answers(uri: string): Promise<boolean> {
  const { hostname, port } = new URL(uri);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port), timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.mongo.uri) {
    console.error(
      [
        'MONGODB_URI is set: the documents live in MongoDB, which this command does not copy.',
        'Back MongoDB up with its own tools: `mongodump --uri "$MONGODB_URI" --oplog --archive=… --gzip`',
        '(a consistent dump of a replica set), or Atlas / volume snapshots. Uploads are a mounted volume:',
        'snapshot it with the database. See "Backups" in README.md.',
      ].join('\n'),
    );
    return 2;
  }
  const target = path.resolve(
    process.argv[2] ?? `bazaar-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`,
  );
  const uri = embeddedStoreUri(config);
  const appRunning = uri !== null && (await answers(uri));
  console.log(
    `Backing up ${path.resolve(config.dataDir)} (${appRunning ? 'the app is running: live snapshot' : 'no app running'}) to ${target}`,
  );
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {value}/{total}' },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  bar.start(1, 0, { phase: 'starting'.padEnd(24) });
  const started = Date.now();
  const manifest = await createBackup({
    dataDir: config.dataDir,
    target,
    appRunning,
    onProgress: (e) => {
      if (e.phase !== phase) {
        phase = e.phase;
        bar.setTotal(Math.max(1, e.total));
      }
      bar.update(e.done, { phase: e.phase.padEnd(24) });
    },
  }).finally(() => bar.stop());
  for (const db of manifest.databases) {
    const docs = Object.values(db.collections).reduce((a, b) => a + b, 0);
    console.log(`  ${db.name}: ${Object.keys(db.collections).length} collections, ${docs} documents`);
  }
  console.log(`  uploads: ${manifest.uploads.files} files, ${(manifest.uploads.bytes / 1e6).toFixed(1)} MB`);
  console.log(`Backup written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof BackupError || err instanceof SqliteCliMissingError) {
      console.error(`\n${err.message}`);
      process.exit(1);
    }
    throw err;
  },
);
