export {
  openDatabase,
  connectDatabase,
  embeddedStoreUri,
  openDatabaseForTool,
  type Database,
} from './database';
export { ensureFerretDbBinary, startFerretDb, EmbeddedStoreError, type EmbeddedFerretDb } from './ferretdb';
