import { toCsv } from '../csv';
import { IMPORT_COLUMNS, type ImportJob } from './types';

const TEMPLATE_ROW = {
  handle: 'tee-basic',
  name: 'Cotton Crew Tee',
  name_zh: '纯棉圆领T恤',
  description: 'Soft 200 g cotton',
  description_zh: '200克纯棉',
  brand: 'Bazaar Basics',
  category: 'mens-tops',
  tags: 'cotton|summer',
};

/** The CSV sellers start from: the columns and two variants of one product. */
export const IMPORT_TEMPLATE = toCsv([
  IMPORT_COLUMNS,
  ...[
    {
      sku: 'TEE-BLK-M',
      variant_title: 'Black / M',
      price: '79.00',
      stock: '120',
      attributes: 'color=Black;size=M',
    },
    {
      sku: 'TEE-BLK-L',
      variant_title: 'Black / L',
      price: '79.00',
      stock: '80',
      attributes: 'color=Black;size=L',
    },
  ].map((variant) => {
    const row: Record<string, string> = { ...TEMPLATE_ROW, ...variant };
    return IMPORT_COLUMNS.map((column) => row[column] ?? '');
  }),
]);

/**
 * An import's row errors as a CSV the seller can open next to their file: line, column and what is
 * wrong, by line. Messages can quote what the seller wrote, so they go through `toCsv` like every cell.
 */
export function importErrorsCsv(job: ImportJob): string {
  const rows = [...job.errors].sort((a, b) => a.line - b.line).map((e) => [e.line, e.field, e.message]);
  if (job.errorsTruncated)
    rows.push(['', '', `Only the first ${job.errors.length} errors are listed; fix these and import again`]);
  return toCsv([['line', 'column', 'error'], ...rows]);
}
