import { applyAutoPromotions, isLive, type PromotableLine } from './auto-pricing';
import type { AutoPromotion } from './auto-types';

/** What a product card or page shows of the live promotions: per SKU its sale price, and badges. */
export interface ProductPromotionView {
  salePrices: Record<string, number>;
  /** Short lines such as "10% off" or "满¥300减¥30", most valuable first. */
  badges: string[];
  /** Live bundles with one of the product's SKUs: "Buy together: A + B for ¥X". */
  bundles: BundleView[];
}

export interface BundleView {
  promotionId: string;
  title: string;
  /** The set's SKUs with their products' names (as when the bundle was created). */
  items: { sku: string; productId: string; name: string }[];
  /** Fen for one set, and what its SKUs cost at list price together. */
  price: number;
  listTotal: number;
}

export const yuan = (fen: number) => `¥${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}`;

/** The badge text of a percentage or spend-and-save promotion. */
export function badgeOf(p: AutoPromotion): string | null {
  if (p.kind === 'percent_off')
    return `${p.percent}% off${p.maxDiscount ? ` (up to ${yuan(p.maxDiscount)})` : ''}`;
  if (p.kind === 'buy_n_get_m') return `Buy ${p.buyQty} get ${p.freeQty} free`;
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
  // Spend-and-save and bundles depend on the whole cart: a badge or a "buy together" line here, never a
  // unit price (two variants of one product would otherwise make a set).
  const unitPromotions = promotions.filter((p) => p.kind !== 'spend_and_save' && p.kind !== 'bundle');
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
          (p.kind === 'buy_n_get_m' &&
            (p.categoryId === null || product.categoryIds.includes(p.categoryId))) ||
          (p.kind === 'percent_off' &&
            (p.categoryId === null || product.categoryIds.includes(p.categoryId)))),
    )
    .sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0) || (a.id < b.id ? -1 : 1))
    .map(badgeOf)
    .filter((b): b is string => b !== null);
  const skus = new Set(product.variants.map((v) => v.sku));
  const bundles = promotions
    .filter(
      (p) =>
        p.kind === 'bundle' &&
        isLive(p, at) &&
        p.shopId === product.shopId &&
        p.skus.some((sku) => skus.has(sku)),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((p) => ({
      promotionId: p.id,
      title: p.title,
      items: p.bundleItems.map((b) => ({ sku: b.sku, productId: b.productId, name: b.name })),
      price: p.bundlePrice!,
      listTotal: p.bundleItems.reduce((n, b) => n + b.price, 0),
    }));
  return { salePrices, badges, bundles };
}

/** "Buy together: A + B for ¥X". */
export const bundleLine = (b: Pick<BundleView, 'items' | 'price'>) =>
  `Buy together: ${b.items.map((i) => i.name).join(' + ')} for ${yuan(b.price)}`;

/** What a product card shows: the lowest unit price promotions give (when below `priceMin`) and a badge. */
export interface CardPromotion {
  salePrice: number | null;
  badge: string | null;
}

/**
 * A card's promotion from the live set in memory (no query per card): the lowest of the product's list
 * price and its SKUs' sale prices, less the best percentage covering it; the badge of the best offer.
 */
export function cardPromotion(
  card: { id: string; shopId: string; categoryPath: readonly string[]; priceMin: number },
  promotions: readonly AutoPromotion[],
  at: Date,
): CardPromotion {
  const live = promotions.filter((p) => isLive(p, at) && (p.shopId === null || p.shopId === card.shopId));
  let price = card.priceMin;
  let sale = false;
  for (const p of live)
    if (p.kind === 'sale_price' && p.productId === card.id && p.salePrice! < price)
      [price, sale] = [p.salePrice!, true];
  const percent = live
    .filter(
      (p) => p.kind === 'percent_off' && (p.categoryId === null || card.categoryPath.includes(p.categoryId)),
    )
    .sort((a, b) => b.percent! - a.percent! || (a.id < b.id ? -1 : 1))[0];
  if (percent) price -= Math.floor((price * percent.percent!) / 100);
  const tiers = live.find((p) => p.kind === 'spend_and_save');
  const bogo = live.find(
    (p) => p.kind === 'buy_n_get_m' && (p.categoryId === null || card.categoryPath.includes(p.categoryId)),
  );
  const offer = percent ?? bogo ?? tiers;
  const badge = percent ? badgeOf(percent) : sale ? 'Sale' : offer ? badgeOf(offer) : null;
  return { salePrice: price < card.priceMin ? price : null, badge };
}
