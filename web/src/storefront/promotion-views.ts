import { cardPromotion, productPromotionView, type CoreServices } from '@market/core';

/**
 * What the storefront shows of automatic promotions and live flash sales, computed in memory for a whole
 * page: one read of the live promotions and of the open flash sales (each cached a few seconds by its
 * service) and of the categories, never a query per card.
 */
export function createPromotionViews(
  core: Pick<CoreServices, 'autoPromotions' | 'categories'> & {
    flashSales: Pick<CoreServices['flashSales'], 'liveByProduct'>;
  },
) {
  async function context() {
    const [promotions, categories] = await Promise.all([
      core.autoPromotions.forDisplay(),
      core.categories.list(),
    ]);
    const pathOf = new Map(categories.map((c) => [c.id, [...c.ancestors, c.id]]));
    return { promotions, pathOf, at: core.autoPromotions.now() };
  }

  return {
    /**
     * Adds `promotion` ({salePrice, badge}) to cards some promotion covers, and `flash` to cards of
     * products in a live flash sale with units left.
     */
    async cards<C extends { id: string; shopId: string; categoryId: string; priceMin: number }>(
      cards: C[],
    ): Promise<
      (C & {
        promotion?: { salePrice: number | null; badge: string | null };
        flash?: { saleId: string; salePrice: number; normalPrice: number; endsAt: string };
      })[]
    > {
      if (!cards.length) return cards;
      const [{ promotions, pathOf, at }, flash] = await Promise.all([
        context(),
        core.flashSales.liveByProduct(cards.map((c) => c.id)),
      ]);
      if (!promotions.length && !flash.size) return cards;
      return cards.map((card) => {
        const promotion = cardPromotion(
          { ...card, categoryPath: pathOf.get(card.categoryId) ?? [card.categoryId] },
          promotions,
          at,
        );
        const sale = flash.get(card.id);
        return {
          ...card,
          ...((promotion.salePrice !== null || promotion.badge) && { promotion }),
          ...(sale && { flash: { ...sale, endsAt: sale.endsAt.toISOString() } }),
        };
      });
    },

    /** A product page's sale prices per SKU and badges. */
    async product(detail: {
      shop: { id: string };
      sellerId: string;
      category: { id: string };
      variants: { sku: string; price: number }[];
    }) {
      const { promotions, pathOf, at } = await context();
      return productPromotionView(
        {
          shopId: detail.shop.id,
          sellerId: detail.sellerId,
          categoryIds: pathOf.get(detail.category.id) ?? [detail.category.id],
          variants: detail.variants,
        },
        promotions,
        at,
      );
    },
  };
}
