export {
  createImportService,
  IMPORT_JOB,
  IMPORT_MAX_ATTEMPTS,
  IMPORT_TEMPLATE,
  type ImportService,
} from './service';
export { IMPORT_COLUMNS, type ImportJob, type ImportRowError, type ImportStatus } from './types';
