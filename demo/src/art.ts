import { createHash } from 'node:crypto';

/**
 * Demo product art, made at seed time: a small SVG per product and per colour of it that tells products
 * apart at a glance in a grid — the silhouette of what it is (from its category), drawn in the variant's
 * colour, under the brand's wordmark, with the model's words below. About 1 KB each, stored as
 * `data:` URLs on the product and its variants (the storefront's CSP allows `data:` images), so they need
 * no files, no route and no photo checks, and travel with a backup.
 */

/** Silhouettes on a 100 × 100 grid: one path (or a few) per kind of product. */
const SHAPES: Record<string, string> = {
  phone: 'M34 10h32a6 6 0 0 1 6 6v68a6 6 0 0 1-6 6H34a6 6 0 0 1-6-6V16a6 6 0 0 1 6-6zm3 10v56h26V20z',
  case: 'M32 8h36a8 8 0 0 1 8 8v68a8 8 0 0 1-8 8H32a8 8 0 0 1-8-8V16a8 8 0 0 1 8-8zm6 8a5 5 0 1 0 0.1 0z',
  cable: 'M20 80c0-30 20-30 30-45s25-20 30-20v8c-4 0-16 4-24 17S30 52 28 80zM76 8h10v16H76z',
  battery: 'M26 22h44a6 6 0 0 1 6 6v44a6 6 0 0 1-6 6H26a6 6 0 0 1-6-6V28a6 6 0 0 1 6-6zm50 18h6v20h-6z',
  headphones:
    'M50 14c-20 0-34 15-34 34v18h8V48c0-15 11-26 26-26s26 11 26 26v18h8V48c0-19-14-34-34-34zM14 60h16v26H14zm56 0h16v26H70z',
  watch:
    'M38 6h24l3 18H35zm-3 76h30l-3 18H38zM30 24h40a6 6 0 0 1 6 6v40a6 6 0 0 1-6 6H30a6 6 0 0 1-6-6V30a6 6 0 0 1 6-6z',
  laptop: 'M20 22h60a4 4 0 0 1 4 4v40H16V26a4 4 0 0 1 4-4zm-12 48h84l-6 10H14z',
  monitor: 'M10 16h80a4 4 0 0 1 4 4v48a4 4 0 0 1-4 4H10a4 4 0 0 1-4-4V20a4 4 0 0 1 4-4zm34 56h12l4 12H40z',
  keyboard: 'M8 34h84a4 4 0 0 1 4 4v26a4 4 0 0 1-4 4H8a4 4 0 0 1-4-4V38a4 4 0 0 1 4-4z',
  drive:
    'M24 14h52a6 6 0 0 1 6 6v60a6 6 0 0 1-6 6H24a6 6 0 0 1-6-6V20a6 6 0 0 1 6-6zm26 52a10 10 0 1 0 0.1 0z',
  printer: 'M28 10h44v22H28zM12 32h76a4 4 0 0 1 4 4v34H8V36a4 4 0 0 1 4-4zm16 38h44v20H28z',
  tv: 'M6 18h88a4 4 0 0 1 4 4v50a4 4 0 0 1-4 4H6a4 4 0 0 1-4-4V22a4 4 0 0 1 4-4zm30 58h28v8H36z',
  fridge:
    'M28 6h44a6 6 0 0 1 6 6v78a4 4 0 0 1-4 4H26a4 4 0 0 1-4-4V12a6 6 0 0 1 6-6zm-6 34h56v3H22zm8-22h4v12h-4zm0 32h4v16h-4z',
  washer: 'M22 8h56a4 4 0 0 1 4 4v80H18V12a4 4 0 0 1 4-4zm28 30a22 22 0 1 0 0.1 0z',
  aircon:
    'M6 30h88a6 6 0 0 1 6 6v18a6 6 0 0 1-6 6H6a6 6 0 0 1-6-6V36a6 6 0 0 1 6-6zm14 38h10l-4 14h-10zm26 0h10l-2 14h-10zm26 0h10l2 14h-10z',
  pot: 'M20 36h60v34a16 16 0 0 1-16 16H36a16 16 0 0 1-16-16zm-10 4h10v8H10zm70 0h10v8H80zM40 24h20v8H40z',
  vacuum: 'M50 16a36 36 0 1 0 0.1 0zm0 10a26 26 0 1 1-0.1 0z',
  tshirt: 'M34 10l-26 14 10 20 10-4v50h44V40l10 4 10-20-26-14c-2 8-8 12-16 12s-14-4-16-12z',
  dress: 'M38 6h24l-2 18 8 10-2 6 16 50H18l16-50-2-6 8-10z',
  jacket: 'M30 10l-22 16v64h22V56h40v34h22V26L70 10c-4 6-12 10-20 10S34 16 30 10zm18 14h4v66h-4z',
  jeans: 'M26 8h48l6 84H60L52 40h-4L40 92H20z',
  shoe: 'M10 62c6-2 14-20 18-28 10 4 20 6 28 2 8 12 20 16 34 18 4 2 6 8 6 14v6H10z',
  bag: 'M22 36h56l6 54H16zm14-4c0-14 6-22 14-22s14 8 14 22h-6c0-10-3-16-8-16s-8 6-8 16z',
  suitcase:
    'M26 22h48a6 6 0 0 1 6 6v56a6 6 0 0 1-6 6H26a6 6 0 0 1-6-6V28a6 6 0 0 1 6-6zm14-12h20v12h-6v-6h-8v6h-6z',
  bottle: 'M42 6h16v12l8 10v60a6 6 0 0 1-6 6H40a6 6 0 0 1-6-6V28l8-10z',
  jar: 'M26 30h48a6 6 0 0 1 6 6v50a6 6 0 0 1-6 6H26a6 6 0 0 1-6-6V36a6 6 0 0 1 6-6zm2-18h44v14H28z',
  lipstick: 'M40 44h20v48H40zm2-4V22l16-12v30z',
  cup: 'M18 28h52v40a16 16 0 0 1-16 16H34a16 16 0 0 1-16-16zm52 8h8a10 10 0 0 1 0 24h-8v-8h8a2 2 0 0 0 0-8h-8z',
  bag_snack: 'M24 12h52l-4 10 6 62-4 8H26l-4-8 6-62z',
  fruit: 'M50 26c20-8 36 6 36 26s-16 40-36 40S14 72 14 52s16-34 36-26zm0-4c0-8 4-14 12-16-2 8-6 12-12 16z',
  carton: 'M30 24l10-16h20l10 16v68H30zm0 0h40',
  sack: 'M30 14h40l-6 10c14 8 22 24 22 42 0 16-12 26-36 26S14 82 14 66c0-18 8-34 22-42z',
  bed: 'M8 50h84v26H8zm0-20h10v20H8zm20 8h28v12H28zm-20 38h10v8H8zm74 0h10v8H82z',
  lamp: 'M30 14h40l12 34H18zm16 34h8v34h-8zm-14 34h36v8H32z',
  chair: 'M26 10h48v40H26zm-4 40h56v10H22zm4 10h8v30h-8zm40 0h8v30h-8z',
  box: 'M14 30l36-16 36 16v44L50 90 14 74zm36 2v56m-36-58l36 16 36-16',
  dumbbell: 'M6 38h10v24H6zm12-8h12v40H18zm12 16h40v8H30zm40-16h12v40H70zm14 8h10v24H84z',
  tent: 'M50 12L8 88h84zm0 26l-14 50h28z',
  bike: 'M24 52a18 18 0 1 0 0.1 0zm0 8a10 10 0 1 1-0.1 0zm52-8a18 18 0 1 0 0.1 0zm0 8a10 10 0 1 1-0.1 0zM24 70l18-30h22l12 30-4 2-10-24H46L28 72z',
  stroller:
    'M20 20a34 34 0 0 1 44 22H20zm0 26h48l-6 22H26zM30 76a7 7 0 1 0 0.1 0zm32 0a7 7 0 1 0 0.1 0zM64 42l16-26 5 3-16 26z',
  toy: 'M18 40h64v46H18zm10-20h20v20H28zm26 8h18v12H54zM30 50h12v12H30zm28 0h12v12H58z',
  book: 'M14 14h34a8 8 0 0 1 8 8v70a6 6 0 0 0-6-6H14zm72 0H56v78a6 6 0 0 1 6-6h24z',
  pen: 'M66 8l26 26-50 50-30 8 8-30zM26 66l8 8',
  notebook:
    'M24 8h52a4 4 0 0 1 4 4v76a4 4 0 0 1-4 4H24zm-10 12h10v6H14zm0 18h10v6H14zm0 18h10v6H14zm0 18h10v6H14z',
  gadget: 'M50 12a38 38 0 1 0 0.1 0zm0 16a22 22 0 1 1-0.1 0z',
};

