import type { CatalogService } from '../catalog';
import type { CategoryService } from '../categories';
import { NotFoundError } from '../errors';
import type { InventoryService } from '../inventory';
import type { PublicPhotos } from '../photos';
import type { RatingReader } from '../reviews';
import type { ShopService } from '../shops';
import { placeholderImageUrl } from './listings';
import type { ProductDetail } from './types';
import { hiddenReason } from './visibility';

/** Assembles what a product page shows from the catalog, inventory, categories and shops. */
export function createProductViews(deps: {
  catalog: CatalogService;
  inventory: InventoryService;
  categories: CategoryService;
  shops: ShopService;
  /** The product's rating totals (the reviews domain's aggregate). */
  ratings: Pick<RatingReader, 'ratingOf'>;
  /** Checked photos shoppers may see, main first; they replace the generated artwork. */
  photos?: { publicPhotos(productId: string): Promise<PublicPhotos> };
}) {
  return {
    async productDetail(id: string): Promise<ProductDetail> {
      const product = await deps.catalog.getProduct(id);
      if (!product) throw new NotFoundError('Product');
      const [levels, crumbs, shop, rating, photos] = await Promise.all([
        deps.inventory.getLevels(product.variants.map((v) => v.sku)),
        deps.categories.breadcrumbs(product.categoryId),
        deps.shops.getShop(product.shopId),
        deps.ratings.ratingOf(product.id),
        deps.photos?.publicPhotos(product.id),
      ]);
      const category = crumbs.at(-1);
      const photoUrls = photos?.photos.map((p) => p.urls.large) ?? [];
      const images = photoUrls.length
        ? photoUrls
        : product.images.length
          ? product.images
          : [placeholderImageUrl(product.id)];
      return {
        id: product.id,
        urlHandle: product.urlHandle,
        name: product.name,
        nameZh: product.nameZh,
        description: product.description,
        descriptionZh: product.descriptionZh,
        brand: product.brand,
        tags: product.tags,
        category: category
          ? { id: category.id, name: category.name, nameZh: category.nameZh }
          : { id: product.categoryId, name: '', nameZh: '' },
        breadcrumbs: crumbs.map((c) => ({ id: c.id, name: c.name, nameZh: c.nameZh })),
        shop: shop
          ? { id: shop.id, name: shop.name, nameZh: shop.nameZh, slug: shop.slug }
          : { id: product.shopId, name: '', nameZh: '', slug: '' },
        sellerId: product.sellerId,
        currency: 'CNY',
        variants: product.variants.map((v) => ({
          sku: v.sku,
          title: v.title,
          price: v.price,
          attributes: v.attributes,
          imageUrls: v.images.length ? v.images : images,
          available: levels.get(v.sku)?.available ?? 0,
          stockVersion: levels.get(v.sku)?.version ?? 0,
        })),
        imageUrls: images,
        rating,
        hiddenBecause: hiddenReason(product, shop),
        takedownReason: product.takedown?.reason ?? null,
        version: product.version,
        createdAt: product.createdAt.toISOString(),
        updatedAt: product.updatedAt.toISOString(),
      };
    },
  };
}

export type ProductViews = ReturnType<typeof createProductViews>;
