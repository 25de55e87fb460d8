import type { Connection } from 'mongoose';
import type { Actor } from '../catalog';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { newId } from '../ids';
import { type Clock, systemClock } from '../clock';
import { normalizeAutoPromotionInput } from './auto-input';
import { autoPromotionModel, type AutoPromotionDoc } from './auto-model';
import { applyAutoPromotions, isLive, type PromotableLine } from './auto-pricing';
import type { AutoPromotion, AutoPromotionInput } from './auto-types';

/** How long a storefront's copy of the live promotions may lag (cards and product pages, not pricing). */
const DISPLAY_CACHE_MS = 5_000;

function toPromotion(doc: AutoPromotionDoc): AutoPromotion {
  return {
    id: doc._id,
    kind: doc.kind,
    title: doc.title,
    funding: doc.funding,
    sellerId: doc.sellerId ?? null,
    shopId: doc.shopId ?? null,
    categoryId: doc.categoryId ?? null,
    sku: doc.sku ?? null,
    salePrice: doc.salePrice ?? null,
    percent: doc.percent ?? null,
    maxDiscount: doc.maxDiscount ?? null,
    tiers: (doc.tiers ?? []).map((t) => ({ threshold: t.threshold, off: t.off })),
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    active: doc.active,
    createdAt: doc.createdAt,
  };
}

/** What a product card or page shows of the live promotions: per SKU its sale price, and badges. */
export interface ProductPromotionView {
  salePrices: Record<string, number>;
  /** Short lines such as "10% off" or "满¥300减¥30", most valuable first. */
  badges: string[];
}

const yuan = (fen: number) => `¥${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}`;

/** The badge text of a percentage or spend-and-save promotion. */
export function badgeOf(p: AutoPromotion): string | null {
  if (p.kind === 'percent_off')
    return `${p.percent}% off${p.maxDiscount ? ` (up to ${yuan(p.maxDiscount)})` : ''}`;
  if (p.kind === 'spend_and_save')
    return p.tiers.map((t) => `满${yuan(t.threshold)}减${yuan(t.off)}`).join(' · ');
  return null;
}

/**
 * The view of a product under the promotions live at `at` (pure): what each variant sells for on its
 * own (sale price, then the best percentage, as the cart would price one unit), and badges.
 */
export function productPromotionView(
  product: {
    shopId: string;
    sellerId: string;
    categoryIds: readonly string[];
    variants: { sku: string; price: number }[];
  },
  promotions: readonly AutoPromotion[],
  at: Date,
): ProductPromotionView {
  const lines: PromotableLine[] = product.variants.map((v) => ({
    key: v.sku,
    sku: v.sku,
    sellerId: product.sellerId,
    shopId: product.shopId,
    categoryIds: product.categoryIds,
    unitPrice: v.price,
    qty: 1,
    flash: false,
  }));
  // Spend-and-save depends on the whole cart: a badge here, never a unit price.
  const unitPromotions = promotions.filter((p) => p.kind !== 'spend_and_save');
  const outcome = applyAutoPromotions(lines, unitPromotions, at);
  const salePrices: Record<string, number> = {};
  for (const v of product.variants) {
    const promoted = outcome.lines.get(v.sku);
    if (promoted && promoted.discount > 0) salePrices[v.sku] = v.price - promoted.discount;
  }
  const badges = promotions
    .filter(
      (p) =>
        isLive(p, at) &&
        (p.shopId === null || p.shopId === product.shopId) &&
        (p.kind === 'spend_and_save' ||
          (p.kind === 'percent_off' &&
            (p.categoryId === null || product.categoryIds.includes(p.categoryId)))),
    )
    .sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0) || (a.id < b.id ? -1 : 1))
    .map(badgeOf)
    .filter((b): b is string => b !== null);
  return { salePrices, badges };
}

/**
 * Automatic promotions (no code): sellers fund their own shop's, admins the platform's. Pricing reads
 * the live set from the store on every quote and checkout (`live`), so a promotion ended or expired
 * between the two is not charged; storefront views read a copy at most a few seconds old (`forDisplay`),
 * computed once for a whole page of cards.
 */
