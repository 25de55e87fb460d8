/**
 * The one seeded source of randomness for everything simulated: the demo catalog and its week of
 * shopping, the recommender's simulated shop and test populations, the search evaluation's query sample,
 * the benchmarks' traffic and the photo evaluation's scenes. The same seed gives the same sequence on every
 * machine and Node version, so generated data and printed figures repeat from run to run; `Math.random`
 * is for none of those. Not for anything secret.
 */
export interface Random {
  /** Uniform in [0, 1). A plain function: `const next = random.next` works. */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks index i with probability weights[i] / sum(weights); pass `total` when the sum is known. */
  weightedIndex(weights: ArrayLike<number>, total?: number): number;
  /** k distinct items, in random order (k is clamped to the list length). */
  sample<T>(items: readonly T[], k: number): T[];
  /** A shuffled copy (Fisher–Yates from the end). */
  shuffled<T>(items: readonly T[]): T[];
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** exp(N(mu, sigma)): skewed positive quantities (prices, appeal, activity). */
  logNormal(mu: number, sigma: number): number;
  /** Waiting time of a Poisson process with the given rate. */
  exponential(rate: number): number;
}

/** mulberry32: 32 bits of state, fast, and good enough for simulated data. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const normal = () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int,
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    weightedIndex: (weights, total) => {
      let sum = total ?? 0;
      if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i]!;
      let r = next() * sum;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i]!;
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    sample: (items, k) => {
      const copy = items.slice();
      const n = Math.min(k, copy.length);
      for (let i = 0; i < n; i++) {
        const j = int(i, copy.length - 1);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, n);
    },
    shuffled: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    normal,
    logNormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    exponential: (rate) => -Math.log(1 - next()) / rate,
  };
}

/** Mixes two integers into one seed, so sub-streams (per seller, per product) stay independent of each other. */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
}
