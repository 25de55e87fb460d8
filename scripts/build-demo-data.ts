/**
 * Derives the compact Best Buy phone catalog that the demo generator ships with
 * (demo/src/data/bestbuy-cell-phones.json) from the full records in ../shared/data/bestbuy/.
 *
 *   tsx scripts/build-demo-data.ts [path/to/products.json]
 *
 * The app never reads ../shared at run time: a deployment does not have it. This script is how the committed
 * copy can be regenerated and audited. What it does to the records:
 * - drops US-carrier-only items a Chinese marketplace cannot sell (airtime cards, SIM kits, signal boosters,
 *   carrier hotspots and broadband sticks);
 * - strips ™/®, canonicalises brand spellings, and for carrier-branded phones ("Boost Mobile - LG K3 …") takes the
 *   maker as the brand and drops the carrier wording;
 * - merges records that differ only in colour or carrier into one product with colour variants;
 * - trims descriptions to whole sentences within ~200 characters.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface SourceRecord {
  name: string;
  description: string;
  brand: string;
  categories: string[];
  price: number;
  image: string;
  popularity: number;
}

/** [colour ('' when the record names none), price in US cents] */
type CompactVariant = [string, number];
/** [name without brand or colour, brand index, path index, popularity, description, variants] */
type CompactRecord = [string, number, number, number, string, CompactVariant[]];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sourceFile = path.resolve(process.argv[2] ?? path.join(root, '../shared/data/bestbuy/products.json'));
const outFile = path.join(root, 'demo/src/data/bestbuy-cell-phones.json');

const DESCRIPTION_LIMIT = 200;
const DROPPED_PATHS = /Prepaid Minutes|SIM Cards|Signal Boosters|Mobile Hotspots|Mobile Broadband/;
const CARRIERS = new Set(
  [
    'AT&T',
    'AT&T GoPhone',
    'Boost Mobile',
    'Cricket Wireless',
    'H2O Wireless',
    'NET10',
    'Simple Mobile',
    'Sprint Prepaid',
    'TracFone',
    'Verizon',
    'Verizon Prepaid',
    'Verizon Wireless',
    'Verizon Wireless Prepaid',
    'Virgin Mobile',
  ].map((c) => c.toLowerCase()),
);
const MAKERS: Record<string, string> = {
  alcatel: 'Alcatel',
  apple: 'Apple',
  audiovox: 'Audiovox',
  htc: 'HTC',
  huawei: 'Huawei',
  kyocera: 'Kyocera',
  lg: 'LG',
  moto: 'Motorola',
  motorola: 'Motorola',
  samsung: 'Samsung',
  zte: 'ZTE',
};
/** Misspellings in the source that frequency alone would not fix. */
const BRAND_FIXES: Record<string, string> = { insginia: 'Insignia', popsocket: 'PopSockets' };
const CARRIER_NOTE =
  /\s*\((?:AT&T|Sprint|T-Mobile|TRACFONE|Verizon(?: Wireless)?(?: Prepaid)?|Verizon Wireless Prepaid)\)/gi;

