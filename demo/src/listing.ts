import { logUniform } from './pricing';
import type { Random } from './random';
import type { Bilingual, BrandSpec, LeafTemplate, VariantAxis } from './types';

/** A template string split once into its languages, so the hot loop only concatenates. */
export interface Term {
  en: string;
  zh: string;
  /** Lower-case English, for tags. */
  key: string;
}

export interface AxisOption {
  /** Attribute value as stored: "Black 黑色", or "256GB" where both languages agree. */
  value: string;
  factor: number;
}

export interface CompiledAxis {
  key: string;
  options: AxisOption[];
  max: number;
}

interface Spec extends Term {
  /** Price multiplier that comes with the spec: an 85-inch TV costs more than a 55-inch one. */
  factor: number;
}

interface CompiledBrand {
  term: Term;
  series: readonly string[];
}

interface CompiledKind {
  brands: CompiledBrand[];
  audiences: Term[];
  nouns: Term[];
  adjectives: Term[];
  specs: Spec[];
  features: Term[];
  price: readonly [number, number];
  axes: CompiledAxis[];
}

export interface CompiledLeaf {
  kinds: CompiledKind[];
  series: readonly string[];
  seriesSuffixes: readonly string[];
  specAt: 'start' | 'end';
  brandInName: boolean;
  uses: Term[];
}

/** Text in both languages without a tag key: shipping notes and the like. */
export type Phrase = Pick<Term, 'en' | 'zh'>;

export function term(text: string): Term {
  const bar = text.indexOf('|');
  const en = bar < 0 ? text : text.slice(0, bar);
  return { en, zh: bar < 0 ? text : text.slice(bar + 1), key: en.toLowerCase() };
}

/** "85-inch*2.2|85英寸" → 85-inch / 85英寸, price × 2.2. */
function spec(text: string): Spec {
  const { en, zh } = term(text);
  const [value = en, factor] = en.split('*');
  return {
    en: value,
    zh: zh === en ? value : zh,
    key: value.toLowerCase(),
    factor: factor ? Number(factor) : 1,
  };
}

const brand = (b: Bilingual | BrandSpec): CompiledBrand =>
  typeof b === 'string' ? { term: term(b), series: [] } : { term: term(b.name), series: b.series ?? [] };

function compileAxis(axis: VariantAxis): CompiledAxis {
  return {
    key: axis.key,
    max: axis.max ?? 4,
    options: axis.options.map((option) => {
      const { en, zh } = term(option);
      const [value = en, factor] = en.split('*');
      return {
        value: zh === en || zh === value ? value : `${value} ${zh}`,
        factor: factor ? Number(factor) : 1,
      };
    }),
  };
}

export function compileLeaf(template: LeafTemplate): CompiledLeaf {
  const leafBrands = template.brands.map(brand);
  const leafAudiences = (template.audiences ?? []).map(term);
  return {
    kinds: template.kinds.map((kind) => ({
      brands: kind.brands ? kind.brands.map(brand) : leafBrands,
      audiences: kind.audiences ? kind.audiences.map(term) : leafAudiences,
      nouns: kind.nouns.map(term),
      adjectives: (kind.adjectives ?? []).map(term),
      specs: (kind.specs ?? template.specs ?? []).map(spec),
      features: [...(kind.features ?? []), ...template.features].map(term),
      price: kind.price ?? template.price,
      axes: (kind.axes ?? template.axes).map(compileAxis),
    })),
    series: template.series ?? [],
    seriesSuffixes: template.seriesSuffixes ?? [''],
    specAt: template.specAt ?? 'end',
    brandInName: template.brandInName ?? true,
    uses: template.uses.map(term),
  };
}

export interface InventedListing {
  brand: Term;
  name: string;
  nameZh: string;
  /** Adjective + noun, the phrase descriptions are built around ("Lightweight Running Shoes"). */
  subject: Phrase;
  features: Term[];
  /** Price of the base variant in yuan, before rounding; options scale it. */
  baseYuan: number;
  axes: CompiledAxis[];
  keywords: string[];
}

