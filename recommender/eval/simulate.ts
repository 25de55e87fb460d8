/**
 * A seeded, deterministic shopper population (README "Offline evaluation" describes the model). Shoppers
 * have latent tastes over leaf categories, brands and a price level; they arrive in sessions, and each
 * session is either an intent session (one category, chosen from their tastes) or a discovery session
 * (the home page: items drawn by current popularity, so hot waves spread). Every viewed item goes through
 * view → click → add_to_cart → purchase with probabilities that grow with how well it fits the shopper, and
 * a purchase often leads to one of the item's complements, soon after or in a later session.
 */
import type { Interaction, InteractionType } from '../src/index';
import { sortByTime, type EvalDataset } from './dataset';
import { DAY_MS, generateCatalog, waveBoost, type SimCatalog, type SimItem } from './simulate-catalog';
import { createRandom, type Random } from '@market/demo/random';

export interface SimulationOptions {
  seed: number;
  shoppers: number;
  items: number;
  sellers: number;
  days: number;
  /** Epoch ms of day 0. */
  start: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  seed: 20_261_125,
  shoppers: 3_000,
  items: 5_000,
  sellers: 120,
  days: 60,
  start: Date.UTC(2026, 8, 1),
};

interface Shopper {
  id: string;
  joinedAt: number;
  sessionsPerDay: number;
  /** Leaf index → taste weight, the strongest 1. */
  leafTaste: Map<number, number>;
  tasteLeaves: number[];
  tasteWeights: number[];
  favouriteBrands: Set<number>;
  /** Preferred price relative to a leaf's base price (and the brand's price level). */
  priceLevel: number;
  /** Share of sessions that start on the home page rather than with an intent. */
  discovery: number;
}

const MINUTE = 60_000;
const EXPLORE = 0.1;
const MAX_PURCHASES_PER_SESSION = 2;

function makeShopper(rng: Random, catalog: SimCatalog, index: number, opts: SimulationOptions): Shopper {
  const { leaves, departments, brands } = catalog;
  const homeDepartments = new Set([rng.int(0, departments.length - 1)]);
  if (rng.chance(0.5)) homeDepartments.add(rng.int(0, departments.length - 1));
  const candidates = leaves.filter((l) => homeDepartments.has(l.departmentIndex));
  const picked = rng.shuffled(candidates).slice(0, rng.int(2, 4));
  const raw = picked.map(() => rng.logNormal(0, 0.6));
  const top = Math.max(...raw);
  const leafTaste = new Map(picked.map((l, i) => [l.index, raw[i]! / top]));
  const favouriteBrands = new Set<number>();
  for (const d of homeDepartments) {
    const own = brands.map((b, i) => (b.departmentIndex === d ? i : -1)).filter((i) => i >= 0);
    for (let n = rng.int(1, 2); n > 0; n--) favouriteBrands.add(rng.pick(own));
  }
  const joinedLate = rng.chance(0.25);
  return {
    id: `shopper_${index}`,
    joinedAt: opts.start + (joinedLate ? rng.next() * opts.days * DAY_MS : 0),
    sessionsPerDay: Math.min(2, Math.max(0.03, rng.logNormal(Math.log(0.22), 0.7))),
    leafTaste,
    tasteLeaves: [...leafTaste.keys()],
    tasteWeights: [...leafTaste.values()],
    favouriteBrands,
    priceLevel: rng.logNormal(0, 0.5),
    discovery: 0.1 + 0.3 * rng.next(),
  };
}

/** How well an item suits a shopper, in (0, 1]: category taste × brand × price fit. */
function fit(shopper: Shopper, catalog: SimCatalog, item: SimItem): number {
  const leafFit = shopper.leafTaste.get(item.leaf) ?? 0.15;
  const brandFit = shopper.favouriteBrands.has(item.brand) ? 1 : 0.55;
  const expected =
    catalog.leaves[item.leaf]!.basePrice * catalog.brands[item.brand]!.priceLevel * shopper.priceLevel;
  const distance = Math.log(item.info.price / expected) / 0.5;
  return leafFit * brandFit * Math.exp(-0.5 * distance * distance);
}

/** Cumulative home-page exposure per day: appeal^1.5 times the wave boost, over items launched by then. */
function dailyExposure(catalog: SimCatalog, opts: SimulationOptions): Float64Array[] {
  return Array.from({ length: opts.days + 1 }, (_, day) => {
    const dayStart = opts.start + day * DAY_MS;
    const cumulative = new Float64Array(catalog.items.length);
    let sum = 0;
    catalog.items.forEach((item, i) => {
      if (item.info.createdAt <= dayStart) sum += item.appeal ** 1.5 * waveBoost(item, day);
      cumulative[i] = sum;
    });
    return cumulative;
  });
}

