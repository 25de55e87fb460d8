import type { CatalogService } from '../catalog';
import type { CartService } from '../cart';
import type { FlashSaleService } from '../flash';
import type { GroupBuyingService } from '../group-buying';
import { ValidationError } from '../errors';
import type { InventoryService } from '../inventory';
import type { MembershipService } from '../membership';
import { formatYuan, splitProportionally } from '../money';
import type { Address, Delivery, OrderLine } from '../orders';
import {
  applyAutoPromotions,
  type AppliedPromotion,
  type AutoPromotionService,
  type PromotableLine,
  type PromotionService,
  type SpendNudge,
} from '../promotions';
import { type Clock, systemClock } from '../clock';
import type { ShopService } from '../shops/service';
import { placeholderImageUrl } from '../storefront/listings';
import { hiddenReason } from '../storefront/visibility';
import { CheckoutConflictError, flashClaimError, groupSeatError } from './errors';
import { findPickupPoint } from './pickup-points';

/** A line to price: a cart line, or a flash-sale winner's line (`saleId`, `seenPrice` = the sale price). */
interface PricedLine {
  sku: string;
  productId: string;
  qty: number;
  seenPrice: number;
  saleId?: string;
  /** A group-buy line: one unit at the group price (`seenPrice`), for this group. */
  groupId?: string;
}

/** Courier delivery per seller order, fen, unless the order reaches the tier's free-shipping threshold. */
export const COURIER_FEE = 800;

export interface CheckoutInput {
  delivery: { method: 'courier' | 'pickup'; address?: Address | null; pickupPointId?: string | null };
  couponCode?: string | null;
  pointsToRedeem?: number;
  /**
   * A flash-sale winner's claim: the checkout is then that claim's line alone (the sale's SKU, the
   * claim's units, the sale price, taken from the sale's hold), not the cart.
   */
  flashClaim?: { saleId: string; token: string } | null;
  /**
   * A group buy: the checkout is then one unit of the deal's SKU at the group price, not the cart, and
   * takes a seat in the group (`groupId`), or starts a new group (`groupId` absent).
   */
  groupBuy?: { dealId: string; groupId?: string | null } | null;
  /**
   * What the shopper was shown (the quote's total, promotion discount and applied promotions): checkout
   * refuses with `price_changed` and the new quote when what it would charge differs, instead of
   * charging it unasked. Absent: charged as priced now (API clients that do not show a quote).
   */
  seenQuote?: SeenQuote | null;
}

/** The figures of a quote the shopper agreed to, as the checkout page sends them back. */
export interface SeenQuote {
  total: number;
  promotionDiscount: number;
  promotionIds: string[];
}

/** The applied promotions' ids of a quote, each once, sorted (so two quotes compare as sets). */
export function appliedPromotionIds(quote: Pick<CheckoutQuote, 'sellers'>): string[] {
  return [...new Set(quote.sellers.flatMap((s) => s.promotions.map((p) => p.promotionId)))].sort();
}

/** Whether checking out now would charge something other than what the shopper saw. */
export function quoteDiffers(seen: SeenQuote, now: CheckoutQuote): boolean {
  const ids = appliedPromotionIds(now);
  const seenIds = [...new Set(seen.promotionIds)].sort();
  return (
    seen.total !== now.total ||
    seen.promotionDiscount !== now.promotionDiscount ||
    ids.length !== seenIds.length ||
    ids.some((id, i) => id !== seenIds[i])
  );
}

export interface SellerQuote {
  sellerId: string;
  shopId: string;
  shopName: string;
  lines: OrderLine[];
  /** Goods at list prices. */
  items: number;
  shipping: number;
  /** What automatic promotions take off this seller's items (the sum of `promotions`). */
  promotionDiscount: number;
  promotions: AppliedPromotion[];
  /** The coupon's discount. */
  discount: number;
  points: number;
  /** items + shipping − promotionDiscount − discount − points. */
  total: number;
}

export interface CheckoutQuote {
  sellers: SellerQuote[];
  items: number;
  shipping: number;
  promotionDiscount: number;
  discount: number;
  points: number;
  total: number;
  /** The next tier of each spend-and-save promotion in reach ("spend ¥40 more to save ¥30"). */
  nudges: SpendNudge[];
  coupon: { couponId: string; code: string; funding: 'platform' | 'seller'; description: string } | null;
  pointsBalance: number;
  maxRedeemablePoints: number;
  freeShippingThreshold: number;
}

/**
 * What a cart costs: per seller, items at today's prices, the automatic promotions live now (sale
 * prices, percentages, spend-and-save: core/src/promotions/auto-pricing.ts), shipping by method and
 * membership tier on what the items cost after promotions, the coupon's discount on what remains (its
 * minimum spend judged after promotions) and the points redeemed, all integer fen. Used by the quote and
 * by checkout (which also refuses lines that changed since the shopper saw them), so what the shopper is
 * shown is what is charged; a promotion ended in between is simply not applied at checkout.
 */
