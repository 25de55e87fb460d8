export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface ImportRowError {
  /** Line in the uploaded file; the header is line 1. */
  line: number;
  field: string;
  message: string;
}

export interface ImportJob {
  id: string;
  sellerId: string;
  shopId: string;
  fileName: string;
  status: ImportStatus;
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
  errors: ImportRowError[];
  errorsTruncated: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const IMPORT_COLUMNS = [
  'handle',
  'sku',
  'name',
  'name_zh',
  'description',
  'description_zh',
  'brand',
  'category',
  'variant_title',
  'price',
  'stock',
  'attributes',
  'tags',
] as const;

export const REQUIRED_COLUMNS = ['sku', 'name', 'category', 'price'] as const;
