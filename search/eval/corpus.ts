import { readFileSync } from 'node:fs';
import type { Category, Product } from '@market/core';
import {
  BESTBUY_DATA_FILE,
  DEMO_EPOCH,
  categoryIdFor,
  demoCategoriesAndSellers,
  describeReal,
  leafForBestBuy,
  realListingsByLeaf,
  type RealListing,
} from '@market/demo/real-listings';
import { toSearchDocument } from '../src/document';
import type { SearchDocument } from '../src/types';

/**
 * The evaluation corpus: every real Best Buy product of the demo data, once, as the app sees it (English
 * and Chinese names from the demo generator's translation, its demo category path), turned into search
 * documents by the indexer's own `toSearchDocument`. Ids are `bb_<line>` of the compact data file, so
 * judgments stay valid as long as that file does.
 */
export interface EvalProduct {
  id: string;
  listing: RealListing;
  /** Best Buy's own category path, e.g. Cell Phones › … › iPhone 7 Cases. */
  bestBuyPath: string[];
  /** The title without the brand, as in the data file ("Defender Series Case for Apple iPhone 7"). */
  main: string;
  document: SearchDocument;
}

const SHOP = { id: 'shop_eval', name: 'Eval Shop' };
const USE = { en: 'everyday use', zh: '日常使用' };

interface CompactFile {
  brands: string[];
  paths: string[][];
  records: [string, number, number, number, string, [string, number][]][];
}

export function loadEvalCorpus(): EvalProduct[] {
  const file = JSON.parse(readFileSync(BESTBUY_DATA_FILE, 'utf8')) as CompactFile;
  const { categories } = demoCategoriesAndSellers(1);
  const byId = new Map(categories.map((c) => [c.id, c]));
  const pathTo = (id: string): Category[] => {
    const path: Category[] = [];
    for (let c = byId.get(id); c; c = c.parentId ? byId.get(c.parentId) : undefined) {
      path.unshift({ ...c, ancestors: [], depth: 0, position: 0 });
    }
    return path.map((c, i) => ({ ...c, ancestors: path.slice(0, i).map((a) => a.id), depth: i }));
  };

  // The app's listings (with their Chinese titles) keyed back to their line in the data file.
  const listings = new Map<string, RealListing[]>();
  for (const list of realListingsByLeaf().values()) {
    for (const l of list) {
      const key = `${l.name}\u0000${l.popularity}\u0000${l.description}`;
      listings.set(key, [...(listings.get(key) ?? []), l]);
    }
  }

  return file.records.map(([main, brandIndex, pathIndex, popularity, description], i) => {
    const brand = file.brands[brandIndex]!;
    const key = `${brand} ${main}\u0000${popularity}\u0000${description}`;
    const listing = listings.get(key)?.shift();
    if (!listing) throw new Error(`record ${i} (${brand} ${main}) is not among the demo listings`);
    const bestBuyPath = file.paths[pathIndex]!;
    if (leafForBestBuy(bestBuyPath, main) !== listing.leafSlug) throw new Error(`record ${i}: leaf mismatch`);
    const id = `bb_${String(i + 1).padStart(4, '0')}`;
    const categoryId = categoryIdFor(listing.leafSlug);
    const path = pathTo(categoryId);
    const product: Product = {
      id,
      shopId: SHOP.id,
      sellerId: 'seller_eval',
      categoryId,
      categoryAncestors: path.slice(0, -1).map((c) => c.id),
      handle: id,
      urlHandle: null,
      name: listing.name,
      nameZh: listing.nameZh,
      description: listing.description,
      descriptionZh: describeReal(listing.nameZh, listing.brandZh, USE, null),
      brand: listing.brand,
      // As the demo generator tags real listings: leaf slug, leaf's Chinese name, brand in both languages.
      tags: [
        ...new Set([
          listing.leafSlug,
          path[path.length - 1]!.nameZh,
          listing.brand.toLowerCase(),
          listing.brandZh.toLowerCase(),
        ]),
      ],
      variants: listing.variants.map((v, j) => ({
        sku: `${id}-${j + 1}`,
        title: v.colour ?? 'Standard',
        price: v.price,
        attributes: v.colour ? { color: v.colour } : ({} as Record<string, string>),
        images: [],
      })),
      images: [],
      popularity: listing.popularity,
      status: 'active',
      takedown: null,
      version: 1,
      createdAt: new Date(DEMO_EPOCH.getTime() - (i % 365) * 86_400_000),
      updatedAt: DEMO_EPOCH,
    };
    // Deterministic stock: about one product in twenty sold out, as in the demo data.
    const available = i % 20 === 7 ? 0 : 1 + ((i * 37) % 400);
    const document = toSearchDocument(
      product,
      { available, sourceVersion: 1 },
      { path, shopName: SHOP.name },
    );
    return { id, listing, bestBuyPath, main, document };
  });
}

const HAN = /\p{Script=Han}/u;

/**
 * The same product as an imported listing whose seller wrote English only: no Chinese title or
 * description, tags and colours without their Chinese half. The category names stay bilingual: they are
 * the marketplace's own tree, not the seller's text.
 */
export function englishOnly(document: SearchDocument): SearchDocument {
  const latinPart = (text: string) =>
    text
      .split(/\s+/)
      .filter((w) => w && !HAN.test(w))
      .join(' ');
  return {
    ...document,
    nameZh: '',
    descriptionZh: '',
    tags: document.tags.filter((t) => !HAN.test(t)),
    attributes: document.attributes.map(latinPart).filter(Boolean),
  };
}
