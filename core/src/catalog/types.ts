export interface Variant {
  sku: string;
  title: string;
  /** Integer minor units (fen). */
  price: number;
  attributes: Record<string, string>;
  images: string[];
}

export interface Product {
  id: string;
  shopId: string;
  sellerId: string;
  categoryId: string;
  categoryAncestors: string[];
  /** Seller-chosen key, unique within the shop; CSV rows with one handle are variants of one product. */
  handle: string;
  /**
   * The public URL key (`/p/<urlHandle>`), unique across the marketplace; null only on a product written
   * before URL handles existed, until the start-up backfill reaches it.
   */
  urlHandle: string | null;
  name: string;
  nameZh: string;
  description: string;
  descriptionZh: string;
  brand: string;
  tags: string[];
  variants: Variant[];
  images: string[];
  popularity: number;
  status: 'active' | 'deleted';
  /** Staff took it off sale (with their reason); the seller cannot put it back, staff can. */
  takedown: ProductTakedown | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductTakedown {
  reason: string;
  by: string;
  at: Date;
}

export interface VariantInput {
  sku: string;
  title?: string;
  price: number;
  attributes?: Record<string, string>;
  images?: string[];
  stock?: number;
}

export interface ProductInput {
  handle?: string;
  name: string;
  nameZh?: string;
  description?: string;
  descriptionZh?: string;
  brand?: string;
  categoryId: string;
  tags?: string[];
  images?: string[];
  variants: VariantInput[];
}

export type ProductPatch = Partial<Omit<ProductInput, 'variants' | 'handle'>>;

/** Who is acting: enough to check ownership without importing the users domain's model. */
export interface Actor {
  id: string;
  roles: readonly string[];
  shopId: string | null;
}
