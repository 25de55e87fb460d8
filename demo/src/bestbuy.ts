import { readFileSync } from 'node:fs';
import { bilingualColour, brandZh, translateTitle } from './bestbuy-translate';
import { usdCentsToFen } from './pricing';

/**
 * Real Best Buy phone and accessory listings (see data/SOURCE.md), placed on the demo's phone leaves.
 * The compact copy ships with the app; scripts/build-demo-data.ts regenerates it from the full records.
 */
export interface RealListing {
  leafSlug: string;
  brand: string;
  brandZh: string;
  name: string;
  nameZh: string;
  description: string;
  popularity: number;
  /** popularity / the most popular record's, 0–1: how much of a bestseller it was at Best Buy. */
  popularityShare: number;
  /** Colour variants of the same product; `colour` is null when the record names none. */
  variants: { colour: string | null; price: number }[];
}

interface CompactFile {
  brands: string[];
  paths: string[][];
  records: [
    name: string,
    brand: number,
    path: number,
    popularity: number,
    description: string,
    variants: [string, number][],
  ][];
}

/** The compact copy of the Best Buy records that the app ships (data/SOURCE.md). */
export const BESTBUY_DATA_FILE = new URL('./data/bestbuy-cell-phones.json', import.meta.url);

/** The Chinese noun a title falls back to when the phrase table recognises none of its words. */
const LEAF_NOUNS: Record<string, string> = {
  phones: '手机',
  'phone-cases': '手机壳',
  'screen-protectors': '手机贴膜',
  'chargers-cables': '充电配件',
  'power-banks': '充电宝',
  'smartwatch-accessories': '智能手表配件',
  headphones: '耳机',
  'phone-gadgets': '手机配件',
};

/** Best Buy's category path (and, for its catch-all "Accessories" nodes, the title) → a demo leaf slug. */
export function leafForBestBuy(path: readonly string[], name: string): string {
  const joined = path.join(' > ');
  const last = path[path.length - 1] ?? '';
  if (/Smartwatch/.test(joined)) return 'smartwatch-accessories';
  if (/Headsets|Speakers|Speakerphones/.test(joined)) return 'headphones';
  if (/Screen Protectors/.test(joined)) return 'screen-protectors';
  if (/Cases|Armbands/.test(joined)) return 'phone-cases';
  if (/Internal Batteries/.test(joined)) return 'power-banks';
  if (/Chargers|Cables|Adapters|Charging|Docks/.test(joined)) return 'chargers-cables';
  if (/Mounts|Photography|Selfie|Lenses|Tracker|Care & Cleaning|Add-Ons/.test(joined)) return 'phone-gadgets';
  if (!/Accessories/.test(last)) return 'phones';
  // The catch-all nodes ("Cell Phone Accessories", "iPhone Accessories") hold a bit of everything.
  if (/virtual reality|\bVR\b|goggles/i.test(name)) return 'phone-gadgets';
  if (/screen protector|invisibleshield|\bshield\b|\bglass\b/i.test(name)) return 'screen-protectors';
  if (/\b(case|cover|folio|sleeve|holster|skin|bumper)\b/i.test(name)) return 'phone-cases';
  if (/portable charger|power ?bank|battery|power ?pack|powerstation|juice/i.test(name)) return 'power-banks';
  if (/charg|cable|adapter|dock|lightning|usb/i.test(name)) return 'chargers-cables';
  if (/headset|headphone|earbud|speaker/i.test(name)) return 'headphones';
  return 'phone-gadgets';
}

let cached: ReadonlyMap<string, readonly RealListing[]> | undefined;

/** Real listings grouped by leaf slug, most popular first. Parsed once: the data never changes at run time. */
export function realListingsByLeaf(): ReadonlyMap<string, readonly RealListing[]> {
  if (cached) return cached;
  const file = JSON.parse(readFileSync(BESTBUY_DATA_FILE, 'utf8')) as CompactFile;
  const byLeaf = new Map<string, RealListing[]>();
  const top = Math.max(1, ...file.records.map((r) => r[3]));
  for (const [main, brandIndex, pathIndex, popularity, description, variants] of file.records) {
    const brand = file.brands[brandIndex]!;
    const leafSlug = leafForBestBuy(file.paths[pathIndex]!, main);
    const listing: RealListing = {
      leafSlug,
      brand,
      brandZh: brandZh(brand),
      name: `${brand} ${main}`,
      nameZh: `${brandZh(brand)} ${translateTitle(main, LEAF_NOUNS[leafSlug]!)}`,
      description,
      popularity,
      popularityShare: popularity / top,
      variants: variants.map(([colour, cents]) => ({
        colour: colour ? bilingualColour(colour) : null,
        price: usdCentsToFen(cents),
      })),
    };
    const list = byLeaf.get(leafSlug) ?? [];
    list.push(listing);
    byLeaf.set(leafSlug, list);
  }
  for (const list of byLeaf.values()) list.sort((a, b) => b.popularity - a.popularity);
  cached = byLeaf;
  return byLeaf;
}
