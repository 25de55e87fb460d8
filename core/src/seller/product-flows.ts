import { assertCanEdit, type Actor, type CatalogService, type Product, type ProductInput } from '../catalog';
import { NotFoundError } from '../errors';
import type { InventoryService, StockLevel } from '../inventory';

/**
 * Seller flows that cross the catalog and inventory domains. Each step has its compensation:
 * a product whose initial stock cannot be written is removed again.
 */
export function createSellerProductFlows(deps: { catalog: CatalogService; inventory: InventoryService }) {
  return {
    async createProductWithStock(actor: Actor, input: ProductInput): Promise<Product> {
      const product = await deps.catalog.createProduct(actor, input);
      try {
        for (const variant of input.variants) {
          await deps.inventory.setStock(
            { sku: variant.sku, productId: product.id, sellerId: product.sellerId },
            variant.stock ?? 0,
            actor.id,
          );
        }
      } catch (err) {
        await deps.catalog.deleteProduct(actor, product.id).catch(() => undefined);
        throw err;
      }
      return product;
    },

    async setVariantStock(
      actor: Actor,
      productId: string,
      sku: string,
      available: number,
    ): Promise<StockLevel> {
      const product = await deps.catalog.requireProduct(productId);
      assertCanEdit(actor, product);
      if (!product.variants.some((v) => v.sku === sku)) throw new NotFoundError('Variant');
      const result = await deps.inventory.setStock(
        { sku, productId, sellerId: product.sellerId },
        available,
        actor.id,
      );
      if (!result.ok) throw new Error('setStock never refuses');
      return result.level;
    },
  };
}

export type SellerProductFlows = ReturnType<typeof createSellerProductFlows>;