/** "Redmi Note {12-14}" → "Redmi Note 13"; "Yunjia|云佳" → Yunjia / 云佳. */
function drawSeries(rng: Random, series: string, suffix: string): Phrase {
  const { en, zh } = term(series);
  const match = /\{(\d+)-(\d+)\}/.exec(en);
  if (!match) return { en: en + suffix, zh: zh + suffix };
  const n = String(rng.int(Number(match[1]), Number(match[2])));
  return { en: en.replace(match[0], n) + suffix, zh: zh.replace(match[0], n) + suffix };
}

const joinZh = (parts: readonly string[]) => parts.filter(Boolean).join(' ');

export function inventListing(rng: Random, leaf: CompiledLeaf): InventedListing {
  const kind = rng.pick(leaf.kinds);
  const maker = rng.pick(kind.brands);
  const noun = rng.pick(kind.nouns);
  const adjective = kind.adjectives.length && rng.chance(0.85) ? rng.pick(kind.adjectives) : null;
  const audience = kind.audiences.length ? rng.pick(kind.audiences) : null;
  const spec = kind.specs.length && rng.chance(0.8) ? rng.pick(kind.specs) : null;
  const seriesList = maker.series.length ? maker.series : leaf.series;
  const series =
    seriesList.length && (maker.series.length || rng.chance(0.7))
      ? drawSeries(rng, rng.pick(seriesList), rng.pick(leaf.seriesSuffixes))
      : null;

  const subject: Phrase = {
    en: [audience?.en, adjective?.en, noun.en].filter(Boolean).join(' '),
    zh: `${audience?.zh ?? ''}${adjective?.zh ?? ''}${noun.zh}`,
  };
  let name: string;
  let nameZh: string;
  if (!leaf.brandInName) {
    // Books: "Journey to the West (Annotated Edition)" / "西游记（注释版）".
    name = spec ? `${subject.en} (${spec.en})` : subject.en;
    nameZh = spec ? `${subject.zh}（${spec.zh}）` : subject.zh;
  } else {
    const start = leaf.specAt === 'start' ? spec : null;
    const end = leaf.specAt === 'end' ? spec : null;
    name = [maker.term.en, series?.en, start?.en, subject.en, end?.en].filter(Boolean).join(' ');
    nameZh = joinZh([maker.term.zh, series?.zh ?? '', start?.zh ?? '', subject.zh, end?.zh ?? '']);
  }
  return {
    brand: maker.term,
    name,
    nameZh,
    subject,
    features: rng.sample(kind.features, 3),
    baseYuan: logUniform(rng.next(), kind.price[0], kind.price[1]) * (spec?.factor ?? 1),
    axes: kind.axes,
    keywords: adjective
      ? [maker.term.key, noun.key, adjective.key, maker.term.zh, noun.zh]
      : [maker.term.key, noun.key, maker.term.zh, noun.zh],
  };
}

const listEn = (items: readonly string[]) =>
  items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** Chinese brand names that end in a Latin letter need a space before Chinese text ("OPPO 5G手机"). */
const spaced = (brand: string, text: string) =>
  /[A-Za-z0-9.]$/.test(brand) ? `${brand} ${text}` : `${brand}${text}`;

export function describeInvented(
  listing: InventedListing,
  use: Phrase,
  shipping: Phrase | null,
): { description: string; descriptionZh: string } {
  const features = listing.features;
  const description =
    `${listing.subject.en} from ${listing.brand.en}: ${listEn(features.map((f) => f.en))}. ` +
    `Ideal for ${use.en}.${shipping ? ` ${shipping.en}` : ''}`;
  const descriptionZh =
    `${spaced(listing.brand.zh, listing.subject.zh)}，${features.map((f) => f.zh).join('，')}。` +
    `适合${use.zh}。${shipping?.zh ?? ''}`;
  return { description, descriptionZh };
}

/** Real listings keep their English copy; the Chinese copy promises nothing the original does not say. */
export function describeReal(nameZh: string, brandZh: string, use: Phrase, shipping: Phrase | null): string {
  return `${nameZh}。${brandZh}正品行货，支持七天无理由退货。适合${use.zh}。${shipping?.zh ?? ''}`;
}
