import { modelOn } from '../db/model';
import { Schema, type Connection } from 'mongoose';
import type { ImportRowError, ImportStatus } from './types';

export interface ImportDoc {
  _id: string;
  sellerId: string;
  shopId: string;
  fileName: string;
  filePath: string;
  status: ImportStatus;
  totalRows: number;
  /** Checkpoint: rows before this index are done; a resumed job starts here. */
  processedRows: number;
  succeeded: number;
  failed: number;
  rowErrors: ImportRowError[];
  errorsTruncated: boolean;
  failureReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const importSchema = new Schema<ImportDoc>(
  {
    _id: { type: String, required: true },
    sellerId: { type: String, required: true },
    shopId: { type: String, required: true },
    fileName: { type: String, required: true },
    filePath: { type: String, required: true },
    status: { type: String, required: true },
    totalRows: { type: Number, required: true },
    processedRows: { type: Number, default: 0 },
    succeeded: { type: Number, default: 0 },
    failed: { type: Number, default: 0 },
    rowErrors: { type: [{ line: Number, field: String, message: String, _id: false }], default: [] },
    errorsTruncated: { type: Boolean, default: false },
    failureReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
importSchema.index({ sellerId: 1, createdAt: -1 });

export function importModel(connection: Connection) {
  return modelOn<ImportDoc>(connection, 'CatalogImport', importSchema, 'catalog_imports');
}
