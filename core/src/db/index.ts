export {
  openDatabase,
  connectDatabase,
  embeddedStoreUri,
  openDatabaseForTool,
  type Database,
} from './database';
export {
  ensureFerretDbBinary,
  startFerretDb,
  EmbeddedStoreError,
  StorePortTakenError,
  type EmbeddedFerretDb,
} from './ferretdb';
export { superviseFerretDb, type SupervisedFerretDb, type EmbeddedStoreStatus } from './supervisor';
export { createStoreHealth, type StoreHealth, type StoreHealthStatus } from './store-health';
