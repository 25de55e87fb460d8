import type { Connection } from 'mongoose';
import type { Actor } from '../catalog';
import { ForbiddenError, NotFoundError, ValidationError, type FieldIssue } from '../errors';
import { newId } from '../ids';
import { type Clock, systemClock } from '../clock';
import { normalizeAutoPromotionInput } from './auto-input';
import { autoPromotionModel, type AutoPromotionDoc } from './auto-model';
import { isLive } from './auto-pricing';
import type { AutoPromotion, AutoPromotionInput, BundleItem } from './auto-types';
import { yuan } from './auto-display';

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
    productId: doc.productId ?? null,
    salePrice: doc.salePrice ?? null,
    percent: doc.percent ?? null,
    maxDiscount: doc.maxDiscount ?? null,
    buyQty: doc.buyQty ?? null,
    freeQty: doc.freeQty ?? null,
    skus: doc.skus ?? [],
    bundlePrice: doc.bundlePrice ?? null,
    bundleItems: (doc.bundleItems ?? []).map((b) => ({
      sku: b.sku,
      productId: b.productId,
      name: b.name,
      price: b.price,
    })),
    tiers: (doc.tiers ?? []).map((t) => ({ threshold: t.threshold, off: t.off })),
    startsAt: doc.startsAt,
    endsAt: doc.endsAt,
    active: doc.active,
    createdAt: doc.createdAt,
  };
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
  skuInfo: (
    sku: string,
  ) => Promise<{ productId: string; shopId: string; price: number; name: string } | null>;
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
      let shopId = isAdmin ? (input.shopId ?? null) : actor.shopId;
      let productId: string | null = null;
      const bundleItems: BundleItem[] = [];
      if (fields.kind === 'bundle') {
        // Every SKU of one shop: the seller's own, or for an admin the shop given (or the first SKU's).
        const infos = await Promise.all(fields.skus.map((sku) => deps.skuInfo(sku)));
        const issues: FieldIssue[] = [];
        infos.forEach((info, i) => {
          shopId ??= info?.shopId ?? null;
          if (!info || info.shopId !== shopId)
            issues.push({
              field: `body.skus.${i}`,
              message: !info
                ? 'no such SKU'
                : isAdmin
                  ? "not the same shop's SKU as the others"
                  : "not one of your shop's SKUs",
            });
          else
            bundleItems.push({
              sku: fields.skus[i]!,
              productId: info.productId,
              name: info.name,
              price: info.price,
            });
        });
        if (issues.length) throw new ValidationError(issues);
        const sum = bundleItems.reduce((n, b) => n + b.price, 0);
        if (fields.bundlePrice! >= sum)
          throw new ValidationError([
            {
              field: 'body.bundlePrice',
              message: `must be below the SKUs' list prices together (${yuan(sum)})`,
            },
          ]);
      }
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
        productId = info.productId;
      }
      const doc: AutoPromotionDoc = {
        _id: newId('prm'),
        ...fields,
        funding: isAdmin ? 'platform' : 'seller',
        sellerId: isAdmin ? null : actor.id,
        shopId,
        productId,
        bundleItems,
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