/** Category slugs (leaf or department) → silhouette; the first rule a slug matches wins. */
const KIND_RULES: [RegExp, string][] = [
  [/phone-cases/, 'case'],
  [/screen-protectors/, 'case'],
  [/chargers|cables/, 'cable'],
  [/power-banks|batter/, 'battery'],
  [/headphones|smart-audio|speaker/, 'headphones'],
  [/smartwatch/, 'watch'],
  [/phone-gadgets/, 'gadget'],
  [/phones|mobile/, 'phone'],
  [/laptops/, 'laptop'],
  [/monitors/, 'monitor'],
  [/keyboards|mice/, 'keyboard'],
  [/storage-devices/, 'drive'],
  [/printers/, 'printer'],
  [/televisions/, 'tv'],
  [/refrigerators/, 'fridge'],
  [/washing/, 'washer'],
  [/air-conditioners/, 'aircon'],
  [/rice-cookers|air-fryers|kitchen|cookware/, 'pot'],
  [/robot-vacuums|household-appliances/, 'vacuum'],
  [/dresses/, 'dress'],
  [/tshirts|tops|sportswear|clothing/, 'tshirt'],
  [/jackets/, 'jacket'],
  [/jeans/, 'jeans'],
  [/shoes/, 'shoe'],
  [/handbags|shoes-bags/, 'bag'],
  [/luggage/, 'suitcase'],
  [/makeup/, 'lipstick'],
  [/skincare/, 'jar'],
  [/fragrance|hair-care|beauty/, 'bottle'],
  [/personal-care/, 'gadget'],
  [/tea|coffee/, 'cup'],
  [/snacks/, 'bag_snack'],
  [/fruit/, 'fruit'],
  [/dairy|infant-formula/, 'carton'],
  [/grain|oil/, 'sack'],
  [/bedding/, 'bed'],
  [/lighting/, 'lamp'],
  [/furniture/, 'chair'],
  [/storage-organization|home/, 'box'],
  [/fitness/, 'dumbbell'],
  [/camping|outdoors/, 'tent'],
  [/cycling/, 'bike'],
  [/strollers/, 'stroller'],
  [/diapers/, 'box'],
  [/toys|baby/, 'toy'],
  [/books|literature/, 'book'],
  [/pens/, 'pen'],
  [/notebooks|stationery/, 'notebook'],
  [/computers/, 'laptop'],
  [/appliances/, 'washer'],
  [/food/, 'bag_snack'],
];