export function createPricing(deps: {
  catalog: CatalogService;
  cart: CartService;
  inventory: InventoryService;
  shops: ShopService;
  promotions: PromotionService;
  autoPromotions: Pick<AutoPromotionService, 'live'>;
  membership: MembershipService;
  flash: Pick<FlashSaleService, 'claimLine'>;
  groups: Pick<GroupBuyingService, 'lineFor'>;
  clock?: Clock;
}) {
  const now = deps.clock ?? systemClock;
  /** The lines to price: the winner's flash line alone, the group-buy line alone, or the cart. */
  async function linesToPrice(userId: string, input: CheckoutInput): Promise<PricedLine[]> {
    if (input.groupBuy) {
      const answer = await deps.groups.lineFor(userId, input.groupBuy);
      if (answer.status !== 'ok') throw groupSeatError(answer.status);
      const { line } = answer;
      return [
        {
          sku: line.sku,
          productId: line.productId,
          qty: 1,
          seenPrice: line.groupPrice,
          groupId: line.groupId,
        },
      ];
    }
    if (!input.flashClaim) return deps.cart.lines({ userId });
    const { saleId, token } = input.flashClaim;
    const claimed = await deps.flash.claimLine(userId, saleId, token);
    if (claimed.status !== 'live') throw flashClaimError(claimed.status);
    const { line } = claimed;
    return [{ sku: line.sku, productId: line.productId, qty: line.qty, seenPrice: line.salePrice, saleId }];
  }

  function checkDelivery(input: CheckoutInput['delivery']): Delivery {
    if (input.method === 'pickup') {
      const point = input.pickupPointId ? findPickupPoint(input.pickupPointId) : undefined;
      if (!point)
        throw new ValidationError([
          { field: 'body.delivery.pickupPointId', message: 'choose one of the pickup points' },
        ]);
      return {
        method: 'pickup',
        address: null,
        pickupPoint: { id: point.id, name: point.name, address: point.address },
      };
    }
    if (!input.address)
      throw new ValidationError([
        { field: 'body.delivery.address', message: 'a delivery address is required for courier delivery' },
      ]);
    return { method: 'courier', address: input.address, pickupPoint: null };
  }

  /** Prices the cart as it is now; throws `cart_changed` when a line changed since the shopper saw it. */
  async function price(userId: string, input: CheckoutInput, strict: boolean): Promise<CheckoutQuote> {
    const cartLines = await linesToPrice(userId, input);
    if (!cartLines.length) throw new CheckoutConflictError('cart_empty', 'Your cart is empty');
    // Stock and products of every line in parallel: one round trip's wait instead of one per line.
    const [levels, products] = await Promise.all([
      deps.inventory.getLevels(cartLines.filter((l) => !l.saleId).map((l) => l.sku)),
      Promise.all(cartLines.map((l) => deps.catalog.getProduct(l.productId))),
    ]);
    const changed: {
      sku: string;
      code: string;
      message: string;
      available?: number;
      previousPrice?: number;
      price?: number;
    }[] = [];
    const bySeller = new Map<string, SellerQuote>();
    const promotable: (PromotableLine & { line: OrderLine })[] = [];
    for (const [i, line] of cartLines.entries()) {
      const product = products[i];
      const variant =
        product?.status === 'active' ? product.variants.find((v) => v.sku === line.sku) : undefined;
      const shop = product ? await deps.shops.getShop(product.shopId) : null;
      // Taken down, or its shop not trading (pending, suspended, owner blocked): not for sale.
      if (!product || !variant || hiddenReason(product, shop)) {
        changed.push({ sku: line.sku, code: 'unavailable', message: 'This item is no longer sold' });
        continue;
      }
      // A flash line's units are the sale's, held out of normal stock since the sale began.
      const available = line.saleId ? line.qty : (levels.get(line.sku)?.available ?? 0);
      if (available < line.qty)
        changed.push({
          sku: line.sku,
          code: 'insufficient_stock',
          message: available ? `Only ${available} left` : 'Out of stock',
          available,
        });
      // A flash or group line is at its offer's price, fixed when the offer was made.
      const unitPrice = line.saleId || line.groupId ? line.seenPrice : variant.price;
      if (unitPrice !== line.seenPrice)
        changed.push({
          sku: line.sku,
          code: 'price_changed',
          message: `Price changed from ${formatYuan(line.seenPrice)} to ${formatYuan(variant.price)}`,
          previousPrice: line.seenPrice,
          price: variant.price,
        });
      let seller = bySeller.get(product.sellerId);
      if (!seller) {
        seller = {
          sellerId: product.sellerId,
          shopId: product.shopId,
          shopName: shop?.name ?? '',
          lines: [],
          items: 0,
          shipping: 0,
          promotionDiscount: 0,
          promotions: [],
          discount: 0,
          points: 0,
          total: 0,
        };
        bySeller.set(product.sellerId, seller);
      }
      const orderLine: OrderLine = {
        sku: line.sku,
        productId: product.id,
        name: product.name,
        nameZh: product.nameZh,
        variantTitle: variant.title,
        image: variant.images[0] ?? product.images[0] ?? placeholderImageUrl(product.id),
        unitPrice,
        qty: line.qty,
        lineTotal: unitPrice * line.qty,
        ...(line.saleId && { flashSaleId: line.saleId }),
        ...(line.groupId && { groupId: line.groupId }),
      };
      seller.lines.push(orderLine);
      seller.items += unitPrice * line.qty;
      promotable.push({
        key: String(i),
        sku: line.sku,
        sellerId: product.sellerId,
        shopId: product.shopId,
        categoryIds: [product.categoryId, ...(product.categoryAncestors ?? [])],
        unitPrice,
        qty: line.qty,
        // A flash or group line is at its offer's own price: no automatic promotion on top.
        flash: Boolean(line.saleId || line.groupId),
        line: orderLine,
      });
    }
    if (strict && changed.length)
      throw new CheckoutConflictError(
        'cart_changed',
        'Some items in your cart changed; review them before paying',
        {
          lines: changed,
        },
      );

    const [account, livePromotions] = await Promise.all([
      deps.membership.account(userId),
      deps.autoPromotions.live(),
    ]);
    const sellers = [...bySeller.values()];
    const promoted = applyAutoPromotions(promotable, livePromotions, now());
    for (const p of promotable) {
      const outcome = promoted.lines.get(p.key);
      if (!outcome?.discount) continue;
      if (outcome.salePrice !== null) p.line.salePrice = outcome.salePrice;
      p.line.promotionDiscount = outcome.discount;
    }
    for (const s of sellers) {
      s.promotions = promoted.bySeller.get(s.sellerId) ?? [];
      s.promotionDiscount = s.promotions.reduce((n, p) => n + p.amount, 0);
    }
    const afterPromotions = (s: SellerQuote) => s.items - s.promotionDiscount;
    for (const s of sellers)
      s.shipping =
        input.delivery.method === 'courier' && afterPromotions(s) < account.benefits.freeShippingThreshold
          ? COURIER_FEE
          : 0;

    let coupon: CheckoutQuote['coupon'] = null;
    if (input.couponCode) {
      const quote = await deps.promotions.quote(input.couponCode, {
        userId,
        subtotalsBySeller: Object.fromEntries(sellers.map((s) => [s.sellerId, afterPromotions(s)])),
      });
      for (const s of sellers) s.discount = quote.discountBySeller[s.sellerId] ?? 0;
      coupon = {
        couponId: quote.couponId,
        code: quote.code,
        funding: quote.funding,
        description: quote.description,
      };
    }

    const bases = sellers.map((s) => afterPromotions(s) + s.shipping - s.discount);
    const payable = bases.reduce((a, b) => a + b, 0);
    const maxRedeemablePoints = Math.min(
      account.balance,
      Math.floor((payable * account.benefits.maxRedeemPercent) / 100),
    );
    const points = input.pointsToRedeem ?? 0;
    if (points > account.balance)
      throw new ValidationError([
        { field: 'body.pointsToRedeem', message: `you have ${account.balance} points` },
      ]);
    if (points > maxRedeemablePoints)
      throw new ValidationError([
        {
          field: 'body.pointsToRedeem',
          message: `at most ${maxRedeemablePoints} points can be used on this order`,
        },
      ]);
    const pointsBySeller = splitProportionally(
      points,
      Object.fromEntries(sellers.map((s, i) => [s.sellerId, bases[i]!])),
    );
    sellers.forEach((s, i) => {
      s.points = pointsBySeller[s.sellerId] ?? 0;
      s.total = bases[i]! - s.points;
    });
    const sum = (f: (s: SellerQuote) => number) => sellers.reduce((n, s) => n + f(s), 0);
    return {
      sellers,
      items: sum((s) => s.items),
      shipping: sum((s) => s.shipping),
      promotionDiscount: sum((s) => s.promotionDiscount),
      discount: sum((s) => s.discount),
      points,
      total: sum((s) => s.total),
      nudges: promoted.nudges,
      coupon,
      pointsBalance: account.balance,
      maxRedeemablePoints,
      freeShippingThreshold: account.benefits.freeShippingThreshold,
    };
  }

  return { checkDelivery, price };
}

export type Pricing = ReturnType<typeof createPricing>;
