import { ValidationError, type FieldIssue } from '../errors';
import { MAX_FEN } from '../money';
import {
  AUTO_PROMOTION_KINDS,
  MAX_BUNDLE_SKUS,
  MAX_TIERS,
  MIN_BUNDLE_SKUS,
  type AutoPromotionInput,
  type SpendTier,
} from './auto-types';

/** An automatic promotion's fields as stored, checked. */
export interface NormalizedAutoPromotionInput {
  kind: AutoPromotionInput['kind'];
  title: string;
  categoryId: string | null;
  sku: string | null;
  salePrice: number | null;
  percent: number | null;
  maxDiscount: number | null;
  buyQty: number | null;
  freeQty: number | null;
  skus: string[];
  bundlePrice: number | null;
  tiers: SpendTier[];
  startsAt: Date;
  endsAt: Date;
}

const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isDate = (v: unknown): v is Date => v instanceof Date && !Number.isNaN(v.getTime());

/**
 * Checks an automatic promotion's input (the HTTP layer checks the same with zod; this guards every
 * other caller). Fields are named as in the request body. A field of another kind must be absent.
 */
export function normalizeAutoPromotionInput(
  input: AutoPromotionInput,
  now: Date,
): NormalizedAutoPromotionInput {
  const issues: FieldIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ field: `body.${field}`, message });
  const kind = input.kind;
  if (!(AUTO_PROMOTION_KINDS as readonly string[]).includes(kind))
    bad('kind', `one of ${AUTO_PROMOTION_KINDS.join(', ')}`);
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!title || title.length > 80) bad('title', '1 to 80 characters');

  const only = (field: keyof AutoPromotionInput, kinds: string[]) => {
    if (!kinds.includes(kind) && input[field] != null)
      bad(field, `only for ${kinds.join(' or ')} promotions`);
  };
  only('sku', ['sale_price']);
  only('salePrice', ['sale_price']);
  only('percent', ['percent_off']);
  only('maxDiscount', ['percent_off']);
  only('categoryId', ['percent_off', 'buy_n_get_m']);
  only('buyQty', ['buy_n_get_m']);
  only('freeQty', ['buy_n_get_m']);
  only('tiers', ['spend_and_save']);
  only('skus', ['bundle']);
  only('bundlePrice', ['bundle']);

  if (kind === 'sale_price') {
    if (typeof input.sku !== 'string' || !input.sku.trim()) bad('sku', 'the SKU of the variant on sale');
    if (!isWhole(input.salePrice, 1, MAX_FEN)) bad('salePrice', 'a positive whole number of fen');
  }
  if (kind === 'percent_off') {
    if (!isWhole(input.percent, 1, 99)) bad('percent', 'a whole percent from 1 to 99');
    if (input.maxDiscount != null && !isWhole(input.maxDiscount, 1, MAX_FEN))
      bad('maxDiscount', 'a positive whole number of fen, or null for no cap');
  }
  if (kind === 'buy_n_get_m') {
    if (!isWhole(input.buyQty, 1, 99)) bad('buyQty', 'a whole number of units from 1 to 99');
    if (!isWhole(input.freeQty, 1, 99)) bad('freeQty', 'a whole number of units from 1 to 99');
  }
  const skus: string[] = [];
  if (kind === 'bundle') {
    const given: unknown[] = Array.isArray(input.skus) ? input.skus : [];
    if (given.length < MIN_BUNDLE_SKUS || given.length > MAX_BUNDLE_SKUS)
      bad('skus', `${MIN_BUNDLE_SKUS} to ${MAX_BUNDLE_SKUS} different SKUs`);
    given.forEach((sku, i) => {
      const trimmed = typeof sku === 'string' ? sku.trim() : '';
      if (!trimmed) bad(`skus.${i}`, 'a SKU');
      else if (skus.includes(trimmed)) bad(`skus.${i}`, 'each SKU once');
      else skus.push(trimmed);
    });
    // Below the SKUs' list prices is checked by the service, which knows them.
    if (!isWhole(input.bundlePrice, 1, MAX_FEN)) bad('bundlePrice', 'a positive whole number of fen');
  }
  const tiers: SpendTier[] = [];
  if (kind === 'spend_and_save') {
    const given = Array.isArray(input.tiers) ? input.tiers : [];
    if (given.length < 1 || given.length > MAX_TIERS) bad('tiers', `1 to ${MAX_TIERS} tiers`);
    given.forEach((t, i) => {
      if (!isWhole(t?.threshold, 1, MAX_FEN)) bad(`tiers.${i}.threshold`, 'a positive whole number of fen');
      else if (!isWhole(t?.off, 1, t.threshold - 1))
        bad(`tiers.${i}.off`, 'a positive whole number of fen, less than the threshold');
      else if (i > 0 && (t.threshold <= given[i - 1]!.threshold || t.off <= given[i - 1]!.off))
        bad(`tiers.${i}`, 'each tier needs a higher threshold and a bigger saving than the one before');
      else tiers.push({ threshold: t.threshold, off: t.off });
    });
  }

  const startsAt = input.startsAt ?? now;
  if (!isDate(startsAt)) bad('startsAt', 'not a valid date');
  if (!isDate(input.endsAt)) bad('endsAt', 'an end date is required');
  else if (isDate(startsAt) && input.endsAt <= startsAt) bad('endsAt', 'must be after startsAt');
  else if (input.endsAt <= now) bad('endsAt', 'must be in the future');

  if (issues.length) throw new ValidationError(issues);
  return {
    kind,
    title,
    categoryId: kind === 'percent_off' || kind === 'buy_n_get_m' ? input.categoryId?.trim() || null : null,
    sku: kind === 'sale_price' ? input.sku!.trim() : null,
    salePrice: kind === 'sale_price' ? input.salePrice! : null,
    percent: kind === 'percent_off' ? input.percent! : null,
    maxDiscount: kind === 'percent_off' ? (input.maxDiscount ?? null) : null,
    buyQty: kind === 'buy_n_get_m' ? input.buyQty! : null,
    freeQty: kind === 'buy_n_get_m' ? input.freeQty! : null,
    skus,
    bundlePrice: kind === 'bundle' ? input.bundlePrice! : null,
    tiers,
    startsAt,
    endsAt: input.endsAt,
  };
}
