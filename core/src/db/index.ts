export { openDatabase, connectDatabase, embeddedStoreUri, type Database } from './database';
export { ensureFerretDbBinary, startFerretDb, EmbeddedStoreError, type EmbeddedFerretDb } from './ferretdb';
