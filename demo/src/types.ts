export interface DemoCategory {
  id: string;
  slug: string;
  name: string;
  nameZh: string;
  parentId: string | null;
}

export interface DemoSeller {
  id: string;
  email: string;
  name: string;
  shopName: string;
  shopNameZh: string;
  shopSlug: string;
  city: string;
}

export interface DemoVariant {
  sku: string;
  title: string;
  /** Integer fen (CNY minor units). */
  price: number;
  /** English keys (`color`, `size`, `capacity`, …); values read in both languages where they differ. */
  attributes: Record<string, string>;
  stock: number;
}

export interface DemoProduct {
  id: string;
  sellerId: string;
  /** Always a leaf category. */
  categoryId: string;
  name: string;
  nameZh: string;
  brand: string;
  description: string;
  descriptionZh: string;
  tags: string[];
  popularity: number;
  variants: DemoVariant[];
  createdAt: Date;
}

export interface DemoCatalog {
  categories: DemoCategory[];
  sellers: DemoSeller[];
  products: DemoProduct[];
}

export interface DemoCatalogOptions {
  /** Default 5,000. */
  products?: number;
  /** Default 24. */
  sellers?: number;
  /** Default 1. The same seed always gives the same catalog. */
  seed?: number;
  /** `createdAt` falls in the 365 days before this instant. Default {@link DEMO_EPOCH}. */
  epoch?: Date;
}

/** Fixed "now" of the demo catalog, so dates do not depend on when it was generated. */
export const DEMO_EPOCH = new Date('2026-01-01T00:00:00.000Z');

/** "English|中文" — one string so the bilingual template tables stay readable. */
export type Bilingual = string;

/** One way a product comes in (`color`, `size`); an option may cost more ("512GB*1.35"). */
export interface VariantAxis {
  /** English attribute key: no `.` or `$`, so it is safe as a document field name. */
  key: string;
  /** "Black|黑色", "XL*1.05", "1kg*1.8|1公斤": value, optional price factor, optional Chinese. */
  options: readonly string[];
  /** How many options a product draws from this axis at most (default 4). */
  max?: number;
}

export interface BrandSpec {
  name: Bilingual;
  /** Product lines of this brand, "Latin|中文" or one string for both; "{12-14}" draws a model number. */
  series?: readonly string[];
}

/** One kind of product within a leaf ("charger" and "cable" under Chargers & Cables); unset fields fall back to the leaf. */
export interface ProductKind {
  nouns: readonly Bilingual[];
  /** Brands that make this kind, when not every brand of the leaf does (no MacBook gaming laptops). */
  brands?: readonly (Bilingual | BrandSpec)[];
  /** Who this kind is for, when it differs from the leaf (sports bras are women's). */
  audiences?: readonly Bilingual[];
  /** Words that fit these nouns only ("65W GaN" charger, "braided" cable). */
  adjectives?: readonly Bilingual[];
  /** A spec that belongs in the title ("65-inch*1.4|65英寸", "500g"); a factor scales the price. */
  specs?: readonly Bilingual[];
  /** Selling points for the description, lower-case English. */
  features?: readonly Bilingual[];
  /** Price range of the base variant, in yuan. */
  price?: readonly [number, number];
  axes?: readonly VariantAxis[];
}

/** How to invent listings for one leaf category. */
export interface LeafTemplate {
  /** Relative share of products in this leaf (default 1). */
  weight?: number;
  brands: readonly (Bilingual | BrandSpec)[];
  kinds: readonly ProductKind[];
  /** "Men's|男士", "Kids'|儿童": who it is for, placed before the adjective. */
  audiences?: readonly Bilingual[];
  /** Product lines used when the brand has none of its own; "{12-14}" draws a model number. */
  series?: readonly string[];
  /** Suffixes after a series ("Pro", "Ultra"); '' for none. */
  seriesSuffixes?: readonly string[];
  specs?: readonly Bilingual[];
  /** Where the spec goes; sizes read best up front ("Hisense 65-inch 4K Smart TV"). Default 'end'. */
  specAt?: 'start' | 'end';
  /** False for books, whose publisher is not part of the title. */
  brandInName?: boolean;
  features: readonly Bilingual[];
  /** "daily commutes|日常通勤", completing "Ideal for …" / "适合…". */
  uses: readonly Bilingual[];
  price: readonly [number, number];
  axes: readonly VariantAxis[];
}
