/** Shapes of the HTTP API as the browser sees them. Money is integer fen (CNY); ids are opaque strings. */

export type Role = 'shopper' | 'seller' | 'courier' | 'support' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  shopId: string | null;
}

export interface PasswordCheck {
  ok: boolean;
  score: number;
  problem: string | null;
  suggestions: string[];
}

export interface SessionInfo {
  user: User | null;
  csrfToken: string;
}

export interface Category {
  id: string;
  slug: string;
  name: string;
  nameZh: string;
  parentId: string | null;
  depth: number;
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'popular';

export interface ProductCard {
  id: string;
  name: string;
  nameZh: string;
  brand: string;
  categoryId: string;
  shopId: string;
  shopName: string;
  shopNameZh: string;
  priceMin: number;
  priceMax: number;
  currency: 'CNY';
  /** May be empty when the product has no image. */
  imageUrl: string;
  available: number;
  inStock: boolean;
  popularity: number;
}

export interface NamedRef {
  id: string;
  name: string;
  nameZh: string;
}

export interface Variant {
  sku: string;
  title: string;
  price: number;
  attributes: Record<string, string>;
  imageUrls: string[];
  available: number;
  /** Ledger version of `available`; `stock.changed` messages with a lower version are stale. */
  stockVersion: number;
}

export interface ProductDetail {
  id: string;
  name: string;
  nameZh: string;
  description: string;
  descriptionZh: string;
  brand: string;
  tags: string[];
  category: NamedRef;
  breadcrumbs: NamedRef[];
  shop: NamedRef & { slug: string };
  sellerId: string;
  currency: 'CNY';
  variants: Variant[];
  imageUrls: string[];
  /** From visible reviews: average to one decimal (0 when none) and how many. */
  rating: { average: number; count: number };
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ProductQuery {
  category?: string;
  shop?: string;
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  sort?: ProductSort;
  limit?: number;
  cursor?: string;
}

export interface NewVariantInput {
  sku: string;
  title?: string;
  price: number;
  attributes?: Record<string, string>;
  stock?: number;
}

export interface NewProductInput {
  name: string;
  nameZh?: string;
  description?: string;
  descriptionZh?: string;
  brand?: string;
  categoryId: string;
  tags?: string[];
  variants: NewVariantInput[];
}

export type ProductPatch = Partial<Omit<NewProductInput, 'variants'>>;

export interface StockLevel {
  sku: string;
  productId: string;
  available: number;
  version: number;
}

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportJob {
  id: string;
  status: ImportStatus;
  fileName: string;
  totalRows: number;
  processedRows: number;
  succeeded: number;
  failed: number;
  errors: ImportRowError[];
  /** True when the server kept only the first row errors. */
  errorsTruncated: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RegisterInput {
  email: string;
  password: string;
  name: string;
  role: 'shopper' | 'seller';
  shopName?: string;
}
