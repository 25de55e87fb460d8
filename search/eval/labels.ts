import type { EvalProduct } from './corpus';

/**
 * What a judged query asks for, and the rules that grade every catalog product against it (see README):
 * 3 = the product the query names; 2 = matches everything the query states (brand, product kind, device
 * model, device maker, category); 1 = same product kind (or, for category queries, nothing more); 0 = other.
 */
export interface Intent {
  target?: string;
  brand?: string;
  kind?: Kind;
  model?: string;
  /** A maker as either the brand or the device it fits ("苹果 保护壳": Apple's cases and cases for iPhones). */
  fits?: string;
  /** A demo leaf category slug. */
  leaf?: string;
  /** A colour one of the product's variants has ("black"). */
  colour?: string;
  /** Words the title must contain in this order, plurals folded ("car", "power adapter"). */
  titleWords?: string;
  /** A start of a word the title must contain (a word still being typed: "defen"). */
  titlePrefix?: string;
  /**
   * Words whose presence in the title makes a product grade 1 (when the intent names no kind): the other
   * phrases of the typed word's synonym group ("cover" → "case").
   */
  alsoTitleWords?: string[];
}

export interface ProductFeatures {
  id: string;
  brand: string;
  kind: Kind;
  model: string | null;
  fitsMaker: string | null;
  leaf: string;
  /** Lower-cased colour words of the variants ("rose gold" → "rose", "gold"). */
  colours: string[];
  /** The whole title (brand included) as lower-cased words with plurals folded. */
  titleWords: string[];
  /** The same words as written (for word starts). */
  rawWords: string[];
}

/** Product kinds, tried in order on the title before " for " (so "Case for … Watch" is a case, "VR Headset" a VR headset). */
const KIND_RULES = [
  ['screen protector', /screen protector|invisibleshield|\bglass\b|\bshield\b|protector/],
  ['case', /\bcases?\b|\bcover\b|folio|sleeve|holster|\bskins?\b|bumper|\bwallet\b/],
  ['power bank', /portable charger|power ?bank|battery pack|power ?pack|external battery|powerstation/],
  ['battery', /battery/],
  ['cable', /cable|\bcord\b/],
  ['charger', /charg|adapter|\bdock\b|cradle/],
  ['vr headset', /\bvr\b|virtual reality|goggles|viewer/],
  ['headset', /headset|headphone|earbud|earphone/],
  ['speaker', /speaker/],
  ['band', /\bbands?\b|strap|bracelet/],
  ['selfie stick', /selfie/],
  ['tracker', /tracker|tracking|\btile\b/],
  ['lens', /\blens/],
  ['mount', /mount|holder|stand\b|grip|kickstand|tripod/],
] as const;

export type Kind = (typeof KIND_RULES)[number][0] | 'phone' | 'accessory';

/** The words a shopper would type for a kind, in English and in the demo's Chinese titles. */
export const KIND_WORDS: Record<Kind, { en: string; zh: string }> = {
  phone: { en: 'phone', zh: '手机' },
  case: { en: 'case', zh: '保护壳' },
  'screen protector': { en: 'screen protector', zh: '屏幕保护膜' },
  'power bank': { en: 'power bank', zh: '充电宝' },
  battery: { en: 'battery', zh: '电池' },
  cable: { en: 'cable', zh: '数据线' },
  charger: { en: 'charger', zh: '充电器' },
  headset: { en: 'headset', zh: '耳机' },
  speaker: { en: 'speaker', zh: '音箱' },
  band: { en: 'band', zh: '表带' },
  'selfie stick': { en: 'selfie stick', zh: '自拍杆' },
  'vr headset': { en: 'vr headset', zh: 'VR眼镜' },
  tracker: { en: 'tracker', zh: '防丢器' },
  lens: { en: 'lens', zh: '镜头' },
  mount: { en: 'mount', zh: '支架' },
  accessory: { en: 'accessory', zh: '配件' },
};

const MAKERS = ['apple', 'samsung', 'google', 'motorola', 'lg', 'htc', 'huawei', 'sony', 'blackberry', 'zte'];
const GENERIC_DEVICE =
  /^(most|select|all|mobile|universal|smartphones?|cell|devices?|lightning|usb|micro|qi)\b/;

