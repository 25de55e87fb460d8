import type { ActorLog } from './actor-log';
import type { Catalog } from './catalog';
import { decayFactor } from './decay';
import { LIMITS, PURCHASE_CODE } from './options';
import type { Profile } from './types';

/** Upper bounds of the price bands, in yuan; log-scale, since a shopper's budget is a ratio. */
const BAND_LIMITS_YUAN = [50, 100, 200, 500, 1000, 2000];

/** The band names, in `priceBandIndex` order. */
export const PRICE_BANDS: readonly string[] = [
  `<${BAND_LIMITS_YUAN[0]}`,
  ...BAND_LIMITS_YUAN.slice(1).map((limit, k) => `${BAND_LIMITS_YUAN[k]}-${limit}`),
  `${BAND_LIMITS_YUAN.at(-1)}+`,
];

/** The position of a price in fen among PRICE_BANDS (the last band when the price is not a number). */
export function priceBandIndex(priceFen: number): number {
  const yuan = priceFen / 100;
  for (let k = 0; k < BAND_LIMITS_YUAN.length; k++) if (yuan < BAND_LIMITS_YUAN[k]!) return k;
  return BAND_LIMITS_YUAN.length;
}

/** The price band of a price in fen: '<50', '50-100', …, '1000-2000', '2000+' (yuan). */
export function priceBand(priceFen: number): string {
  return PRICE_BANDS[priceBandIndex(priceFen)]!;
}

/** Each facet's shares (summing to 1), strongest first. */
export interface Affinities {
  categories: [string, number][];
  brands: [string, number][];
  priceBands: [string, number][];
}

/**
 * Affinity of an actor to a facet value v at `now`:
 *
 *   a(v) = Σ over the actor's retained events e on items with value v of  w(type e) · 2^{−(now − t_e) / h}
 *
 * with h = profileHalfLifeMs, reported as shares of the facet's total. Computed from the actor's log on
 * demand (at most 2 × LIMITS.actorLogEvents events), so it uses the catalog as it is now and late events
 * count exactly.
 */
export function computeAffinities(
  log: ActorLog,
  catalog: Catalog,
  weights: Float64Array,
  lambda: number,
  now: number,
): Affinities {
  const categories = new Map<string, number>();
  const brands = new Map<string, number>();
  const bands = new Map<string, number>();
  for (let k = 0; k < log.length; k++) {
    const info = catalog.info(log.items[k]!);
    if (!info) continue;
    const weight = weights[log.types[k]!]! * decayFactor(lambda, log.times[k]!, now);
    add(categories, info.categoryId, weight);
    if (info.brand) add(brands, info.brand, weight);
    add(bands, priceBand(info.price), weight);
  }
  return { categories: shares(categories), brands: shares(brands), priceBands: shares(bands) };
}

export function buildProfile(
  actorId: string,
  log: ActorLog,
  catalog: Catalog,
  weights: Float64Array,
  lambda: number,
  now: number,
): Profile {
  const affinities = computeAffinities(log, catalog, weights, lambda, now);
  const top = LIMITS.profileFacetEntries;
  return {
    actorId,
    categories: affinities.categories.slice(0, top).map(([id, weight]) => ({ id, weight })),
    brands: affinities.brands.slice(0, top).map(([name, weight]) => ({ name, weight })),
    priceBands: affinities.priceBands.slice(0, top).map(([band, weight]) => ({ band, weight })),
    recentlyViewed: recentlyViewed(log, LIMITS.recentlyViewed).map((index) => catalog.id(index)),
    purchased: [...log.purchased].reverse().map((index) => catalog.id(index)),
    events: log.total,
  };
}

/** Distinct items looked at (any event but a purchase), most recent first by event time. */
export function recentlyViewed(log: ActorLog, limit: number): number[] {
  const latest = new Map<number, number>();
  for (let k = log.length - 1; k >= 0; k--) {
    if (log.types[k] === PURCHASE_CODE) continue;
    const item = log.items[k]!;
    const at = log.times[k]!;
    if (at > (latest.get(item) ?? -Infinity)) latest.set(item, at);
  }
  return [...latest]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, limit)
    .map(([item]) => item);
}

function add(map: Map<string, number>, key: string, weight: number): void {
  map.set(key, (map.get(key) ?? 0) + weight);
}

function shares(map: Map<string, number>): [string, number][] {
  let total = 0;
  for (const value of map.values()) total += value;
  if (!(total > 0)) return [];
  return [...map]
    .map(([key, value]): [string, number] => [key, value / total])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
