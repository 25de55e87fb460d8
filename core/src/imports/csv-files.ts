import type { Category } from '../categories';
import { toCsv } from '../csv';
import { IMPORT_COLUMNS, type ImportJob } from './types';

const TEMPLATE_ROW = {
  handle: 'tee-basic',
  name: 'Cotton Crew Tee',
  name_zh: '纯棉圆领T恤',
  description: 'Soft 200 g cotton',
  description_zh: '200克纯棉',
  brand: 'Bazaar Basics',
  tags: 'cotton|summer',
};

/** Words of a category that fits the template's T-shirt, best first. */
const TEE_WORDS = [/t-?shirt/i, /\btops?\b/i, /cloth|apparel|fashion/i];

/**
 * The category the template's example goes into: a real leaf of the site's tree (products live in
 * leaves), one that fits a T-shirt when there is one, so the template imports as it is. Empty when the
 * site has no categories yet: nothing can be imported then anyway.
 */
export function templateCategory(categories: readonly Category[]): string {
  const parents = new Set(categories.map((c) => c.parentId).filter(Boolean));
  const leaves = categories.filter((c) => !parents.has(c.id));
  for (const word of TEE_WORDS) {
    const fit = leaves.find((c) => word.test(c.slug) || word.test(c.name));
    if (fit) return fit.slug;
  }
  return leaves[0]?.slug ?? '';
}

/** The CSV sellers start from: the columns and two variants of one product in `category` (a slug). */
export const importTemplate = (category: string) =>
  toCsv([
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
      const row: Record<string, string> = { ...TEMPLATE_ROW, category, ...variant };
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