function drawCumulative(rng: Random, cumulative: Float64Array): number {
  const r = rng.next() * cumulative[cumulative.length - 1]!;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! <= r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Generates the whole period's events for one shopper, in time order. */
function simulateShopper(
  rng: Random,
  catalog: SimCatalog,
  exposure: Float64Array[],
  shopper: Shopper,
  opts: SimulationOptions,
  out: Interaction[],
): void {
  const end = opts.start + opts.days * DAY_MS;
  const bought = new Set<number>();
  let dueComplements: { item: number; at: number }[] = [];
  const emit = (item: SimItem, type: InteractionType, at: number) =>
    out.push({ actorId: shopper.id, itemId: item.info.id, type, at: Math.round(at) });

  let t = shopper.joinedAt + rng.exponential(shopper.sessionsPerDay) * DAY_MS;
  while (t < end) {
    const day = Math.floor((t - opts.start) / DAY_MS);
    const viewed: number[] = [];
    for (const c of dueComplements) if (c.at <= t && rng.chance(0.7)) viewed.push(c.item);
    dueComplements = dueComplements.filter((c) => c.at > t);

    const views = rng.int(2, 8);
    if (rng.chance(shopper.discovery)) {
      for (let n = 0; n < views; n++) viewed.push(drawCumulative(rng, exposure[day]!));
    } else {
      const leaf = rng.chance(EXPLORE)
        ? rng.weightedIndex(catalog.leaves.map((l) => l.demand))
        : shopper.tasteLeaves[rng.weightedIndex(shopper.tasteWeights)]!;
      const pool = catalog.byLeaf[leaf]!.filter((i) => catalog.items[i]!.info.createdAt <= t);
      if (pool.length) {
        const weights = pool.map((i) => {
          const item = catalog.items[i]!;
          return item.appeal * waveBoost(item, day) * (0.2 + fit(shopper, catalog, item));
        });
        for (let n = 0; n < views; n++) viewed.push(pool[rng.weightedIndex(weights)]!);
      }
    }

    let at = t;
    let purchases = 0;
    const shown = new Set<number>();
    for (const index of viewed) {
      if (shown.has(index)) continue;
      shown.add(index);
      const item = catalog.items[index]!;
      if (item.info.createdAt > at) continue;
      const f = fit(shopper, catalog, item);
      emit(item, 'view', at);
      at += (20 + rng.next() * 100) * 1000;
      if (!rng.chance(0.2 + 0.5 * f)) continue;
      emit(item, 'click', at);
      at += (30 + rng.next() * 150) * 1000;
      if (bought.has(index) || !rng.chance(0.1 + 0.5 * f)) continue;
      emit(item, 'add_to_cart', at);
      at += 10_000;
      if (purchases >= MAX_PURCHASES_PER_SESSION || !rng.chance(0.6)) continue;
      emit(item, 'purchase', at + rng.int(1, 10) * MINUTE);
      purchases++;
      bought.add(index);
      if (rng.chance(0.6)) {
        const complement = rng.pick(item.complements);
        if (rng.chance(0.4)) viewed.push(complement);
        else dueComplements.push({ item: complement, at: at + rng.next() * 3 * DAY_MS });
      }
    }
    t = Math.max(at + 30 * MINUTE, t + rng.exponential(shopper.sessionsPerDay) * DAY_MS);
  }
}

/** The simulated shop as an evaluation log: purchases are the positives. */
export function simulateShoppers(options: Partial<SimulationOptions> = {}): EvalDataset {
  const opts = { ...DEFAULT_SIMULATION, ...options };
  const rng = createRandom(opts.seed);
  const catalog = generateCatalog(rng, {
    items: opts.items,
    sellers: opts.sellers,
    days: opts.days,
    start: opts.start,
    launchedShare: 0.15,
    waveShare: 0.03,
  });
  const exposure = dailyExposure(catalog, opts);
  const events: Interaction[] = [];
  for (let s = 0; s < opts.shoppers; s++) {
    const shopper = makeShopper(rng, catalog, s, opts);
    simulateShopper(rng, catalog, exposure, shopper, opts, events);
  }
  const end = opts.start + opts.days * DAY_MS;
  const inPeriod = events.filter((e) => e.at < end);
  const count = (type: InteractionType) =>
    inPeriod.filter((e) => e.type === type).length.toLocaleString('en');
  return {
    name: 'Simulated shop',
    description:
      `${opts.shoppers.toLocaleString('en')} shoppers, ${opts.items.toLocaleString('en')} items, ${opts.days} days ` +
      `(seed ${opts.seed}): ${count('view')} views, ${count('click')} clicks, ${count('add_to_cart')} add-to-carts, ` +
      `${count('purchase')} purchases (positives)`,
    items: catalog.items.map((i) => i.info),
    events: sortByTime(inPeriod),
    isPositive: (e) => e.type === 'purchase',
    options: {},
  };
}
