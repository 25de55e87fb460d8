import { z } from 'zod';
import type { ProductInput, VariantInput } from '../catalog';

const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

const yuan = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, 'a price like 199 or 199.90 (yuan)')
  .transform((s) => Math.round(Number(s) * 100));

/** One CSV row as sellers write it; turned into catalog input. */
export const ImportRowSchema = z.object({
  handle: z
    .string()
    .trim()
    .max(64)
    .regex(/^[\w-]*$/, 'letters, digits, - and _ only')
    .optional(),
  sku: z
    .string()
    .trim()
    .min(1, 'required')
    .max(64)
    .regex(/^[\w.-]+$/, 'letters, digits, . - _ only'),
  name: z.string().trim().min(1, 'required').max(200),
  name_zh: z.string().trim().max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  description_zh: z.string().trim().max(5000).optional(),
  brand: z.string().trim().max(80).optional(),
  category: z.string().trim().min(1, 'required'),
  variant_title: z.string().trim().max(120).optional(),
  price: yuan,
  stock: z
    .string()
    .trim()
    .regex(/^\d{1,7}$/, 'a whole number ≥ 0')
    .transform(Number)
    .optional(),
  attributes: z
    .string()
    .trim()
    .optional()
    .transform((s, ctx) => {
      const out: Record<string, string> = {};
      for (const pair of (s ?? '')
        .split(';')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [key = '', ...rest] = pair.split('=');
        if (!ATTRIBUTE_KEY.test(key.trim()) || rest.length === 0) {
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not key=value with a plain key` });
          return z.NEVER;
        }
        out[key.trim()] = rest.join('=').trim();
      }
      return out;
    }),
  tags: z
    .string()
    .optional()
    .transform((s) =>
      (s ?? '')
        .split('|')
        .map((t) => t.trim())
        .filter(Boolean)
        .slice(0, 20),
    ),
});

export type ImportRow = z.output<typeof ImportRowSchema>;

/** Empty cells mean "not given". */
export function cleanRecord(record: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v === '' ? undefined : v]));
}

export function rowToVariant(row: ImportRow): VariantInput {
  return {
    sku: row.sku,
    title: row.variant_title ?? '',
    price: row.price,
    attributes: row.attributes,
    stock: row.stock ?? 0,
  };
}

export function rowToProduct(row: ImportRow, categoryId: string): ProductInput {
  return {
    handle: row.handle || row.sku,
    name: row.name,
    nameZh: row.name_zh ?? '',
    description: row.description ?? '',
    descriptionZh: row.description_zh ?? '',
    brand: row.brand ?? '',
    categoryId,
    tags: row.tags,
    variants: [rowToVariant(row)],
  };
}