// \u0099 is a ™ that went through Windows-1252 somewhere upstream ("Insignia\u0099").
const stripMarks = (s: string) =>
  s
    .replace(/[™®\u0099]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

function trimDescription(text: string): string {
  const clean = stripMarks(text);
  if (clean.length <= DESCRIPTION_LIMIT) return clean;
  const sentences = clean.match(/[^.!?]+[.!?]+(?=\s|$)/g) ?? [];
  let out = '';
  for (const sentence of sentences) {
    const next = (out + sentence).trim();
    if (next.length > DESCRIPTION_LIMIT) break;
    out = next;
  }
  if (out.length >= 80) return out;
  const cut = clean.slice(0, DESCRIPTION_LIMIT - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[,;:]$/, '')}…`;
}

function canonicalBrands(records: SourceRecord[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of records) {
    const spelling = stripMarks(r.brand);
    const key = spelling.toLowerCase();
    const byKey = counts.get(key) ?? new Map<string, number>();
    byKey.set(spelling, (byKey.get(spelling) ?? 0) + 1);
    counts.set(key, byKey);
  }
  const canonical = new Map<string, string>();
  for (const [key, spellings] of counts) {
    // Shouted spellings ("GRIFFIN", "TRACFONE") lose to the brand's own casing when the source has both.
    const shouted = (s: string) => (s.length > 3 && s === s.toUpperCase() ? 1 : 0);
    const best = [...spellings].sort(
      (a, b) => shouted(a[0]) - shouted(b[0]) || b[1] - a[1] || a[0].localeCompare(b[0]),
    )[0]![0];
    canonical.set(key, BRAND_FIXES[key] ?? best);
  }
  return canonical;
}

/** Splits "Brand - Main - Colour (Carrier)" into its brand, main name and colour; null when unusable. */
function parseName(
  record: SourceRecord,
  brands: Map<string, string>,
): { brand: string; main: string; colour: string } | null {
  const segments = stripMarks(record.name).replace(CARRIER_NOTE, '').split(' - ');
  const sourceBrand = stripMarks(record.brand);
  let brand = brands.get(sourceBrand.toLowerCase()) ?? sourceBrand;
  if (segments.length > 1 && segments[0]!.toLowerCase() === sourceBrand.toLowerCase()) segments.shift();
  const colour = segments.length > 1 ? segments.pop()!.trim() : '';
  let main = segments.join(' - ').trim();

  if (CARRIERS.has(sourceBrand.toLowerCase())) {
    const words = main.replace(/^AT&T\s+/, '').split(' ');
    const at = words.findIndex((w) => MAKERS[w.toLowerCase()]);
    if (at < 0 || at > 1) return null;
    brand = MAKERS[words[at]!.toLowerCase()]!;
    // "Moto G4 Play" keeps its model family; "Samsung Galaxy J3" drops the repeated maker.
    if (words[at]!.toLowerCase() !== 'moto') words.splice(at, 1);
    main = words
      .join(' ')
      .replace(/\bPrepaid\s+/gi, '')
      .replace(/\bNo-Contract\s+/gi, '')
      .replace(/\s*w\/Airtime Card/gi, '')
      .replace(/\b(\d+)Gb memory\b/g, '$1GB Memory');
  }
  if (main.toLowerCase().startsWith(`${brand.toLowerCase()} `)) main = main.slice(brand.length + 1);
  return main ? { brand, main, colour } : null;
}

function build(records: SourceRecord[]) {
  const brands = canonicalBrands(records);
  const groups = new Map<
    string,
    {
      brand: string;
      main: string;
      path: string[];
      popularity: number;
      description: string;
      prices: Map<string, number>;
    }
  >();
  let dropped = 0;
  // Most popular first, so a merged product keeps the description and path of its best-selling record.
  const ordered = records
    .map((r, index) => ({ r, index }))
    .sort((a, b) => b.r.popularity - a.r.popularity || a.index - b.index);
  for (const { r } of ordered) {
    const parsed = DROPPED_PATHS.test(r.categories.join('>')) ? null : parseName(r, brands);
    if (!parsed) {
      dropped++;
      continue;
    }
    const key = `${parsed.brand.toLowerCase()}|${parsed.main.toLowerCase()}`;
    const group = groups.get(key) ?? {
      brand: parsed.brand,
      main: parsed.main,
      path: r.categories.map(stripMarks),
      popularity: r.popularity,
      description: trimDescription(r.description),
      prices: new Map<string, number>(),
    };
    const cents = Math.round(r.price * 100);
    const seen = group.prices.get(parsed.colour);
    if (seen === undefined || cents < seen) group.prices.set(parsed.colour, cents);
    groups.set(key, group);
  }

  const brandList: string[] = [];
  const pathList: string[][] = [];
  const brandIndex = new Map<string, number>();
  const pathIndex = new Map<string, number>();
  const indexOf = <T>(list: T[], index: Map<string, number>, key: string, value: T) => {
    let i = index.get(key);
    if (i === undefined) {
      i = list.push(value) - 1;
      index.set(key, i);
    }
    return i;
  };
  const compact: CompactRecord[] = [...groups.values()].map((g) => [
    g.main,
    indexOf(brandList, brandIndex, g.brand, g.brand),
    indexOf(pathList, pathIndex, g.path.join('>'), g.path),
    g.popularity,
    g.description,
    [...g.prices].map(([colour, cents]): CompactVariant => [colour, cents]),
  ]);
  return { compact, brandList, pathList, dropped };
}

const source = JSON.parse(readFileSync(sourceFile, 'utf8')) as SourceRecord[];
const { compact, brandList, pathList, dropped } = build(source);
const output = {
  source:
    'Best Buy products (Cell Phones) via typesense/showcase-ecommerce-store scripts/data/ecommerce.json; see SOURCE.md',
  fields: ['name', 'brand', 'path', 'popularity', 'description', 'variants[colour, priceUsdCents]'],
  brands: brandList,
  paths: pathList,
  records: compact,
};
// One record per line: small diffs when regenerated, still valid JSON.
const text = `{\n${Object.entries(output)
  .map(([key, value]) =>
    key === 'records'
      ? `  "records": [\n${compact.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`,
  )
  .join(',\n')}\n}\n`;
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, text);
console.log(
  `${source.length} source records → ${compact.length} products (${dropped} dropped), ` +
    `${brandList.length} brands, ${pathList.length} paths, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB → ${path.relative(root, outFile)}`,
);
