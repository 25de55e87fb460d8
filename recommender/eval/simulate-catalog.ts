/**
 * The simulated shop's catalog (see README "Offline evaluation"): departments of leaf categories, brands per
 * department with a prestige and a price level, sellers, item appeal, launches during the period, hot waves
 * (items whose appeal jumps for a few days) and complements (for each item, two items of a neighbouring leaf
 * that buyers of it tend to buy next).
 */
import type { ItemInfo } from '../src/index';
import type { Random } from '@market/demo/random';

const DEPARTMENTS: Record<string, string[]> = {
  phones: ['smartphones', 'phone-cases', 'chargers', 'earbuds', 'smartwatches'],
  computers: ['laptops', 'monitors', 'keyboards', 'mice', 'storage'],
  home: ['cookware', 'bedding', 'lighting', 'storage-boxes', 'cleaning'],
  fashion: ['sneakers', 'jackets', 't-shirts', 'bags', 'sunglasses'],
  beauty: ['skincare', 'makeup', 'haircare', 'fragrance', 'shaving'],
  sports: ['running', 'yoga', 'cycling', 'camping', 'fitness'],
  toys: ['building-blocks', 'dolls', 'puzzles', 'rc-cars', 'board-games'],
  grocery: ['tea', 'coffee', 'snacks', 'noodles', 'spices'],
};
const SYLLABLES = [
  'lu',
  'ma',
  'kiv',
  'nor',
  'da',
  'sen',
  'to',
  'ra',
  'vel',
  'qi',
  'zen',
  'bo',
  'xa',
  'mi',
  'ko',
];
const COLOURS = ['black', 'white', 'grey', 'blue', 'red', 'green', 'pink', 'beige'];
const SERIES = ['Pro', 'Lite', 'Max', 'Air', 'Mini', 'Plus', 'Classic', 'Neo'];
const BRANDS_PER_DEPARTMENT = 10;
export const DAY_MS = 86_400_000;

export interface Leaf {
  index: number;
  id: string;
  department: string;
  /** The department index: shoppers' tastes are drawn per department. */
  departmentIndex: number;
  /** Typical price in fen; items spread around it, times their brand's price level. */
  basePrice: number;
  /** The neighbouring leaf whose items complement this leaf's. */
  complementLeaf: number;
  /** Demand weight when shoppers explore outside their tastes. */
  demand: number;
}

export interface Brand {
  name: string;
  departmentIndex: number;
  prestige: number;
  priceLevel: number;
}

/** Per-item numbers the session model reads in its inner loop, kept out of ItemInfo. */
export interface SimItem {
  info: ItemInfo;
  index: number;
  leaf: number;
  brand: number;
  appeal: number;
  /** Two items of the complement leaf. */
  complements: number[];
  wave: { fromDay: number; toDay: number; boost: number } | null;
}

export interface SimCatalog {
  leaves: Leaf[];
  departments: string[];
  brands: Brand[];
  items: SimItem[];
  /** Item indexes per leaf. */
  byLeaf: number[][];
}

export interface CatalogOptions {
  items: number;
  sellers: number;
  days: number;
  start: number;
  /** Share of items launched during the period rather than before it. */
  launchedShare: number;
  /** Share of items that get a hot wave. */
  waveShare: number;
}

