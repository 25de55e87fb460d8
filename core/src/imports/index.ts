export { createImportService, IMPORT_JOB, IMPORT_MAX_ATTEMPTS, type ImportService } from './service';
export { importErrorsCsv, importTemplate, templateCategory } from './csv-files';
export { IMPORT_COLUMNS, type ImportJob, type ImportRowError, type ImportStatus } from './types';
