import type { RealListing } from './bestbuy';
import {
  describeInvented,
  describeReal,
  inventListing,
  type AxisOption,
  type CompiledAxis,
  type CompiledLeaf,
  type Phrase,
} from './listing';
import { plausiblePriceFen } from './pricing';
import { mixSeed, type Random } from './random';
import type { DemoCategory, DemoProduct, DemoSeller, DemoVariant } from './types';

const DAY_MS = 86_400_000;
/** 30% of products have one variant, 30% two, 20% three, 20% four. */
const VARIANT_COUNT_WEIGHTS = [0.3, 0.3, 0.2, 0.2];
const OUT_OF_STOCK_RATE = 0.05;
const MAX_POPULARITY = 100_000;
/** Fresh titles to try before a seller's duplicate gets a model number instead. */
const TITLE_RETRIES = 2;
const DEFAULT_TITLE = 'Standard 标准款';

export interface ProductLeaf {
  category: DemoCategory;
  department: string;
  weight: number;
  template: CompiledLeaf;
  /** Real Best Buy listings for this leaf, most popular first (empty for invented-only leaves). */
  real: readonly RealListing[];
}

export interface ProductContext {
  rng: Random;
  seed: number;
  leaves: readonly ProductLeaf[];
  sellers: readonly DemoSeller[];
  sellersByDepartment: ReadonlyMap<string, readonly number[]>;
  cityZh: (city: string) => string;
  epochMs: number;
}

/** A Pareto draw: the median product sells a handful, one in a thousand sells thousands. */
function skewedPopularity(rng: Random): number {
  return Math.min(MAX_POPULARITY, Math.floor(3 / Math.pow(1 - rng.next(), 1.2)));
}

/** 5% sold out; the rest mostly low, as shelves are: a few dozen of most things, hundreds of a few. */
function drawStock(rng: Random): number {
  return rng.chance(OUT_OF_STOCK_RATE) ? 0 : 1 + Math.floor(Math.pow(rng.next(), 1.7) * 500);
}

/** Up to `count` distinct option combinations across the axes, each as one option per axis, in the axes' order. */
function drawCombinations(rng: Random, axes: readonly CompiledAxis[], count: number): AxisOption[][] {
  let combos: AxisOption[][] = [[]];
  axes.forEach((axis, i) => {
    // Spread the variants over the axes: 4 variants over colour × size is 2 colours × 2 sizes, not 4 × 1.
    const want = Math.min(i === 0 && axes.length > 1 ? Math.ceil(Math.sqrt(count)) : count, axis.max);
    const options = rng
      .sample(axis.options, want)
      .sort((a, b) => axis.options.indexOf(a) - axis.options.indexOf(b));
    combos = combos.flatMap((combo) => options.map((option) => [...combo, option]));
  });
  if (combos.length <= count) return combos;
  const keep = new Set(rng.sample(combos, count));
  return combos.filter((combo) => keep.has(combo));
}

function inventedVariants(
  rng: Random,
  number: string,
  axes: readonly CompiledAxis[],
  baseYuan: number,
): DemoVariant[] {
  const combos = drawCombinations(rng, axes, 1 + rng.weightedIndex(VARIANT_COUNT_WEIGHTS));
  return combos.map((combo, j) => {
    const attributes: Record<string, string> = {};
    let factor = 1;
    combo.forEach((option, a) => {
      attributes[axes[a]!.key] = option.value;
      factor *= option.factor;
    });
    return {
      sku: `SKU-${number}-${j + 1}`,
      title: combo.map((o) => o.value).join(' / ') || DEFAULT_TITLE,
      price: plausiblePriceFen(baseYuan * factor),
      attributes,
      stock: drawStock(rng),
    };
  });
}

function realVariants(rng: Random, number: string, listing: RealListing): DemoVariant[] {
  const options = listing.variants.length > 4 ? rng.sample(listing.variants, 4) : listing.variants;
  return options.map((v, j) => {
    const attributes: Record<string, string> = v.colour ? { color: v.colour } : {};
    return {
      sku: `SKU-${number}-${j + 1}`,
      title: v.colour ?? DEFAULT_TITLE,
      price: v.price,
      attributes,
      stock: drawStock(rng),
    };
  });
}