export function createAutoPromotionService(deps: {
  connection: Connection;
  clock?: Clock;
  /** A SKU's shop and list price (the catalog, given by the app): sale prices are checked against it. */
  skuInfo: (sku: string) => Promise<{ shopId: string; price: number } | null>;
}) {
  const Promotions = autoPromotionModel(deps.connection);
  const clock = deps.clock ?? systemClock;
  let cache: { at: number; items: AutoPromotion[] } | null = null;

  async function requireOwned(actor: Actor, id: string): Promise<AutoPromotion> {
    const doc = await Promotions.findById(id).lean<AutoPromotionDoc>();
    if (!doc) throw new NotFoundError('Promotion');
    const promotion = toPromotion(doc);
    if (actor.roles.includes('admin')) return promotion;
    if (promotion.funding !== 'seller' || promotion.sellerId !== actor.id)
      throw new ForbiddenError('You can only end your own promotions');
    return promotion;
  }

  /** Every active promotion not yet ended (a scan of a small collection; the time window is checked by the caller). */
  async function active(): Promise<AutoPromotion[]> {
    const docs = await Promotions.find({ active: true }).lean<AutoPromotionDoc[]>();
    const now = clock();
    return docs.map(toPromotion).filter((p) => p.endsAt > now);
  }

  return {
    async create(
      actor: Actor,
      input: AutoPromotionInput & { shopId?: string | null },
    ): Promise<AutoPromotion> {
      const isAdmin = actor.roles.includes('admin');
      if (!isAdmin && !actor.roles.includes('seller'))
        throw new ForbiddenError('Only sellers and admins create promotions');
      if (!isAdmin && !actor.shopId) throw new ForbiddenError('Open a shop before creating promotions');
      const now = clock();
      const fields = normalizeAutoPromotionInput(input, now);
      const shopId = isAdmin ? (input.shopId ?? null) : actor.shopId;
      if (fields.kind === 'sale_price') {
        const info = await deps.skuInfo(fields.sku!);
        if (!info || (shopId !== null && info.shopId !== shopId))
          throw new ValidationError([
            {
              field: 'body.sku',
              message: isAdmin ? 'no such SKU in that shop' : "not one of your shop's SKUs",
            },
          ]);
        if (fields.salePrice! >= info.price)
          throw new ValidationError([
            { field: 'body.salePrice', message: `must be below the list price (${yuan(info.price)})` },
          ]);
      }
      const doc: AutoPromotionDoc = {
        _id: newId('prm'),
        ...fields,
        funding: isAdmin ? 'platform' : 'seller',
        sellerId: isAdmin ? null : actor.id,
        shopId,
        active: true,
        createdAt: now,
        endedAt: null,
      };
      await Promotions.create(doc);
      cache = null;
      return toPromotion(doc);
    },

    /** A seller's own promotions; an admin's view is every promotion. Newest first. */
    async list(actor: Actor): Promise<(AutoPromotion & { live: boolean })[]> {
      let docs: AutoPromotionDoc[];
      if (actor.roles.includes('admin')) docs = await Promotions.find().lean<AutoPromotionDoc[]>();
      else if (actor.roles.includes('seller'))
        docs = await Promotions.find({ sellerId: actor.id }).lean<AutoPromotionDoc[]>();
      else throw new ForbiddenError('Only sellers and admins manage promotions');
      const now = clock();
      return docs
        .map(toPromotion)
        .map((p) => ({ ...p, live: isLive(p, now) }))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    },

    /** Ends a promotion now (its owner or an admin): it no longer prices anything. Idempotent. */
    async end(actor: Actor, id: string): Promise<AutoPromotion> {
      const promotion = await requireOwned(actor, id);
      if (promotion.active)
        await Promotions.updateOne({ _id: id }, { $set: { active: false, endedAt: clock() } });
      cache = null;
      return { ...promotion, active: false };
    },

    /** The promotions pricing applies: read fresh from the store. */
    live: active,

    /** The live promotions for storefront views, a copy at most a few seconds old (one read per page). */
    async forDisplay(): Promise<AutoPromotion[]> {
      const at = clock().getTime();
      if (!cache || at - cache.at > DISPLAY_CACHE_MS || at < cache.at) cache = { at, items: await active() };
      return cache.items;
    },

    /** The time pricing judges promotions at. */
    now: clock,
  };
}

export type AutoPromotionService = ReturnType<typeof createAutoPromotionService>;