export function silhouetteFor(categorySlugs: readonly string[]): string {
  for (const slug of categorySlugs) for (const [rule, kind] of KIND_RULES) if (rule.test(slug)) return kind;
  return 'box';
}

/** Colour words of the demo's variants (first English word that names one wins: "Rose Gold" → rose gold). */
const COLOURS: [RegExp, string][] = [
  [/rose gold/i, '#d8a39d'],
  [/space gr[ae]y|charcoal|graphite|gunmetal/i, '#4b5563'],
  [/midnight|navy|indigo/i, '#1e3a8a'],
  [/champagne|gold/i, '#d4af37'],
  [/silver|metallic/i, '#c0c4cc'],
  [/black|onyx/i, '#1f2937'],
  [/white|ivory|cream|clear|transparent/i, '#f8fafc'],
  [/beige|sand|khaki|tan|oat/i, '#d6c3a1'],
  [/burgundy|wine|brick/i, '#8b1e3f'],
  [/pink|blush|rose/i, '#f4a7b9'],
  [/red|coral/i, '#dc2626'],
  [/orange|caramel/i, '#f97316'],
  [/yellow|lemon/i, '#facc15'],
  [/olive|army/i, '#6b7a3a'],
  [/green|mint|sage|teal/i, '#22a06b'],
  [/turquoise|aqua|glacier|sky|light blue/i, '#38bdf8'],
  [/blue|denim/i, '#2563eb'],
  [/purple|lavender|violet|lilac/i, '#8b5cf6'],
  [/brown|coffee|chocolate|walnut/i, '#7c4a2d'],
  [/gr[ae]y/i, '#9ca3af'],
];