export function* generateProducts(ctx: ProductContext, count: number): Generator<DemoProduct> {
  const { rng, leaves, sellers } = ctx;
  const weights = leaves.map((l) => l.weight);
  const namesBySeller = sellers.map(() => new Set<string>());
  const shippingBySeller: Phrase[] = sellers.map((s) => ({
    en: `Ships from ${s.city} within 48 hours.`,
    zh: `${ctx.cityZh(s.city)}发货，48小时内发出。`,
  }));
  // How far each seller has got through each leaf's real listings, and where in them it started.
  const realCursor = new Int32Array(sellers.length * leaves.length);
  const realOffset = sellers.map((_, s) => mixSeed(ctx.seed, s));

  for (let i = 0; i < count; i++) {
    const number = String(i + 1).padStart(6, '0');
    const leafIndex = rng.weightedIndex(weights);
    const leaf = leaves[leafIndex]!;
    const sellerIndex = rng.pick(ctx.sellersByDepartment.get(leaf.department)!);
    const seller = sellers[sellerIndex]!;
    const names = namesBySeller[sellerIndex]!;
    const use = rng.pick(leaf.template.uses);
    const shipping = rng.chance(0.5) ? shippingBySeller[sellerIndex]! : null;

    let real: RealListing | undefined;
    if (leaf.real.length) {
      const slot = sellerIndex * leaves.length + leafIndex;
      const offset = realOffset[sellerIndex]! % leaf.real.length;
      let k = realCursor[slot]!;
      while (k < leaf.real.length && names.has(leaf.real[(offset + k) % leaf.real.length]!.name)) k++;
      if (k < leaf.real.length) real = leaf.real[(offset + k) % leaf.real.length];
      realCursor[slot] = Math.min(k + 1, leaf.real.length);
    }

    let name: string;
    let nameZh: string;
    let brand: string;
    let description: string;
    let descriptionZh: string;
    let popularity: number;
    let variants: DemoVariant[];
    let keywords: string[];
    if (real) {
      ({ name, nameZh, brand, description } = real);
      descriptionZh = describeReal(real.nameZh, real.brandZh, use, shipping);
      // Best Buy's bestsellers stay ahead of its slow movers, within the same skew as everything else.
      popularity = Math.min(
        MAX_POPULARITY,
        Math.round(skewedPopularity(rng) * (0.5 + 1.5 * real.popularityShare)),
      );
      variants = realVariants(rng, number, real);
      keywords = [real.brand, real.brandZh];
    } else {
      let listing = inventListing(rng, leaf.template);
      for (let attempt = 0; attempt < TITLE_RETRIES && names.has(listing.name); attempt++) {
        listing = inventListing(rng, leaf.template);
      }
      ({ name, nameZh } = listing);
      while (names.has(name)) {
        // The seller already lists this exact title: shops tell such items apart by model number.
        const code = `${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(100, 9999)}`;
        name = `${listing.name} (Model ${code})`;
        nameZh = `${listing.nameZh}（型号${code}）`;
      }
      brand = listing.brand.en;
      ({ description, descriptionZh } = describeInvented(listing, use, shipping));
      popularity = skewedPopularity(rng);
      variants = inventedVariants(rng, number, listing.axes, listing.baseYuan);
      keywords = listing.keywords;
    }
    names.add(name);

    const ageDays = rng.next() * 365;
    // Lower-cased so "Lavazza" (a brand with no Chinese name) is one tag, not two.
    const tags = new Set([leaf.category.slug, leaf.category.nameZh, ...keywords.map((k) => k.toLowerCase())]);
    if (ageDays < 30) tags.add('new');
    if (popularity >= 1000) tags.add('bestseller');
    if (variants.some((v) => v.price >= 9900)) tags.add('free-shipping');
    yield {
      id: `p_${number}`,
      sellerId: seller.id,
      categoryId: leaf.category.id,
      name,
      nameZh,
      brand,
      description,
      descriptionZh,
      tags: [...tags],
      popularity,
      variants,
      createdAt: new Date(ctx.epochMs - Math.floor((ageDays * DAY_MS) / 1000) * 1000),
    };
  }
}