export function featuresOf(p: EvalProduct): ProductFeatures {
  const main = p.main.toLowerCase();
  const at = main.indexOf(' for ');
  const product = at >= 0 ? main.slice(0, at) : main;
  const compat = at >= 0 ? main.slice(at + 5) : '';
  const leaf = p.listing.leafSlug;
  const kind: Kind =
    leaf === 'phones' ? 'phone' : (KIND_RULES.find(([, re]) => re.test(product))?.[0] ?? 'accessory');
  return {
    id: p.id,
    brand: p.listing.brand,
    kind,
    model: kind === 'phone' ? phoneModel(product) : deviceModel(compat),
    fitsMaker: makerOf(compat),
    leaf,
    colours: [
      ...new Set(
        p.listing.variants.flatMap((v) => (v.colour ?? '').toLowerCase().split(/[^a-z]+/)).filter(Boolean),
      ),
    ],
    titleWords: foldWords(p.listing.name),
    rawWords: p.listing.name.toLowerCase().match(/[a-z0-9]+/g) ?? [],
  };
}

/** Lower-cased words, plurals folded the simple way ("cases" → "case", "batteries" → "battery"). */
export function foldWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) => {
    if (w.length <= 3 || /\d/.test(w)) return w;
    if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
    if (/(?:ss|x|ch|sh)es$/.test(w)) return w.slice(0, -2);
    if (w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) return w.slice(0, -1);
    return w;
  });
}

/** Whether `words` holds `phrase` (folded the same way) as consecutive words. */
export function containsWords(words: readonly string[], phrase: string): boolean {
  const wanted = foldWords(phrase);
  if (!wanted.length) return false;
  for (let i = 0; i + wanted.length <= words.length; i++)
    if (wanted.every((w, k) => words[i + k] === w)) return true;
  return false;
}

/** "galaxy s7 edge 32gb …" → "galaxy s7"; "refurbished iphone 6" → "iphone 6". */
function phoneModel(title: string): string | null {
  const words = title
    .replace(/^(refurbished|geek squad certified refurbished)\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  return words.length ? words.slice(0, 2).join(' ') : null;
}

/** "apple iphone 6 plus and 6s plus" → "iphone 6 plus"; "most cell phones" → null. */
function deviceModel(compat: string): string | null {
  const first = compat
    .replace(new RegExp(`^(${MAKERS.join('|')})\\s+`), '')
    .split(/,| and | cell phones| mobile phones| \(|\//)[0]!
    .trim();
  if (!first || GENERIC_DEVICE.test(first)) return null;
  return first.split(/\s+/).slice(0, 3).join(' ');
}

function makerOf(compat: string): string | null {
  const word = compat.split(/\s+/)[0] ?? '';
  if (MAKERS.includes(word)) return word;
  if (/^i(phone|pad|pod)/.test(word)) return 'apple';
  if (/^galaxy/.test(word)) return 'samsung';
  return null;
}

export function grade(intent: Intent, f: ProductFeatures): 0 | 1 | 2 | 3 {
  if (intent.target === f.id) return 3;
  const checks: boolean[] = [];
  if (intent.brand !== undefined) checks.push(f.brand.toLowerCase() === intent.brand.toLowerCase());
  if (intent.kind !== undefined) checks.push(f.kind === intent.kind);
  if (intent.model !== undefined) checks.push(f.model === intent.model);
  if (intent.leaf !== undefined) checks.push(f.leaf === intent.leaf);
  if (intent.fits !== undefined) {
    const maker = intent.fits.toLowerCase();
    checks.push(f.brand.toLowerCase() === maker || f.fitsMaker === maker);
  }
  if (intent.colour !== undefined) checks.push(f.colours.includes(intent.colour));
  if (intent.titleWords !== undefined) checks.push(containsWords(f.titleWords, intent.titleWords));
  if (intent.titlePrefix !== undefined) {
    const start = intent.titlePrefix.toLowerCase();
    checks.push(f.rawWords.some((w) => w.startsWith(start)));
  }
  if (checks.length && checks.every(Boolean)) return 2;
  if (intent.kind !== undefined && f.kind === intent.kind) return 1;
  if (intent.alsoTitleWords?.some((phrase) => containsWords(f.titleWords, phrase))) return 1;
  return 0;
}

/** The intent of a query that names one product: that product, and what it is. */
export function intentFor(f: ProductFeatures): Intent {
  return { target: f.id, brand: f.brand, kind: f.kind, ...(f.model !== null && { model: f.model }) };
}
