/**
 * `npm run restore FILE`: brings a backup made by `npm run backup` back into an empty (or new) DATA_DIR,
 * after checking every file's sha256 and every database's document counts against the manifest. The app
 * must not be running on that folder; start it afterwards with the same DATA_DIR.
 */
import cliProgress from 'cli-progress';
import path from 'node:path';
import { ConfigError, loadConfig } from '@market/core';
import { BackupError, SqliteCliMissingError, restoreBackup } from '@market/core/backup';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run restore <backup file>   (into DATA_DIR, which must be empty)');
    return 2;
  }
  const config = loadConfig();
  if (config.mongo.uri) {
    console.error(
      'MONGODB_URI is set: restore MongoDB with mongorestore (or from an Atlas snapshot); this command restores the embedded store.',
    );
    return 2;
  }
  const dataDir = path.resolve(config.dataDir);
  console.log(`Restoring ${path.resolve(file)} into ${dataDir}`);
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {percentage}% | {value}/{total}' },
    cliProgress.Presets.shades_classic,
  );
  let phase = '';
  bar.start(1, 0, { phase: 'starting'.padEnd(8) });
  const manifest = await restoreBackup({
    source: path.resolve(file),
    dataDir,
    onProgress: (e) => {
      if (e.phase !== phase) {
        phase = e.phase;
        bar.setTotal(Math.max(1, e.total));
      }
      bar.update(e.done, { phase: e.phase.padEnd(8) });
    },
  }).finally(() => bar.stop());
  const docs = manifest.databases.reduce(
    (n, db) => n + Object.values(db.collections).reduce((a, b) => a + b, 0),
    0,
  );
  console.log(
    `Restored the backup of ${manifest.createdAt}: ${manifest.databases.length} database(s), ${docs} documents, ${manifest.uploads.files} uploads; checksums verified.`,
  );
  console.log(`Start the app with DATA_DIR=${dataDir}.`);
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
