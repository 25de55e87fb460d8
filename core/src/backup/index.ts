export {
  BACKUP_FORMAT,
  BackupError,
  createBackup,
  restoreBackup,
  restoreBlocker,
  type BackupFile,
  type BackupManifest,
  type BackupProgress,
} from './backup';
export { SqliteCliMissingError, countCollections, snapshotSqlite } from './sqlite';
