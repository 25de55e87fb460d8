/**
 * Top-k metrics of the offline evaluation. Relevance is binary: an item is relevant when the user had a
 * positive interaction with it after their cut (see split.ts).
 */

/** 1 when at least one relevant item is among the first k recommendations, else 0. */
export function hitRateAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i]!)) return 1;
  return 0;
}

/**
 * NDCG@k with binary gains and a log2 discount; the ideal list puts min(|relevant|, k) relevant items first,
 * so a user with one relevant item scores 1 when it is ranked first.
 */
export function ndcgAt(k: number, ranked: readonly string[], relevant: ReadonlySet<string>): number {
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Share of the catalog that was recommended (in some top-k list) to at least one evaluated user. */
export function catalogCoverage(recommended: ReadonlySet<string>, catalogSize: number): number {
  return catalogSize === 0 ? 0 : recommended.size / catalogSize;
}

/**
 * Self-information of recommending an item, −log2 p, where p is the share of the actors seen so far who
 * interacted with it. Add-one smoothing keeps never-seen items finite (they are the most novel).
 */
export function selfInformation(actorsWithItem: number, actors: number): number {
  return Math.log2((actors + 1) / (actorsWithItem + 1));
}

export interface MethodScores {
  hr: number;
  ndcg: number;
  coverage: number;
  /** Mean self-information over every recommended (user, item) slot, in bits. */
  novelty: number;
  users: number;
  /** Per evaluated user, in evaluation order: 1 for a hit in the top k, else 0 (for paired comparisons). */
  hits: number[];
}

/** Sums one method's per-user results into the means the report prints. */
export class MetricsAccumulator {
  private readonly hits: number[] = [];
  private ndcgSum = 0;
  private users = 0;
  private noveltySum = 0;
  private slots = 0;
  private readonly recommended = new Set<string>();

  constructor(private readonly k: number) {}

  /** `novelty(itemId)` is the item's self-information at the moment of the query. */
  add(ranked: readonly string[], relevant: ReadonlySet<string>, novelty: (itemId: string) => number): void {
    const top = ranked.slice(0, this.k);
    this.users++;
    this.hits.push(hitRateAt(this.k, top, relevant));
    this.ndcgSum += ndcgAt(this.k, top, relevant);
    for (const id of top) {
      this.recommended.add(id);
      this.noveltySum += novelty(id);
      this.slots++;
    }
  }

  result(catalogSize: number): MethodScores {
    const per = (sum: number, n: number) => (n === 0 ? 0 : sum / n);
    return {
      hr: per(
        this.hits.reduce((a, b) => a + b, 0),
        this.users,
      ),
      ndcg: per(this.ndcgSum, this.users),
      coverage: catalogCoverage(this.recommended, catalogSize),
      novelty: per(this.noveltySum, this.slots),
      users: this.users,
      hits: [...this.hits],
    };
  }
}

/**
 * Mean of a − b over paired per-user values with a normal 95% interval: whether one method beats another
 * on the same users by more than the noise of a few hundred users.
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
): { mean: number; halfWidth: number } {
  if (a.length !== b.length) throw new Error('paired values must come from the same users');
  const n = a.length;
  if (n === 0) return { mean: 0, halfWidth: 0 };
  const d = a.map((x, i) => x - b[i]!);
  const mean = d.reduce((s, x) => s + x, 0) / n;
  const variance = n > 1 ? d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, halfWidth: 1.96 * Math.sqrt(variance / n) };
}