/** The colour a variant's attributes name, or null. */
export function colourOf(attributes: Readonly<Record<string, string>>): string | null {
  const value = attributes.color ?? attributes.colour ?? attributes.shade ?? null;
  if (!value) return null;
  for (const [rule, hex] of COLOURS) if (rule.test(value)) return hex;
  return null;
}

/** A stable colour from a name: the brand's own, for its wordmark and for products without a colour. */
function hueOf(text: string): number {
  return createHash('sha1').update(text).digest()[0]! * (360 / 256);
}

const escapeXml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** Whether ink on `hex` should be dark (a light fill) or light. */
function isLight(hex: string): boolean {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 170;
}

export interface ArtInput {
  brand: string;
  /** The product's name; the words after the brand are the model line. */
  name: string;
  /** Leaf first, then its ancestors: the first that has a silhouette rule decides it. */
  categorySlugs: readonly string[];
  /** The variant's attributes (its colour, when it has one). */
  attributes?: Readonly<Record<string, string>>;
}

/** Words up to `max` characters, cut between words (a cut word reads as a typo). */
function firstWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut.slice(0, max)).trim();
}

/**
 * The model line: the name's first words, keeping a size or spec ("510L", "2HP", "256GB") that a cut
 * would drop, since that is what tells a brand's look-alike products apart.
 */
function modelLine(text: string, max: number): string {
  const line = firstWords(text, max);
  if (line === text) return line;
  const spec = text.split(/\s+/).findLast((word) => /\d/.test(word) && !line.split(' ').includes(word));
  if (!spec || spec.length > max / 2) return line;
  const rest = text
    .split(/\s+/)
    .filter((word) => word !== spec)
    .join(' ');
  return `${firstWords(rest, max - spec.length - 1)} ${spec}`;
}

/**
 * One product picture as SVG text (200 × 200): the brand's wordmark top left (where a card's favourite
 * button does not sit), the silhouette in the variant's colour in the middle, the model line below.
 */
export function productArtSvg(input: ArtInput): string {
  const kind = silhouetteFor(input.categorySlugs);
  const hue = Math.round(hueOf(input.brand || input.name));
  const fill = colourOf(input.attributes ?? {}) ?? `hsl(${hue} 55% 45%)`;
  const light = fill.startsWith('#') && isLight(fill);
  const background = `hsl(${hue} 45% 94%)`;
  const wordmark = (input.brand || '').toUpperCase();
  const brand = escapeXml(wordmark);
  // A long brand is squeezed into the wordmark's box rather than cut.
  const fit = wordmark.length > 11 ? ' textLength="140" lengthAdjust="spacingAndGlyphs"' : '';
  const modelText =
    input.brand && input.name.startsWith(input.brand) ? input.name.slice(input.brand.length) : input.name;
  const model = escapeXml(modelLine(modelText.trim(), 26));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">` +
    `<rect width="200" height="200" fill="${background}"/>` +
    `<text x="14" y="30" font-family="system-ui,sans-serif" font-size="16" font-weight="800" letter-spacing="1" fill="hsl(${hue} 60% 30%)"${fit}>${brand}</text>` +
    `<g transform="translate(38 42) scale(1.24)"><path d="${SHAPES[kind]}" fill="${fill}" fill-rule="evenodd"${light ? ' stroke="#94a3b8" stroke-width="1.5"' : ''}/></g>` +
    `<text x="100" y="188" text-anchor="middle" font-family="system-ui,sans-serif" font-size="12" fill="#374151">${model}</text>` +
    `</svg>`
  );
}

/** The SVG as a `data:` URL (percent-encoded: smaller than base64 for SVG text). */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml,${encodeURIComponent(svg).replace(/%20/g, ' ').replace(/%3D/g, '=').replace(/%3A/g, ':').replace(/%2F/g, '/').replace(/%22/g, "'")}`;
}