function brandName(rng: Random, taken: Set<string>): string {
  for (;;) {
    const raw = rng.pick(SYLLABLES) + rng.pick(SYLLABLES) + (rng.chance(0.4) ? rng.pick(SYLLABLES) : '');
    const name = raw[0]!.toUpperCase() + raw.slice(1);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

/** Appeal multiplier of an item on a day: its wave's boost ramps up over two days and holds to the end. */
export function waveBoost(item: SimItem, day: number): number {
  const w = item.wave;
  if (!w || day < w.fromDay || day > w.toDay) return 1;
  return 1 + (w.boost - 1) * Math.min(1, (day - w.fromDay + 1) / 2);
}

export function generateCatalog(rng: Random, opts: CatalogOptions): SimCatalog {
  const departments = Object.keys(DEPARTMENTS);
  const leaves: Leaf[] = [];
  departments.forEach((department, d) => {
    const names = DEPARTMENTS[department]!;
    names.forEach((name, i) => {
      leaves.push({
        index: leaves.length,
        id: `${department}/${name}`,
        department,
        departmentIndex: d,
        basePrice: Math.round(Math.exp(Math.log(2_000) + rng.next() * Math.log(3_000_00 / 2_000))),
        complementLeaf: d * names.length + ((i + 1) % names.length),
        demand: rng.logNormal(0, 0.4),
      });
    });
  });

  const taken = new Set<string>();
  const brands: Brand[] = [];
  departments.forEach((_, d) => {
    for (let r = 0; r < BRANDS_PER_DEPARTMENT; r++) {
      brands.push({
        name: brandName(rng, taken),
        departmentIndex: d,
        prestige: 1 / (r + 1) ** 0.8,
        priceLevel: rng.logNormal(0, 0.3),
      });
    }
  });

  // Sellers serve one department, a third of them two; a few large sellers carry most items.
  const sellersByDepartment: number[][] = departments.map(() => []);
  for (let s = 0; s < opts.sellers; s++) {
    sellersByDepartment[s % departments.length]!.push(s);
    if (rng.chance(1 / 3)) sellersByDepartment[rng.int(0, departments.length - 1)]!.push(s);
  }
  const sellerWeight = (rank: number) => 1 / (rank + 1);

  const leafWeights = leaves.map(() => rng.logNormal(0, 0.3));
  const items: SimItem[] = [];
  const byLeaf: number[][] = leaves.map(() => []);
  for (let i = 0; i < opts.items; i++) {
    const leaf = leaves[rng.weightedIndex(leafWeights)]!;
    const brandRank = rng.weightedIndex(Array.from({ length: BRANDS_PER_DEPARTMENT }, (_, r) => 1 / (r + 1)));
    const brandIndex = leaf.departmentIndex * BRANDS_PER_DEPARTMENT + brandRank;
    const brand = brands[brandIndex]!;
    const sellers = sellersByDepartment[leaf.departmentIndex]!;
    const seller = sellers[rng.weightedIndex(sellers.map((_, r) => sellerWeight(r)))]!;
    const price = Math.max(
      100,
      Math.round((leaf.basePrice * brand.priceLevel * rng.logNormal(0, 0.35)) / 100) * 100 - 1,
    );
    const launched = rng.chance(opts.launchedShare);
    const createdAt = launched
      ? opts.start + Math.floor(rng.next() * opts.days * DAY_MS)
      : opts.start - Math.floor((1 + rng.next() * 180) * DAY_MS);
    const colour = rng.pick(COLOURS);
    const series = `${rng.pick(SERIES)} ${String.fromCharCode(65 + rng.int(0, 25))}${rng.int(1, 99)}`;
    const leafWords = leaf.id.split('/')[1]!.replace(/-/g, ' ');
    const id = `sim_${i}`;
    items.push({
      index: i,
      leaf: leaf.index,
      brand: brandIndex,
      appeal: rng.logNormal(0, 1.1) * Math.sqrt(brand.prestige),
      complements: [],
      wave: null,
      info: {
        id,
        categoryId: leaf.id,
        categoryPath: [leaf.department, leaf.id],
        sellerId: `seller_${seller}`,
        brand: brand.name,
        price,
        text: `${brand.name} ${leafWords} ${series} ${colour} — ${leaf.department} ${leafWords} by ${brand.name}`,
        attributes: { colour, series: series.split(' ')[0]! },
        available: true,
        createdAt,
      },
    });
    byLeaf[leaf.index]!.push(i);
  }

  for (const item of items) {
    const candidates = byLeaf[leaves[item.leaf]!.complementLeaf]!;
    if (!candidates.length) continue;
    // Same-brand accessories are likelier complements; appeal decides among the rest.
    const weights = candidates.map((c) => items[c]!.appeal * (items[c]!.brand === item.brand ? 4 : 1));
    for (let n = 0; n < 2; n++) item.complements.push(candidates[rng.weightedIndex(weights)]!);
  }

  for (const item of items) {
    if (!rng.chance(opts.waveShare)) continue;
    const launchDay = Math.floor((item.info.createdAt - opts.start) / DAY_MS);
    const fromDay =
      launchDay >= 0 && rng.chance(0.5) ? launchDay : rng.int(Math.max(0, launchDay), opts.days - 3);
    item.wave = { fromDay, toDay: fromDay + rng.int(3, 10), boost: 4 + rng.next() * 12 };
  }

  return { leaves, departments, brands, items, byLeaf };
}
