import { assertCanEdit, type Actor, type CatalogService, type Product, type ProductInput } from '../catalog';
import { NotFoundError } from '../errors';
import type { InventoryService, StockLevel } from '../inventory';
import type { Logger } from '../logger';
import { defineFlow } from './flow';

interface ProductCreation {
  actor: Actor;
  input: ProductInput;
  product: Product | null;
}

/**
 * A seller's products across the catalog and inventory domains: a new product with its initial stock
 * (a product whose stock cannot be written is removed again), and one variant's stock set by hand.
 */
export function createSellerProductFlows(deps: {
  catalog: Pick<CatalogService, 'createProduct' | 'deleteProduct' | 'requireProduct'>;
  inventory: Pick<InventoryService, 'setStock'>;
  log: Logger;
}) {
  const creation = defineFlow<ProductCreation>({
    name: 'product creation',
    log: deps.log,
    describe: ({ actor, product }) => ({ sellerId: actor.id, productId: product?.id }),
    steps: [
      {
        name: 'create product',
        run: async (run) => {
          run.product = await deps.catalog.createProduct(run.actor, run.input);
        },
        // A soft delete: its SKUs stay claimed (any stock written for them stays in their ledger).
        compensate: async ({ actor, product }) => {
          if (product) await deps.catalog.deleteProduct(actor, product.id);
        },
      },
      {
        name: 'set initial stock',
        run: async ({ actor, input, product }) => {
          if (!product) return;
          for (const variant of input.variants)
            await deps.inventory.setStock(
              { sku: variant.sku, productId: product.id, sellerId: product.sellerId },
              variant.stock ?? 0,
              actor.id,
            );
        },
      },
    ],
  });

  return {
    creation,
    async createProductWithStock(actor: Actor, input: ProductInput): Promise<Product> {
      const run: ProductCreation = { actor, input, product: null };
      await creation.run(run);
      if (!run.product) throw new Error('creating a product made no product');
      return run.product;
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
